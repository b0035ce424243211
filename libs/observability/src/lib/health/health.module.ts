import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { createMetricsRegistry } from '../metrics/metrics.js';
import { AdminServer, loadAdminConfig, type AdminConfig } from './admin.server.js';
import { HealthController } from './health.controller.js';
import { Readiness } from './readiness.js';

/**
 * `/health/live`, `/health/ready` and `/metrics` for a service; exports Readiness and the metrics Registry.
 * With ADMIN_PORT set they are served on that port only, not on the app's own HTTP port.
 */
@Global()
@Module({})
export class HealthModule {
  static forService(service: string, admin: AdminConfig = loadAdminConfig(service)): DynamicModule {
    return {
      module: HealthModule,
      controllers: admin.ADMIN_PORT === undefined ? [HealthController] : [],
      providers: [
        Readiness,
        { provide: Registry, useFactory: () => createMetricsRegistry(service) },
        { provide: AdminServer, useFactory: (readiness: Readiness, metrics: Registry) => new AdminServer(admin, readiness, metrics), inject: [Readiness, Registry] },
      ],
      exports: [Readiness, Registry, AdminServer],
    };
  }
}
