import { sign, SIGNATURE_HEADER } from '@spine/agent-sdk';
import { ErrorCode, SpineError } from '@spine/contracts';
import { Agent, request, type Dispatcher } from 'undici';
import type { EndpointPolicy } from './endpoint-policy.js';
import { errorOfHttpStatus, type AgentErrorBody } from './http-status.mapper.js';
import type { RemoteInvokeRequest, RemoteInvokeResult } from './invoke.types.js';
import { OutputValidator } from './output-validator.js';
import { readLimited } from './read-limited.js';
import { usageOf } from './usage.js';

export interface HttpInvokeRequest extends RemoteInvokeRequest {
  /** The per-agent secret issued at registration; signs the body. */
  secret: string;
}

export interface HttpAgentInvokerOptions {
  /** Re-checks DNS answers at connect time. Without it, only registration-time checks apply. */
  policy?: EndpointPolicy;
  validator?: OutputValidator;
  maxResponseBytes?: number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** Calls `POST {endpoint}/process` (seed 001) with a signed body and maps every failure to a coded SpineError. */
export class HttpAgentInvoker {
  private readonly validator: OutputValidator;
  private readonly maxResponseBytes: number;
  private readonly dispatchers = new Map<string, Dispatcher>();

  constructor(private readonly options: HttpAgentInvokerOptions = {}) {
    this.validator = options.validator ?? new OutputValidator();
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  async invoke(req: HttpInvokeRequest): Promise<RemoteInvokeResult> {
    const url = new URL(`${req.endpoint.replace(/\/+$/, '')}/process`);
    const body = JSON.stringify({ input: req.input ?? null, context: req.context ?? {}, config: req.config ?? {} });
    const timeout = AbortSignal.timeout(req.timeoutMs);
    const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
    let status: number;
    let text: string;
    try {
      const res = await request(url, {
        method: 'POST',
        body,
        signal,
        dispatcher: this.dispatcherFor(url),
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(req.secret, body) },
      });
      status = res.statusCode;
      text = await readLimited(res.body, this.maxResponseBytes, () => new SpineError(ErrorCode.PAYLOAD_TOO_LARGE, `agent reply is larger than ${this.maxResponseBytes} bytes`, {}, false));
    } catch (err) {
      throw transportError(err, timeout, req);
    }
    if (status < 200 || status > 299) throw errorOfHttpStatus(status, errorBodyOf(text));
    const reply = parseReply(text);
    if (req.outputSchema !== undefined) this.validator.check(req.outputSchema, reply.output);
    const usage = usageOf(reply.usage);
    return usage ? { output: reply.output, usage } : { output: reply.output };
  }

  async close(): Promise<void> {
    await Promise.all([...this.dispatchers.values()].map((d) => d.close()));
    this.dispatchers.clear();
  }

  private dispatcherFor(url: URL): Dispatcher {
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const key = this.options.policy ? url.origin : '*';
    let dispatcher = this.dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = new Agent(this.options.policy ? { connect: { lookup: this.options.policy.lookupFor(port) } } : {});
      this.dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }
}

function transportError(err: unknown, timeout: AbortSignal, req: HttpInvokeRequest): SpineError {
  if (err instanceof SpineError) return err;
  if (req.signal?.aborted) return new SpineError(ErrorCode.CANCELLED, 'call cancelled', {}, false);
  if (timeout.aborted) return new SpineError(ErrorCode.TIMEOUT, `agent did not answer within ${req.timeoutMs}ms`, { timeoutMs: String(req.timeoutMs) }, true);
  const cause = causeCode(err);
  return new SpineError(ErrorCode.AGENT_UNAVAILABLE, `agent unreachable: ${cause}`, { cause }, true);
}

function causeCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
  return String(e.code ?? e.cause?.code ?? e.message ?? 'unknown');
}

function parseReply(text: string): { output: unknown; usage?: unknown } {
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    throw new SpineError(ErrorCode.SCHEMA_VIOLATION, 'agent reply is not valid JSON', { path: '/' }, false);
  }
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply) || !('output' in reply)) {
    throw new SpineError(ErrorCode.SCHEMA_VIOLATION, 'agent reply has no output', { path: '/output' }, false);
  }
  return reply as { output: unknown; usage?: unknown };
}

function errorBodyOf(text: string): AgentErrorBody {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body === 'object' && body !== null) {
      const b = body as Record<string, unknown>;
      return {
        code: typeof b['code'] === 'string' ? b['code'] : undefined,
        message: typeof b['message'] === 'string' ? b['message'] : undefined,
        details: typeof b['details'] === 'object' ? (b['details'] as Record<string, string>) : undefined,
      };
    }
  } catch {
    // not JSON: keep a short excerpt as the message
  }
  return { message: text.slice(0, 200) || undefined };
}
