import { ExponentialBackoff, handleType, noJitterGenerator, retry } from 'cockatiel';

/** A service that exits this many times within the window is left down: restarting it again would only loop. */
export const CRASH_LIMIT = 5;
export const CRASH_WINDOW_MS = 60_000;

/** The crashes of one service within a sliding window of time. */
export class CrashWindow {
  private readonly times: number[] = [];
  readonly limit: number;
  readonly windowMs: number;

  constructor(limit = CRASH_LIMIT, windowMs = CRASH_WINDOW_MS) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Counts a crash at `at` (ms); false once `limit` crashes fall within the window: give up. */
  recordCrash(at: number): boolean {
    this.times.push(at);
    while (this.times[0]! <= at - this.windowMs) this.times.shift();
    return this.times.length < this.limit;
  }

  get crashes(): number {
    return this.times.length;
  }
}

/** One unexpected exit of a service. */
// No parameter properties here: the launcher runs under Node's type stripping, which does not support them.
export class Crashed extends Error {
  readonly pid: number;
  readonly code: number | null;
  /** Crashes within the window, this one included. */
  readonly crashes: number;

  constructor(pid: number, code: number | null, crashes: number) {
    super(`pid ${pid} ${code === null ? 'was killed by a signal' : `exited with code ${code}`}`);
    this.pid = pid;
    this.code = code;
    this.crashes = crashes;
  }
}

/** The crash that reached the limit: the service stays down. */
export class GaveUp extends Error {
  readonly crash: Crashed;

  constructor(crash: Crashed) {
    super(crash.message);
    this.crash = crash;
  }
}

export interface Supervised {
  /** Runs the service (attempt 0: the process already started; later ones: a new one) until it exits. */
  runService(attempt: number): Promise<{ pid: number; code: number | null }>;
  /** True once the mesh is stopping: an exit then is the launcher's own doing, not a crash. */
  stopping(): boolean;
  now(): number;
  /** A crash, and the backoff before the next attempt. */
  onRestart(crash: Crashed, delayMs: number): void;
}

export interface RestartOptions {
  window?: CrashWindow;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Off: the plain doubling, for a test to compare delays (default on: cockatiel's decorrelated jitter). */
  jitter?: boolean;
}

/**
 * Keeps a service running: each crash restarts it after an exponential backoff (cockatiel's retry), until
 * `CRASH_LIMIT` crashes fall within `CRASH_WINDOW_MS`. Resolves 'stopped' when the mesh stops, 'gave-up' with the last crash.
 */
export async function superviseRestarts(service: Supervised, options: RestartOptions = {}): Promise<'stopped' | GaveUp> {
  const window = options.window ?? new CrashWindow();
  const policy = retry(handleType(Crashed), {
    backoff: new ExponentialBackoff({
      initialDelay: options.initialDelayMs ?? 500,
      maxDelay: options.maxDelayMs ?? 8_000,
      ...(options.jitter === false ? { generator: noJitterGenerator } : {}),
    }),
  });
  policy.onRetry((event) => {
    if ('error' in event && event.error instanceof Crashed) service.onRestart(event.error, event.delay);
  });
  try {
    return await policy.execute(async ({ attempt }) => {
      // After a backoff: the mesh may have begun to stop meanwhile.
      if (attempt > 0 && service.stopping()) return 'stopped' as const;
      const { pid, code } = await service.runService(attempt);
      if (service.stopping()) return 'stopped' as const;
      const allowed = window.recordCrash(service.now());
      const crash = new Crashed(pid, code, window.crashes);
      throw allowed ? crash : new GaveUp(crash);
    });
  } catch (err) {
    if (err instanceof GaveUp) return err;
    throw err;
  }
}
