import { ExponentialBackoff, handleWhen, noJitterGenerator, retry } from 'cockatiel';

// Serialization failure, deadlock, admin shutdown, connection failures, and a unique race another call won.
const TRANSIENT = new Set(['40001', '40P01', '57P01', '08000', '08003', '08006', 'ECONNRESET', 'ECONNREFUSED', '23505']);

export function pgCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

export function pgConstraint(err: unknown): string | undefined {
  const e = err as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const name = e?.driverError?.constraint ?? e?.constraint;
  return typeof name === 'string' ? name : undefined;
}

export function isTransient(err: unknown): boolean {
  const code = pgCode(err);
  return code !== undefined && TRANSIENT.has(code);
}

// Three calls in all (maxAttempts counts retries), 25 ms then 50 ms apart: no jitter, the calls are few and short.
const transientRetry = retry(handleWhen(isTransient), {
  maxAttempts: 2,
  backoff: new ExponentialBackoff({ generator: noJitterGenerator, initialDelay: 25, maxDelay: 50 }),
});

/** Runs `fn` again (up to 3 times, 25 ms then 50 ms apart) when Postgres says the failure is transient; else rethrows. */
export function retryTransient<T>(fn: () => Promise<T>): Promise<T> {
  return transientRetry.execute(() => fn());
}
