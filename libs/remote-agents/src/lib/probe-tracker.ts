import type { ProbeResult } from './probes.js';

export type HealthState = 'unknown' | 'healthy' | 'unhealthy';

export interface ProbeSettings {
  intervalMs: number;
  /** A probe slower than this counts as a failure even if it answered. */
  timeoutMs: number;
  /** Consecutive successes that make an agent healthy. */
  healthyThreshold: number;
  /** Consecutive failures that make an agent unhealthy. */
  unhealthyThreshold: number;
}

export interface ProbeClock {
  now(): number;
}

export interface HealthTransition {
  from: HealthState;
  to: HealthState;
  at: number;
  error?: string;
}

/** Interval, timeout and threshold bookkeeping for one agent's active probes. Pure: no timers, no I/O. */
export class ProbeTracker {
  private current: HealthState = 'unknown';
  private successes = 0;
  private failures = 0;
  private nextAt: number;
  private lastError: string | undefined;

  constructor(
    private readonly settings: ProbeSettings,
    private readonly clock: ProbeClock,
  ) {
    this.nextAt = clock.now();
  }

  get state(): HealthState {
    return this.current;
  }

  get error(): string | undefined {
    return this.lastError;
  }

  /** True when the next probe should run. */
  isDue(): boolean {
    return this.clock.now() >= this.nextAt;
  }

  /** Milliseconds until the next probe (0 when due). */
  dueInMs(): number {
    return Math.max(0, this.nextAt - this.clock.now());
  }

  /** Records a probe's result; returns the transition when the state changed. */
  record(result: ProbeResult): HealthTransition | undefined {
    const now = this.clock.now();
    this.nextAt = now + this.settings.intervalMs;
    const ok = result.healthy && result.latencyMs <= this.settings.timeoutMs;
    if (ok) {
      this.successes += 1;
      this.failures = 0;
      this.lastError = undefined;
    } else {
      this.failures += 1;
      this.successes = 0;
      this.lastError = result.error ?? (result.healthy ? `slower than ${this.settings.timeoutMs}ms` : 'unhealthy');
    }
    const next = this.nextState();
    if (next === this.current) return undefined;
    const transition: HealthTransition = { from: this.current, to: next, at: now, ...(this.lastError ? { error: this.lastError } : {}) };
    this.current = next;
    return transition;
  }

  private nextState(): HealthState {
    if (this.current !== 'healthy' && this.successes >= this.settings.healthyThreshold) return 'healthy';
    if (this.current !== 'unhealthy' && this.failures >= this.settings.unhealthyThreshold) return 'unhealthy';
    return this.current;
  }
}
