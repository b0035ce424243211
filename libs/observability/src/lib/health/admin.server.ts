import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { parseEnv } from '../config/parse-env.js';
import { Readiness } from './readiness.js';

const schema = z.object({
  /** Serve /health/* and /metrics on this port only (not on HTTP_PORT), e.g. apart from the public port an Ingress forwards. */
  ADMIN_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  ADMIN_HOST: z.string().min(1).default('0.0.0.0'),
});

export type AdminConfig = z.infer<typeof schema>;

export function loadAdminConfig(service: string, env: NodeJS.ProcessEnv = process.env): AdminConfig {
  return parseEnv(service, schema, env);
}

/**
 * /health/live, /health/ready and /metrics on ADMIN_PORT, a plain HTTP server of their own: probes and scrapes
 * keep working whatever the app's routes, guards and body limits are, and nothing public can reach them.
 */
@Injectable()
export class AdminServer implements OnApplicationBootstrap, OnModuleDestroy {
  private server?: Server;

  constructor(
    private readonly config: AdminConfig,
    private readonly readiness: Readiness,
    private readonly metrics: Registry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.ADMIN_PORT === undefined) return;
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const send = (status: number, type: string, body: string) => res.writeHead(status, { 'content-type': type }).end(body);
      if (req.method !== 'GET') return send(405, 'application/json', '{"status":"method not allowed"}');
      if (path === '/health/live') return send(200, 'application/json', JSON.stringify({ status: 'ok' }));
      if (path === '/health/ready') {
        const report = this.readiness.report();
        return send(report.ready ? 200 : 503, 'application/json', JSON.stringify({ status: report.ready ? 'ready' : 'not-ready', checks: report.checks }));
      }
      if (path === '/metrics') {
        this.metrics.metrics().then(
          (text) => send(200, this.metrics.contentType, text),
          (err: unknown) => send(500, 'text/plain', (err as Error).message),
        );
        return;
      }
      send(404, 'application/json', '{"status":"not found"}');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.ADMIN_PORT, this.config.ADMIN_HOST, () => resolve());
    });
    this.server = server;
  }

  /** The port it listens on (config allows no ADMIN_PORT=0; tests pass their own for an ephemeral port). */
  port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
