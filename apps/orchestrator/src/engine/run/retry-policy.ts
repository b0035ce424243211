import type { RetryPolicy } from '@spine/flow';

export interface Backoff {
  maxAttempts: number;
  initialMs: number;
  maxMs: number;
  multiplier: number;
}

export function backoffOf(policy: RetryPolicy | undefined, defaults: { maxAttempts: number; initialMs: number; maxMs: number }): Backoff {
  return {
    maxAttempts: policy?.maxAttempts ?? defaults.maxAttempts,
    initialMs: policy?.initialBackoffMs ?? defaults.initialMs,
    maxMs: policy?.maxBackoffMs ?? defaults.maxMs,
    multiplier: policy?.multiplier ?? 2,
  };
}

/** Exponential backoff with "equal jitter": half the step fixed, half random, so retries of many executions spread out. */
export function retryDelayMs(b: Backoff, failedAttempt: number, random: () => number = Math.random): number {
  const step = Math.min(b.maxMs, b.initialMs * b.multiplier ** (failedAttempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
