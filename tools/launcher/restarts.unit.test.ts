import { describe, expect, it } from 'vitest';
import { CrashWindow, GaveUp, superviseRestarts, type Crashed, type Supervised } from './restarts.ts';

/** A service that exits with code 1 as soon as it runs, on a clock that advances `stepMs` per run. */
function crashingService(stepMs: number, stopAfterRuns = Infinity) {
  let clock = 0;
  let stopping = false;
  const runs: number[] = [];
  const restarts: { crash: Crashed; delayMs: number }[] = [];
  const service: Supervised = {
    runService: async (attempt) => {
      runs.push(attempt);
      clock += stepMs;
      if (runs.length >= stopAfterRuns) stopping = true;
      return { pid: 1000 + attempt, code: 1 };
    },
    stopping: () => stopping,
    now: () => clock,
    onRestart: (crash, delayMs) => restarts.push({ crash, delayMs }),
  };
  return { service, runs, restarts };
}

const fast = { initialDelayMs: 1, maxDelayMs: 2 };

describe('restarting a crashed service', () => {
  it('gives up on the fifth crash within 60 s, after four restarts, naming the last crash', async () => {
    const { service, runs, restarts } = crashingService(1_000);
    const outcome = await superviseRestarts(service, fast);
    expect(outcome).toBeInstanceOf(GaveUp);
    expect((outcome as GaveUp).crash).toMatchObject({ pid: 1004, code: 1, crashes: 5 });
    expect(runs).toEqual([0, 1, 2, 3, 4]);
    expect(restarts.map((r) => r.crash.crashes)).toEqual([1, 2, 3, 4]);
  });

  it('keeps restarting a service whose crashes are more than a window apart', async () => {
    const { service, runs } = crashingService(20_000, 12);
    expect(await superviseRestarts(service, fast)).toBe('stopped');
    expect(runs).toHaveLength(12);
  });

  it('backs off exponentially between restarts', async () => {
    const { service, restarts } = crashingService(1_000);
    // Without jitter, so the comparison cannot fail by chance (the jittered delays only tend upwards).
    await superviseRestarts(service, { initialDelayMs: 100, maxDelayMs: 100_000, jitter: false });
    const delays = restarts.map((r) => r.delayMs);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThan(delays[i - 1]!);
  });

  it('does not restart a service that exits because the mesh is stopping', async () => {
    const { service, runs, restarts } = crashingService(1_000, 1);
    expect(await superviseRestarts(service, fast)).toBe('stopped');
    expect(runs).toEqual([0]);
    expect(restarts).toEqual([]);
  });
});

describe('CrashWindow', () => {
  it('forgets crashes older than the window', () => {
    const window = new CrashWindow(3, 10_000);
    expect([0, 1_000, 10_500, 11_000, 12_000].map((t) => window.recordCrash(t))).toEqual([true, true, true, true, false]);
    expect(window.crashes).toBe(3);
  });
});
