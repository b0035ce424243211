import { agentServiceDefinition, packJson, sign, SIGNATURE_HEADER, toJsonValue, unpackJson } from '@spine/agent-sdk';
import { Client, credentials, Metadata, type ChannelCredentials, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';
import { create, type JsonObject } from '@bufbuild/protobuf';
import { addAbortListener } from 'node:events';
import { ErrorCode, InvokeRequestSchema, InvokeStreamRequestSchema, SpineError, type InvokeRequest, type InvokeResponse, type InvokeStreamResponse } from '@spine/contracts';
import type { EndpointPolicy } from './endpoint-policy.js';
import { parseEndpoint } from './endpoint.js';
import { errorOfGrpcStatus } from './grpc-status.mapper.js';
import type { RemoteInvokeRequest, RemoteInvokeResult } from './invoke.types.js';
import { OutputValidator } from './output-validator.js';

export interface GrpcInvokeRequest extends RemoteInvokeRequest {
  executionId?: string;
  nodeId?: string;
  attempt?: number;
  tenantId?: string;
  model?: string;
  /** The agent's secret: the request's bytes are signed into `x-spine-signature` metadata, as HTTP bodies are. */
  secret?: string;
}

export interface GrpcAgentInvokerOptions {
  /** Re-resolves and re-checks the host when a channel opens, then pins the channel to the checked address. */
  policy?: EndpointPolicy;
  validator?: OutputValidator;
  /** For `grpcs://` endpoints; defaults to the system roots. */
  tlsCredentials?: ChannelCredentials;
}

/** Calls `spine.agent.v1.AgentService` with a deadline and maps every failure to a coded SpineError. */
export class GrpcAgentInvoker {
  private readonly validator: OutputValidator;
  private readonly clients = new Map<string, Promise<Client>>();

  constructor(private readonly options: GrpcAgentInvokerOptions = {}) {
    this.validator = options.validator ?? new OutputValidator();
  }

  async invoke(req: GrpcInvokeRequest): Promise<RemoteInvokeResult> {
    const client = await this.clientFor(req.endpoint);
    const method = agentServiceDefinition.invoke;
    const res = await new Promise<InvokeResponse>((resolve, reject) => {
      const options = { deadline: Date.now() + req.timeoutMs };
      const request = requestOf(req);
      const { bytes, metadata } = signed(method.requestSerialize(request), req.secret);
      const call = client.makeUnaryRequest(method.path, () => bytes, method.responseDeserialize, request, metadata, options, (err: ServiceError | null, value?: InvokeResponse) => {
        cancelling?.[Symbol.dispose]();
        if (err || !value) reject(errorOf(err, req));
        else resolve(value);
      });
      // The execution was cancelled: the agent sees the call cancelled.
      const cancelling = req.signal && addAbortListener(req.signal, () => call.cancel());
    });
    return this.resultOf(res, req);
  }

  /** `InvokeStream`: calls `onDelta` for each text delta, resolves with the final result. */
  async invokeStream(req: GrpcInvokeRequest, onDelta: (delta: string) => void): Promise<RemoteInvokeResult> {
    const client = await this.clientFor(req.endpoint);
    const method = agentServiceDefinition.invokeStream;
    const request = create(InvokeStreamRequestSchema, { request: requestOf(req) });
    const res = await new Promise<InvokeResponse>((resolve, reject) => {
      let result: InvokeResponse | undefined;
      const { bytes, metadata } = signed(method.requestSerialize(request), req.secret);
      const call = client.makeServerStreamRequest(method.path, () => bytes, method.responseDeserialize, request, metadata, { deadline: Date.now() + req.timeoutMs });
      const cancelling = req.signal && addAbortListener(req.signal, () => call.cancel());
      call.on('close', () => cancelling?.[Symbol.dispose]());
      call.on('data', (chunk: InvokeStreamResponse) => {
        if (chunk.event.case === 'delta') onDelta(chunk.event.value);
        else if (chunk.event.case === 'result') result = chunk.event.value;
      });
      call.on('error', (err: ServiceError) => reject(errorOf(err, req)));
      call.on('end', () => (result ? resolve(result) : reject(new SpineError(ErrorCode.SCHEMA_VIOLATION, 'agent stream ended without a result', { path: '/result' }, false))));
    });
    return this.resultOf(res, req);
  }

  close(): void {
    for (const client of this.clients.values()) void client.then((c) => c.close(), () => undefined);
    this.clients.clear();
  }

  private resultOf(res: InvokeResponse, req: GrpcInvokeRequest): RemoteInvokeResult {
    if (res.error) throw SpineError.fromMessage(res.error);
    let output: unknown;
    try {
      output = unpackJson(res.output) ?? null;
    } catch (err) {
      throw new SpineError(ErrorCode.SCHEMA_VIOLATION, `agent output is not JSON: ${err instanceof Error ? err.message : String(err)}`, { path: '/' }, false);
    }
    if (req.outputSchema !== undefined) this.validator.check(req.outputSchema, output);
    if (!res.usage) return { output };
    const u = res.usage;
    return { output, usage: { promptTokens: Number(u.promptTokens), completionTokens: Number(u.completionTokens), totalTokens: Number(u.totalTokens), ...(u.model ? { model: u.model } : {}) } };
  }

  private clientFor(endpoint: string): Promise<Client> {
    let client = this.clients.get(endpoint);
    if (!client) {
      client = this.openClient(endpoint);
      this.clients.set(endpoint, client);
      // A client that failed to open is not cached; its error reaches the caller through `client`.
      client.catch(() => this.clients.delete(endpoint));
    }
    return client;
  }

  private async openClient(endpoint: string): Promise<Client> {
    const parsed = parseEndpoint(endpoint, 'grpc');
    const creds = parsed.tls ? (this.options.tlsCredentials ?? credentials.createSsl()) : credentials.createInsecure();
    if (!this.options.policy) return new Client(parsed.target, creds);
    const checked = await this.options.policy.check(endpoint, 'grpc');
    const address = checked.addresses[0] as string;
    const pinned = address.includes(':') ? `ipv6:[${address}]:${checked.port}` : `ipv4:${address}:${checked.port}`;
    const channelOptions: ChannelOptions = { 'grpc.default_authority': parsed.target };
    if (parsed.tls) channelOptions['grpc.ssl_target_name_override'] = parsed.host;
    return new Client(pinned, creds, channelOptions);
  }
}

/** The request's bytes, serialized once, and the metadata that signs them (when there is a secret). */
function signed(bytes: Buffer, secret: string | undefined): { bytes: Buffer; metadata: Metadata } {
  const metadata = new Metadata();
  if (secret) metadata.set(SIGNATURE_HEADER, sign(secret, bytes));
  return { bytes, metadata };
}

function requestOf(req: GrpcInvokeRequest): InvokeRequest {
  return create(InvokeRequestSchema, {
    executionId: req.executionId ?? '',
    nodeId: req.nodeId ?? '',
    attempt: req.attempt ?? 0,
    tenantId: req.tenantId ?? '',
    model: req.model ?? '',
    input: packJson(req.input),
    context: toJsonValue(req.context ?? {}) as JsonObject,
    config: toJsonValue(req.config ?? {}) as JsonObject,
  });
}

function errorOf(err: ServiceError | null, req: GrpcInvokeRequest): SpineError {
  if (!err) return new SpineError(ErrorCode.INTERNAL, 'agent sent no response', {}, true);
  const mapped = errorOfGrpcStatus(err);
  if (mapped.code !== ErrorCode.TIMEOUT) return mapped;
  return new SpineError(ErrorCode.TIMEOUT, `agent did not answer within ${req.timeoutMs}ms`, { timeoutMs: String(req.timeoutMs) }, true);
}
