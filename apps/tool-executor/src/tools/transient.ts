import { setTimeout as sleep } from 'node:timers/promises';

// Serialization failure, deadlock, admin shutdown, connection failures, and a unique race another call won.
const TRANSIENT = new Set(['40001', '40P01', '57P01', '08000', '08003', '08006', 'ECONNRESET', 'ECONNREFUSED', '23505']);
const ATTEMPTS = 3;

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

/** Runs `fn` again (up to 3 times, 25 ms then 50 ms apart) when Postgres says the failure is transient. */
export async function retryTransient<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = pgCode(err);
      if (attempt >= ATTEMPTS || code === undefined || !TRANSIENT.has(code)) throw err;
      await sleep(25 * 2 ** (attempt - 1));
    }
  }
}
