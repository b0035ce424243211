import { fromBinary, toBinary, type DescMessage, type MessageInitShape, type MessageShape, create } from '@bufbuild/protobuf';
import { errors, headers as natsHeaders, type Msg, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { ErrorCode, Header, SpineError } from '@spine/contracts';
import { currentScope } from '@spine/observability';
import { randomUUID } from 'node:crypto';
import { errorOfReply } from './error-reply.js';
import { RequestMux } from './request-mux.js';
import { childTraceparent } from './trace.js';

export interface CallOptions {
  /** Absolute deadline (ms since the epoch); wins over timeoutMs. */
  deadline?: number;
  timeoutMs?: number;
  correlationId?: string;
  traceparent?: string;
  tenantId?: string;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Typed protobuf request/reply over NATS. Sends deadline, correlation and trace headers;
 * turns error replies, timeouts and missing responders into SpineError.
 */
export class ProtoClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly defaultTimeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  async request<Req extends DescMessage, Res extends DescMessage>(
    subject: string,
    requestSchema: Req,
    request: MessageInitShape<Req>,
    responseSchema: Res,
    options: CallOptions = {},
  ): Promise<MessageShape<Res>> {
    const bytes = toBinary(requestSchema, create(requestSchema, request));
    const reply = await this.requestBytes(subject, bytes, options);
    try {
      return fromBinary(responseSchema, reply);
    } catch (err) {
      throw new SpineError(ErrorCode.INTERNAL, `reply on ${subject} is not a ${responseSchema.typeName}: ${(err as Error).message}`);
    }
  }

  /** Raw bytes in, raw bytes out; error replies still become SpineError. */
  async requestBytes(subject: string, payload: Uint8Array, options: CallOptions = {}): Promise<Uint8Array> {
    const deadline = options.deadline ?? Date.now() + (options.timeoutMs ?? this.defaultTimeoutMs);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new SpineError(ErrorCode.DEADLINE_EXCEEDED, `deadline passed before ${subject} was called`);
    let reply: Msg;
    try {
      reply = await RequestMux.of(this.nc).request(subject, payload, { timeoutMs: remaining, headers: this.headersFor(deadline, options) });
    } catch (err) {
      throw toSpineError(err, subject);
    }
    const error = errorOfReply(reply);
    if (error) throw error;
    return reply.data;
  }

  /** Fire-and-forget with the same headers (no deadline). */
  publish<Desc extends DescMessage>(subject: string, schema: Desc, message: MessageInitShape<Desc>, options: CallOptions = {}): void {
    this.nc.publish(subject, toBinary(schema, create(schema, message)), { headers: this.headersFor(undefined, options) });
  }

  private headersFor(deadline: number | undefined, options: CallOptions): MsgHdrs {
    const scope = currentScope();
    const h = natsHeaders();
    if (deadline !== undefined) h.set(Header.Deadline, String(deadline));
    h.set(Header.Correlation, options.correlationId ?? scope?.correlationId ?? randomUUID());
    h.set(Header.Trace, options.traceparent ?? childTraceparent(scope?.traceparent));
    const tenant = options.tenantId ?? scope?.tenantId;
    if (tenant) h.set(Header.Tenant, tenant);
    return h;
  }
}

function toSpineError(err: unknown, subject: string): SpineError {
  if (err instanceof SpineError) return err;
  if (err instanceof errors.TimeoutError) return new SpineError(ErrorCode.DEADLINE_EXCEEDED, `no reply on ${subject} before the deadline`);
  if (err instanceof errors.NoRespondersError) {
    return new SpineError(ErrorCode.AGENT_UNAVAILABLE, `nothing is listening on ${subject}`);
  }
  if (err instanceof errors.InvalidArgumentError && /payload/i.test(err.message)) {
    return SpineError.invalid(`request on ${subject} is too large: ${err.message}`);
  }
  if (err instanceof errors.ClosedConnectionError || err instanceof errors.DrainingConnectionError) {
    return new SpineError(ErrorCode.AGENT_UNAVAILABLE, `NATS connection is closed (${subject})`);
  }
  return new SpineError(ErrorCode.INTERNAL, `request on ${subject} failed: ${(err as Error).message}`);
}
