import { Counter } from 'prom-client';

/**
 * Failures of work nobody awaits (sweeps, touches, drains, best-effort cleanups), by task. One
 * process-wide counter: createMetricsRegistry puts it on every service's /metrics, so code outside
 * Nest's container (libs, timers) can count without an injected Registry.
 */
export const backgroundErrors = new Counter({
  name: 'spine_background_errors_total',
  help: 'Errors of background work that no caller awaits, by task',
  labelNames: ['task'] as const,
  registers: [],
});

/** What Nest's Logger and SpineLogger both offer. */
export interface WarnLogger {
  warn(message: unknown, ...rest: unknown[]): unknown;
}

/** Logs a failed background task on the caller's logger and counts it. */
export function reportBackgroundError(logger: WarnLogger, task: string, err: unknown, context: Record<string, unknown> = {}): void {
  backgroundErrors.inc({ task });
  logger.warn({ msg: 'background.failed', task, ...context, err });
}

/** `.catch(backgroundFailure(this.logger, 'outbox.sweep'))`: the rejection is logged and counted, never lost. */
export function backgroundFailure(logger: WarnLogger, task: string, context?: Record<string, unknown>): (err: unknown) => void {
  return (err) => reportBackgroundError(logger, task, err, context);
}
