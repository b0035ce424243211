import { ErrorCode, SpineError } from '@spine/contracts';
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type { CallScope } from '../call-signal.js';
import { llmErrors } from '../llm.errors.js';

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const seconds = headers?.get('retry-after');
  if (seconds && Number.isFinite(Number(seconds))) return Number(seconds) * 1000;
  return undefined;
}

/** Every failure of the SDK as a SpineError: 429 and 5xx retryable, 4xx not. */
export function fromOpenAiError(provider: string, err: unknown, scope: CallScope): SpineError {
  if (err instanceof SpineError) return err;
  if (scope.signal.aborted || err instanceof APIUserAbortError) return scope.abortError();
  if (err instanceof APIConnectionError) return llmErrors.unavailable(provider, `connection failed: ${err.message}`);
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    const details = { provider, status: String(status) };
    if (status === 429) return llmErrors.rateLimited(provider, retryAfterMs(err.headers));
    if (status === 408 || status === 409 || status >= 500) return new SpineError(ErrorCode.AGENT_UNAVAILABLE, `${provider}: upstream ${status}`, details);
    if (status === 401) return new SpineError(ErrorCode.UNAUTHENTICATED, `${provider}: the API key was refused`, details);
    if (status === 403) return new SpineError(ErrorCode.PERMISSION_DENIED, `${provider}: ${err.message}`, details);
    if (status === 404) return new SpineError(ErrorCode.NOT_FOUND, `${provider}: ${err.message}`, details);
    return new SpineError(ErrorCode.INVALID_ARGUMENT, `${provider}: ${err.message}`, details);
  }
  return new SpineError(ErrorCode.INTERNAL, `${provider}: ${err instanceof Error ? err.message : 'unexpected failure'}`, { provider });
}
