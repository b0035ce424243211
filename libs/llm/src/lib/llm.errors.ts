import { ErrorCode, SpineError } from '@spine/contracts';

/** Codes after which the next provider of a fallback chain is worth trying. */
const FALLBACK_CODES = new Set<ErrorCode>([ErrorCode.RATE_LIMITED, ErrorCode.AGENT_UNAVAILABLE, ErrorCode.UNAUTHENTICATED, ErrorCode.NOT_FOUND, ErrorCode.INTERNAL]);

export const llmErrors = {
  rateLimited: (provider: string, retryAfterMs?: number): SpineError =>
    new SpineError(ErrorCode.RATE_LIMITED, `${provider}: rate limited`, retryAfterMs === undefined ? { provider } : { provider, retryAfterMs: String(retryAfterMs) }),
  unavailable: (provider: string, reason: string): SpineError => new SpineError(ErrorCode.AGENT_UNAVAILABLE, `${provider}: ${reason}`, { provider }),
  deadlineExceeded: (provider: string): SpineError => new SpineError(ErrorCode.DEADLINE_EXCEEDED, `${provider}: deadline exceeded`, { provider }),
  cancelled: (provider: string): SpineError => new SpineError(ErrorCode.CANCELLED, `${provider}: cancelled`, { provider }, false),
  invalid: (message: string, details?: Record<string, string>): SpineError => SpineError.invalid(message, details),
  permissionDenied: (message: string, details?: Record<string, string>): SpineError => new SpineError(ErrorCode.PERMISSION_DENIED, message, details),
};

/** True when a fallback provider might answer where this one failed. */
export function warrantsFallback(err: unknown): boolean {
  if (!(err instanceof SpineError)) return true;
  return err.retryable || FALLBACK_CODES.has(err.code);
}

export function isRetryable(err: unknown): boolean {
  return err instanceof SpineError && err.retryable;
}
