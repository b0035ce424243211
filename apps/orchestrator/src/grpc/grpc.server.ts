import { create, type DescMessage } from '@bufbuild/protobuf';
import {
  Server, ServerCredentials, status, type handleServerStreamingCall, type handleUnaryCall, type Metadata, type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { grpcServiceDefinition } from '@spine/agent-sdk';
import { OrchestratorService, SpineError } from '@spine/contracts';
import { assertSafeJson } from '@spine/observability';
import { HealthImplementation } from 'grpc-health-check';
import { once } from 'node:events';
import { AccessService, type CallHeaders } from '../auth/access.service.js';
import type { Principal, Role } from '../auth/principal.js';
import { grpcPortOf, ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import { statusOfError } from './grpc-status.mapper.js';
import { METHOD_ROLES, OrchestratorGrpc } from './orchestrator.grpc.js';

type AnyUnary = (p: Principal, req: unknown) => Promise<unknown>;
type AnyStream = (p: Principal, req: unknown, signal: AbortSignal) => AsyncIterable<unknown>;

const SERVICE = OrchestratorService.typeName;
const SHUTDOWN_GRACE_MS = 2_000;

function headersOf(metadata: Metadata): CallHeaders {
  const first = (key: string) => metadata.get(key).find((v): v is string => typeof v === 'string');
  return { authorization: first('authorization'), 'x-api-key': first('x-api-key') };
}

/** The public gRPC endpoint: OrchestratorService (API key in metadata, as REST) and grpc.health.v1. */
@Injectable()
export class GrpcServer implements OnModuleDestroy {
  private readonly logger = new Logger(GrpcServer.name);
  private readonly server: Server;
  private readonly health = new HealthImplementation({ '': 'SERVING', [SERVICE]: 'SERVING' });
  /** Ends open streams on shutdown, so clients resume elsewhere instead of waiting. */
  private readonly stopping = new AbortController();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly api: OrchestratorGrpc,
    private readonly access: AccessService,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {
    this.server = new Server({ 'grpc.max_receive_message_length': config.MAX_BODY_BYTES });
    const implementation: UntypedServiceImplementation = {};
    for (const method of OrchestratorService.methods) {
      const name = method.localName as keyof OrchestratorGrpc['handlers'];
      const handler = this.api.handlers[name] as AnyUnary | AnyStream;
      implementation[name] =
        method.methodKind === 'server_streaming' ? this.streaming(handler as AnyStream, method.output, METHOD_ROLES[name]) : this.unary(handler as AnyUnary, method.output, METHOD_ROLES[name]);
    }
    this.server.addService(grpcServiceDefinition(OrchestratorService), implementation);
    this.health.addToServer(this.server);
  }

  /** Binds `GRPC_HOST:GRPC_PORT` (0: any free port; unset: HTTP_PORT + 1); resolves with the port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.bindAsync(`${this.config.GRPC_HOST}:${grpcPortOf(this.config)}`, ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port)));
    });
  }

  onModuleDestroy(): Promise<void> {
    return (this.closing ??= new Promise<void>((resolve) => {
      this.health.setStatus('', 'NOT_SERVING');
      this.health.setStatus(SERVICE, 'NOT_SERVING');
      this.stopping.abort();
      const force = setTimeout(() => this.server.forceShutdown(), SHUTDOWN_GRACE_MS);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    }));
  }

  private unary(handler: AnyUnary, output: DescMessage, roles: readonly Role[] | undefined): handleUnaryCall<unknown, unknown> {
    return (call, callback) => {
      void (async () => {
        const principal = await this.access.admit(headersOf(call.metadata), roles);
        this.checkRequest(call.request);
        return create(output, (await handler(principal, call.request)) as never);
      })().then(
        (res) => callback(null, res),
        (err: unknown) => callback(this.failure(err, call.getPath())),
      );
    };
  }

  private streaming(handler: AnyStream, output: DescMessage, roles: readonly Role[] | undefined): handleServerStreamingCall<unknown, unknown> {
    return (call: ServerWritableStream<unknown, unknown>) => {
      const cancelled = new AbortController();
      call.once('cancelled', () => cancelled.abort());
      const signal = AbortSignal.any([cancelled.signal, this.stopping.signal]);
      void (async () => {
        const principal = await this.access.admit(headersOf(call.metadata), roles);
        this.checkRequest(call.request);
        for await (const item of handler(principal, call.request, signal)) {
          if (signal.aborted) break;
          if (!call.write(create(output, item as never))) await once(call, 'drain', { signal });
        }
      })().then(
        () => this.endStream(call, cancelled.signal),
        (err: unknown) => this.endStream(call, cancelled.signal, err),
      );
    };
  }

  /** As REST bodies: NUL, lone surrogates (a string field, a Struct) and deep nesting answer INVALID_ARGUMENT. */
  private checkRequest(request: unknown): void {
    assertSafeJson(request, { maxDepth: this.config.MAX_JSON_DEPTH }, 'request');
  }

  private endStream(call: ServerWritableStream<unknown, unknown>, cancelled: AbortSignal, err?: unknown): void {
    if (cancelled.aborted) return; // the client is gone
    if (this.stopping.signal.aborted) call.emit('error', { code: status.UNAVAILABLE, details: 'the orchestrator is shutting down: resume with resume_from' });
    else if (err !== undefined) call.emit('error', this.failure(err, call.getPath()));
    else call.end();
  }

  private failure(err: unknown, path: string) {
    if (!(err instanceof SpineError)) this.logger.error({ msg: 'grpc.failed', path, err });
    return statusOfError(err);
  }
}
