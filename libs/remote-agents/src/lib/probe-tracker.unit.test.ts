import { describe, expect, it } from 'vitest';
import { ProbeTracker, type ProbeSettings } from './probe-tracker.js';

class FakeClock {
  constructor(private ms = 1_000) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

const settings: ProbeSettings = { intervalMs: 5_000, timeoutMs: 1_000, healthyThreshold: 2, unhealthyThreshold: 3 };
const up = { healthy: true, latencyMs: 10 };
const down = { healthy: false, latencyMs: 10, error: 'ECONNREFUSED' };

describe('ProbeTracker', () => {
  it('is due at once, then once per interval', () => {
    const clock = new FakeClock();
    const tracker = new ProbeTracker(settings, clock);
    expect(tracker.isDue()).toBe(true);
    tracker.record(up);
    expect(tracker.isDue()).toBe(false);
    expect(tracker.dueInMs()).toBe(5_000);
    clock.advance(4_999);
    expect(tracker.isDue()).toBe(false);
    clock.advance(1);
    expect(tracker.isDue()).toBe(true);
  });

  it('becomes healthy only after healthyThreshold consecutive successes', () => {
    const clock = new FakeClock();
    const tracker = new ProbeTracker(settings, clock);
    expect(tracker.record(up)).toBeUndefined();
    expect(tracker.state).toBe('unknown');
    clock.advance(5_000);
    expect(tracker.record(up)).toEqual({ from: 'unknown', to: 'healthy', at: 6_000 });
    expect(tracker.record(up)).toBeUndefined();
  });

  it('becomes unhealthy after unhealthyThreshold consecutive failures, with the last error', () => {
    const tracker = new ProbeTracker(settings, new FakeClock());
    tracker.record(up);
    tracker.record(up);
    expect(tracker.record(down)).toBeUndefined();
    expect(tracker.record(down)).toBeUndefined();
    expect(tracker.record(down)).toMatchObject({ from: 'healthy', to: 'unhealthy', error: 'ECONNREFUSED' });
    expect(tracker.state).toBe('unhealthy');
    expect(tracker.error).toBe('ECONNREFUSED');
  });

  it('resets the failure count on a success in between (no flapping)', () => {
    const tracker = new ProbeTracker(settings, new FakeClock());
    tracker.record(up);
    tracker.record(up);
    for (const r of [down, down, up, down, down]) expect(tracker.record(r)).toBeUndefined();
    expect(tracker.state).toBe('healthy');
  });

  it('counts an answer slower than timeoutMs as a failure', () => {
    const tracker = new ProbeTracker({ ...settings, unhealthyThreshold: 1 }, new FakeClock());
    tracker.record(up);
    tracker.record(up);
    expect(tracker.record({ healthy: true, latencyMs: 1_001 })).toMatchObject({ to: 'unhealthy', error: 'slower than 1000ms' });
  });

  it('recovers from unhealthy after healthyThreshold successes', () => {
    const tracker = new ProbeTracker({ ...settings, unhealthyThreshold: 1 }, new FakeClock());
    expect(tracker.record(down)).toMatchObject({ from: 'unknown', to: 'unhealthy' });
    expect(tracker.record(up)).toBeUndefined();
    expect(tracker.record(up)).toMatchObject({ from: 'unhealthy', to: 'healthy' });
    expect(tracker.error).toBeUndefined();
  });
});
