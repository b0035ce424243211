import { closeNats, connectNats } from '@spine/messaging';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createRootLogger, Readiness, safeBodies, SpineExceptionFilter, SpineLogger } from '@spine/observability';
import type { DataSource } from 'typeorm';
import { serveConsole } from './http/console.js';
import { serveOpenApi } from './http/openapi.js';
import type { OrchestratorConfig } from './orchestrator.config.js';
import { A2aRouter } from './a2a/a2a.router.js';
import { GrpcServer } from './grpc/grpc.server.js';
import { OrchestratorModule } from './orchestrator.module.js';

export interface RunningOrchestrator {
  app: INestApplication;
  httpUrl: string;
  /** host:port of the gRPC API (OrchestratorService, grpc.health.v1). */
  grpcAddress: string;
  close(): Promise<void>;
}

/** Boots the public API. Migrations (and the first admin key) come from migrate.js. */
export async function startOrchestrator(config: OrchestratorConfig): Promise<RunningOrchestrator> {
  const logger = new SpineLogger(createRootLogger({ service: 'orchestrator', level: config.LOG_LEVEL }));
  const nc = await connectNats({ servers: config.NATS_URL, name: 'orchestrator', user: config.NATS_USER, pass: config.NATS_PASSWORD });
  const app = await NestFactory.create<NestExpressApplication>(OrchestratorModule.with(config, nc), { logger, bodyParser: false });
  app.useBodyParser('json', { limit: config.MAX_BODY_BYTES });
  app.useBodyParser('text', { limit: config.MAX_BODY_BYTES, type: ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'] });
  // NUL, lone surrogates and deep nesting answer 400 here, before a route, Postgres or JSON.stringify meets them.
  app.use(safeBodies({ maxDepth: config.MAX_JSON_DEPTH }));
  app.get(A2aRouter).mount(app);
  app.enableShutdownHooks();
  app.useGlobalFilters(new SpineExceptionFilter());
  serveOpenApi(app);
  serveConsole(app, config.CONSOLE_DIR);
  const db = app.get<DataSource>(getDataSourceToken());
  app.get(Readiness).register('postgres', () => db.isInitialized);
  app.get(Readiness).register('nats', () => !nc.isClosed());
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  const { port } = app.getHttpServer().address() as { port: number };
  const grpcPort = await app.get(GrpcServer).listen();
  logger.log({ msg: 'orchestrator.started', httpPort: port, grpcPort }, 'bootstrap');
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await closeNats(nc);
    })());
  return { app, httpUrl: `http://127.0.0.1:${port}`, grpcAddress: `127.0.0.1:${grpcPort}`, close };
}
