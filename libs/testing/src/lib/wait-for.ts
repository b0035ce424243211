export interface WaitForOptions {
  /**
   * Generous by default: a shared 2-core CI machine can take tens of seconds to start a mesh. The bound
   * only turns a hang into a failure that names `what`; a wait ends as soon as its condition holds.
   */
  timeoutMs?: number;
  intervalMs?: number;
  /** Names the awaited condition in the timeout message. */
  what?: string;
}

type Probe<T> = () => Promise<T | undefined | false> | T | undefined | false;

/** The default bound of every wait in the tests (and of `untilEvent`). */
export const WAIT_TIMEOUT_MS = 60_000;

const pending = Symbol('pending');

/** Polls `probe` until it returns a truthy value; a thrown error counts as "not yet". */
export async function waitFor<T>(probe: Probe<T>, opts: WaitForOptions = {}): Promise<T> {
  const { timeoutMs = WAIT_TIMEOUT_MS, intervalMs = 100, what = 'condition' } = opts;
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

/**
 * Waits for an event (a promise that settles when it happens), bounded so a missing event fails the
 * test with a message naming it instead of hanging until the test timeout.
 */
export async function within<T>(event: Promise<T>, what: string, timeoutMs = WAIT_TIMEOUT_MS): Promise<T> {
  const value = await withDeadline(event, Date.now() + timeoutMs);
  if (value === pending) throw timeoutError(timeoutMs, what, undefined);
  return value;
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
