export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Names the awaited condition in the timeout message. */
  what?: string;
}

type Probe<T> = () => Promise<T | undefined | false> | T | undefined | false;

const pending = Symbol('pending');

/** Polls `probe` until it returns a truthy value; a thrown error counts as "not yet". */
export async function waitFor<T>(probe: Probe<T>, opts: WaitForOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 100, what = 'condition' } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      // A probe that hangs (a fetch to a wedged server) must not outlive the deadline.
      const value = await withDeadline(Promise.resolve().then(probe), deadline);
      if (value !== pending && value) return value;
    } catch (err) {
      lastError = err;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw timeoutError(timeoutMs, what, lastError);
    await sleep(Math.min(intervalMs, left));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | typeof pending> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<typeof pending>((resolve) => {
    timer = setTimeout(() => resolve(pending), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

function timeoutError(timeoutMs: number, what: string, lastError: unknown): Error {
  const reason = lastError === undefined ? '' : `; last error: ${errorText(lastError)}`;
  return new Error(`timed out after ${timeoutMs}ms waiting for ${what}${reason}`, { cause: lastError });
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    // fetch() hides the useful part (ECONNREFUSED) in `cause`.
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
