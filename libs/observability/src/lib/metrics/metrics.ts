import { Registry, collectDefaultMetrics } from 'prom-client';
import { backgroundErrors } from './background-errors.js';

/** One Prometheus registry per process, with Node's default metrics and the background-error counter. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  registry.registerMetric(backgroundErrors);
  return registry;
}
