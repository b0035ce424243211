import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { createMetricsRegistry } from '../metrics/metrics.js';
import { HealthController } from './health.controller.js';
import { Readiness } from './readiness.js';

/** `/health/live`, `/health/ready` and `/metrics` for a service; exports Readiness and the metrics Registry. */
@Global()
@Module({})
export class HealthModule {
  static forService(service: string): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [Readiness, { provide: Registry, useFactory: () => createMetricsRegistry(service) }],
      exports: [Readiness, Registry],
    };
  }
}
