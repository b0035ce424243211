import { Client, credentials, Metadata, type ChannelCredentials, type MethodDefinition, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { request, type Dispatcher } from 'undici';
import { parseEndpoint } from './endpoint.js';

export interface ProbeResult {
  healthy: boolean;
  latencyMs: number;
  error?: string;
}

/** `GET {endpoint}/health`; healthy on any 2xx within `timeoutMs`. */
export async function probeHttp(endpoint: string, timeoutMs: number, options: { dispatcher?: Dispatcher } = {}): Promise<ProbeResult> {
  const started = performance.now();
  const latency = (): number => Math.round(performance.now() - started);
  try {
    const res = await request(`${endpoint.replace(/\/+$/, '')}/health`, { method: 'GET', signal: AbortSignal.timeout(timeoutMs), ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}) });
    await res.body.dump();
    const healthy = res.statusCode >= 200 && res.statusCode < 300;
    return healthy ? { healthy, latencyMs: latency() } : { healthy, latencyMs: latency(), error: `status ${res.statusCode}` };
  } catch (err) {
    return { healthy: false, latencyMs: latency(), error: describe(err, timeoutMs) };
  }
}

interface HealthCheckResponse {
  status?: string;
}

/** `grpc.health.v1.Health/Check` for the whole server (service ""); healthy when SERVING. */
export async function probeGrpc(endpoint: string, timeoutMs: number, options: { tlsCredentials?: ChannelCredentials } = {}): Promise<ProbeResult> {
  const started = performance.now();
  const latency = (): number => Math.round(performance.now() - started);
  let client: Client | undefined;
  try {
    const parsed = parseEndpoint(endpoint, 'grpc');
    client = new Client(parsed.target, parsed.tls ? (options.tlsCredentials ?? credentials.createSsl()) : credentials.createInsecure());
    const check = healthService['Check'] as MethodDefinition<object, HealthCheckResponse>;
    const res = await new Promise<HealthCheckResponse>((resolve, reject) => {
      (client as Client).makeUnaryRequest(check.path, check.requestSerialize, check.responseDeserialize, { service: '' }, new Metadata(), { deadline: Date.now() + timeoutMs }, (err: ServiceError | null, value?: HealthCheckResponse) =>
        err ? reject(err) : resolve(value ?? {}),
      );
    });
    const healthy = res.status === 'SERVING';
    return healthy ? { healthy, latencyMs: latency() } : { healthy, latencyMs: latency(), error: `status ${res.status ?? 'UNKNOWN'}` };
  } catch (err) {
    return { healthy: false, latencyMs: latency(), error: describe(err, timeoutMs) };
  } finally {
    client?.close();
  }
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: unknown; details?: unknown; message?: unknown; cause?: { code?: unknown } };
  if (e.name === 'TimeoutError' || e.code === 4) return `no answer within ${timeoutMs}ms`;
  if (typeof e.details === 'string') return e.details;
  return String(e.cause?.code ?? e.code ?? e.message ?? 'probe failed');
}
