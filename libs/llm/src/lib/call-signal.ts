import type { SpineError } from '@spine/contracts';
import { llmErrors } from './llm.errors.js';

export interface CallScope {
  signal: AbortSignal;
  /** The error to throw for an abort seen through `signal`: CANCELLED or DEADLINE_EXCEEDED. */
  abortError(): SpineError;
}

/** One signal for a call: the caller's signal and the deadline, whichever comes first. */
export function callScope(provider: string, opts: { signal?: AbortSignal; deadline?: number }, now: () => number = Date.now): CallScope {
  const signals: AbortSignal[] = [];
  if (opts.signal) signals.push(opts.signal);
  if (opts.deadline !== undefined) signals.push(AbortSignal.timeout(Math.max(0, opts.deadline - now())));
  const signal = signals.length ? AbortSignal.any(signals) : new AbortController().signal;
  return {
    signal,
    abortError: () => (opts.signal?.aborted ? llmErrors.cancelled(provider) : llmErrors.deadlineExceeded(provider)),
  };
}

/** Throws before any work when the call is already cancelled or past its deadline. */
export function assertCallable(provider: string, opts: { signal?: AbortSignal; deadline?: number }, now: () => number = Date.now): void {
  if (opts.signal?.aborted) throw llmErrors.cancelled(provider);
  if (opts.deadline !== undefined && opts.deadline <= now()) throw llmErrors.deadlineExceeded(provider);
}
