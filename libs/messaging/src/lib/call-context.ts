import type { MsgHdrs } from '@nats-io/transport-node';
import { BaseRpcContext } from '@nestjs/microservices';
import { Header } from '@spine/contracts';

/** What a handler knows about the call it serves, read once from the NATS headers. */
export interface CallContext {
  subject: string;
  correlationId?: string;
  traceparent?: string;
  tenantId?: string;
  /** Absolute deadline in ms since the epoch, if the caller set one. */
  deadline?: number;
  /** Aborted when the deadline passes or the server drains. */
  signal: AbortSignal;
}

export function readDeadline(headers: MsgHdrs | undefined): number | undefined {
  const raw = headers?.get(Header.Deadline);
  if (!raw) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export function callContextOf(subject: string, headers: MsgHdrs | undefined, signal: AbortSignal): CallContext {
  return {
    subject,
    correlationId: headers?.get(Header.Correlation) || undefined,
    traceparent: headers?.get(Header.Trace) || undefined,
    tenantId: headers?.get(Header.Tenant) || undefined,
    deadline: readDeadline(headers),
    signal,
  };
}

/** Nest's `@Ctx()` for handlers served by NatsProtoServer. */
export class NatsProtoContext extends BaseRpcContext<[CallContext]> {
  get call(): CallContext {
    return this.args[0];
  }
}
