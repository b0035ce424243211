import { describe, expect, it } from 'vitest';
import { backgroundFailure } from './background-errors.js';
import { createMetricsRegistry } from './metrics.js';

describe('background errors', () => {
  it('logs a swallowed rejection on the given logger and counts it on /metrics by task', async () => {
    const registry = createMetricsRegistry('probe-service');
    const logged: unknown[] = [];
    const logger = { warn: (line: unknown) => logged.push(line) };
    const before = (await registry.getSingleMetric('spine_background_errors_total')?.get())?.values.find((v) => v.labels['task'] === 'probe.sweep')?.value ?? 0;

    await Promise.reject(new Error('database away')).catch(backgroundFailure(logger, 'probe.sweep', { executionId: 'e1' }));

    expect(logged).toEqual([{ msg: 'background.failed', task: 'probe.sweep', executionId: 'e1', err: new Error('database away') }]);
    expect(await registry.metrics()).toContain(`spine_background_errors_total{task="probe.sweep",service="probe-service"} ${before + 1}`);
  });
});
