import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { queueGroups } from '@spine/contracts';
import { closeNats, connectNats, NatsProtoServer } from '@spine/messaging';
import { createRootLogger, Readiness, SpineExceptionFilter, SpineLogger } from '@spine/observability';
import type { DataSource } from 'typeorm';
import { RegistryEndpointPolicy } from './external/endpoint-policy.provider.js';
import { RegistryModule } from './registry.module.js';
import type { RegistryConfig } from './registry.config.js';

export interface RunningRegistry {
  app: INestApplication;
  httpUrl: string;
  close(): Promise<void>;
}

/** Boots the registry: NATS API (queue group `registry`), HTTP read API, health sweeps. Migrations must have run. */
export async function startRegistry(config: RegistryConfig): Promise<RunningRegistry> {
  const logger = new SpineLogger(createRootLogger({ service: 'registry', level: config.LOG_LEVEL }));
  const nc = await connectNats({ servers: config.NATS_URL, name: 'registry', user: config.NATS_USER, pass: config.NATS_PASSWORD });
  const app = await NestFactory.create(RegistryModule.with(config, nc), { logger });
  app.useGlobalFilters(new SpineExceptionFilter());
  const server = new NatsProtoServer({ connection: nc, name: 'registry', queue: queueGroups.registry });
  // Filters must be global before connecting: Nest builds the RPC handlers at connect time.
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  const db = app.get<DataSource>(getDataSourceToken());
  app.get(Readiness).register('nats', () => !nc.isClosed());
  app.get(Readiness).register('postgres', () => db.isInitialized);
  await app.startAllMicroservices();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  const { port } = app.getHttpServer().address() as { port: number };
  app.get(RegistryEndpointPolicy).useOwnPort(port);
  logger.log({ msg: 'registry.started', httpPort: port }, 'bootstrap');
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await server.drain(5_000);
      await app.close();
      await closeNats(nc);
    })());
  return { app, httpUrl: `http://127.0.0.1:${port}`, close };
}
