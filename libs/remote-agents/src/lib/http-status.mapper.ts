import { ErrorCode, SpineError, errorCodeOf } from '@spine/contracts';

/** What an agent said in a non-2xx body, if it followed the `{ code, message, details? }` shape. */
export interface AgentErrorBody {
  code?: string;
  message?: string;
  details?: Record<string, string>;
}

/** A non-2xx answer from an HTTP agent as a SpineError: 5xx (and 408, 429) retryable, other 4xx not. */
export function errorOfHttpStatus(status: number, body: AgentErrorBody): SpineError {
  const message = `agent answered ${status}${body.message ? `: ${body.message}` : ''}`;
  const details = { status: String(status), ...(body.code ? { agentCode: body.code } : {}), ...stringDetails(body.details) };
  if (status === 401) return new SpineError(ErrorCode.UNAUTHENTICATED, `${message} (is the agent's secret current?)`, details, false);
  if (status === 408) return new SpineError(ErrorCode.TIMEOUT, message, details, true);
  if (status === 429) return new SpineError(ErrorCode.RATE_LIMITED, message, details, true);
  if (status === 502 || status === 503 || status === 504) return new SpineError(ErrorCode.AGENT_UNAVAILABLE, message, details, true);
  if (status >= 500) return new SpineError(ErrorCode.INTERNAL, message, details, true);
  const code = (body.code && errorCodeOf(body.code)) || (status === 413 ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.INVALID_ARGUMENT);
  return new SpineError(code, message, details, false);
}

function stringDetails(details: unknown): Record<string, string> {
  if (typeof details !== 'object' || details === null) return {};
  return Object.fromEntries(Object.entries(details).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
