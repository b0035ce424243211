import { create } from '@bufbuild/protobuf';
import { Server, ServerCredentials, status, type Metadata, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import { ErrorCode, InvokeResponseSchema, InvokeStreamResponseSchema, SpineError, UsageSchema, type InvokeRequest, type InvokeResponse, type InvokeStreamRequest, type InvokeStreamResponse, type Usage } from '@spine/contracts';
import { HealthImplementation } from 'grpc-health-check';
import { parseInput, type AgentHandler, type AgentUsage, type InputParser } from './handler.js';
import { handlerError } from './http-errors.js';
import { packJson, unpackJson } from './json-any.js';
import { agentServiceDefinition, receivedBytesOf } from './grpc-service.js';
import { SIGNATURE_HEADER, verify } from './signature.js';
import { DEFAULT_SHUTDOWN_GRACE_MS, exitOnSignals, type AgentServer, type LifecycleOptions } from './shutdown.js';

export interface GrpcTlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  /** When set, clients must present a certificate signed by this CA (mutual TLS). */
  ca?: string | Buffer;
}

export interface GrpcAgentOptions<I, O> extends LifecycleOptions {
  name: string;
  handler: AgentHandler<I, O>;
  port?: number;
  host?: string;
  tls?: GrpcTlsOptions;
  input?: InputParser<I>;
  /**
   * The secret Spine gave at registration (several while rotating one). When set, every call must carry
   * `x-spine-signature` metadata over the request's bytes, as HTTP agents check it; otherwise it is refused with
   * UNAUTHENTICATED. Without it, anyone who reaches the port can call the agent: set it, or use mutual TLS.
   */
  secret?: string | readonly string[];
}

const SERVICE = 'spine.agent.v1.AgentService';
const MAX_TIMER_MS = 2 ** 31 - 1;

type CancellableCall = Pick<ServerUnaryCall<unknown, unknown>, 'getDeadline' | 'once' | 'off'>;

/**
 * A gRPC agent: `spine.agent.v1.AgentService/Invoke` and `/InvokeStream` plus `grpc.health.v1.Health`.
 * Handler errors travel in `InvokeResponse.error` with status OK; gRPC statuses mean transport trouble.
 */
export function grpcAgent<I = unknown, O = unknown>(options: GrpcAgentOptions<I, O>): AgentServer {
  const server = new Server();
  const health = new HealthImplementation({ '': 'SERVING', [SERVICE]: 'SERVING' });
  let closing: Promise<void> | undefined;
  let uninstallSignals = (): void => undefined;

  async function run(req: InvokeRequest | undefined, call: CancellableCall, emit: (delta: string) => void): Promise<InvokeResponse> {
    const aborted = abortOnCancelOrDeadline(call);
    try {
      if (!req) throw SpineError.invalid('InvokeStreamRequest has no request', { field: 'request' });
      const input = parseInput(options.input, unpackInput(req));
      const result = await options.handler({ input, context: req.context ?? {}, config: req.config ?? {}, signal: aborted.signal, emit });
      return create(InvokeResponseSchema, { output: packJson(result.output), usage: usageOf(result.usage) });
    } catch (err) {
      return create(InvokeResponseSchema, { error: handlerError(err).toMessage() });
    } finally {
      aborted.dispose();
    }
  }

  /** A refusal for a call whose signature does not hold, or undefined when it does (or no secret is set). */
  function refusal(request: object, metadata: Metadata): { code: status; details: string } | undefined {
    if (options.secret === undefined) return undefined;
    const header = metadata.get(SIGNATURE_HEADER)[0];
    const check = verify(options.secret, receivedBytesOf(request) ?? new Uint8Array(), typeof header === 'string' ? header : undefined);
    return check.ok ? undefined : { code: status.UNAUTHENTICATED, details: `bad request signature: ${check.reason}` };
  }

  server.addService(agentServiceDefinition, {
    invoke: (call: ServerUnaryCall<InvokeRequest, InvokeResponse>, callback: (err: { code: status; details: string } | null, res?: InvokeResponse) => void) => {
      const refused = refusal(call.request, call.metadata);
      if (refused) return callback(refused);
      void run(call.request, call, () => undefined).then((res) => callback(null, res));
    },
    invokeStream: (call: ServerWritableStream<InvokeStreamRequest, InvokeStreamResponse>) => {
      const refused = refusal(call.request, call.metadata);
      if (refused) return void call.emit('error', refused);
      const emit = (delta: string): void => void call.write(create(InvokeStreamResponseSchema, { event: { case: 'delta', value: delta } }));
      void run(call.request.request, call, emit).then((res) => {
        call.write(create(InvokeStreamResponseSchema, { event: { case: 'result', value: res } }));
        call.end();
      });
    },
  });
  health.addToServer(server);

  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      uninstallSignals();
      health.setStatus('', 'NOT_SERVING');
      health.setStatus(SERVICE, 'NOT_SERVING');
      const force = setTimeout(() => server.forceShutdown(), options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    return closing;
  }

  return {
    listen: () =>
      new Promise<number>((resolve, reject) => {
        const address = `${options.host ?? '0.0.0.0'}:${options.port ?? 50051}`;
        server.bindAsync(address, credentialsOf(options.tls), (err, port) => {
          if (err) return reject(err);
          if (options.handleSignals !== false) uninstallSignals = exitOnSignals(close);
          resolve(port);
        });
      }),
    close,
  };
}

function unpackInput(req: InvokeRequest): unknown {
  try {
    return unpackJson(req.input);
  } catch (err) {
    throw SpineError.invalid(err instanceof Error ? err.message : 'bad input', { field: 'input' });
  }
}

function credentialsOf(tls: GrpcTlsOptions | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  const ca = tls.ca === undefined ? null : Buffer.from(tls.ca);
  return ServerCredentials.createSsl(ca, [{ cert_chain: Buffer.from(tls.cert), private_key: Buffer.from(tls.key) }], ca !== null);
}

function usageOf(usage: AgentUsage | undefined): Usage | undefined {
  if (!usage) return undefined;
  const n = (v: number | undefined): bigint => BigInt(Math.max(0, Math.trunc(v ?? 0)));
  return create(UsageSchema, { promptTokens: n(usage.promptTokens), completionTokens: n(usage.completionTokens), totalTokens: n(usage.totalTokens), model: usage.model ?? '' });
}

/** Aborts when the client cancels or the call's deadline passes. */
function abortOnCancelOrDeadline(call: CancellableCall): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onCancel = (): void => controller.abort(new SpineError(ErrorCode.CANCELLED, 'caller cancelled'));
  call.once('cancelled', onCancel);
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() - Date.now() : deadline - Date.now();
  const timer = ms < MAX_TIMER_MS
    ? setTimeout(() => controller.abort(new SpineError(ErrorCode.DEADLINE_EXCEEDED, 'deadline passed')), Math.max(0, ms))
    : undefined;
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      call.off('cancelled', onCancel);
    },
  };
}
