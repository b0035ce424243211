import type { DescMessage } from '@bufbuild/protobuf';
import type { NatsConnection } from '@nats-io/transport-node';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { queueGroups } from '@spine/contracts';
import { closeNats, connectNats, NatsProtoServer } from '@spine/messaging';
import { createRootLogger, Readiness, SpineExceptionFilter, SpineLogger } from '@spine/observability';
import type { AgentDefinition, AgentHandler } from './agent-definition.js';
import { AgentKitModule } from './agent-kit.module.js';
import { loadAgentConfig, type AgentConfig } from './agent.config.js';
import { RegistrationService } from './registration.service.js';
import type { AnyAgentDefinition, AnyAgentHandler } from './tokens.js';

export interface BootstrapAgentOptions<In extends DescMessage, Out extends DescMessage> {
  agent: AgentDefinition<In, Out>;
  /** The agent's module (a DynamicModule when it needs its own configuration, e.g. a database). */
  module: Type<unknown> | DynamicModule;
  handler: Type<AgentHandler<In, Out>>;
  env?: NodeJS.ProcessEnv;
  /** Exit on SIGTERM/SIGINT after draining (default true; tests pass false). */
  handleSignals?: boolean;
}

export interface RunningAgent {
  app: INestApplication;
  config: AgentConfig;
  instanceId: string;
  httpUrl: string;
  /** Deregister, stop taking requests, finish the ones in flight, close. Idempotent. */
  shutdown(): Promise<void>;
}

/** Boots a built-in agent: NATS handler with queue group, registration and heartbeats, /health and /metrics over HTTP. */
export async function bootstrapAgent<In extends DescMessage, Out extends DescMessage>(options: BootstrapAgentOptions<In, Out>): Promise<RunningAgent> {
  const { agent } = options;
  const config = loadAgentConfig(agent.name, options.env);
  const logger = new SpineLogger(createRootLogger({ service: agent.name, level: config.LOG_LEVEL }));
  const nc = await connectNats({ servers: config.NATS_URL, name: `${agent.name}:${config.AGENT_INSTANCE_ID}`, user: config.NATS_USER, pass: config.NATS_PASSWORD });
  const app = await NestFactory.create(
    AgentKitModule.forAgent({
      agent: agent as unknown as AnyAgentDefinition,
      module: options.module,
      handler: options.handler as unknown as Type<AnyAgentHandler>,
      config,
      connection: nc,
    }),
    { logger },
  );
  app.useGlobalFilters(new SpineExceptionFilter());
  const server = new NatsProtoServer({ connection: nc, name: agent.name, queue: queueGroups.agent(agent.name) });
  // Filters must be global before connecting: Nest builds the RPC handlers at connect time.
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  app.get(Readiness).register('nats', () => !nc.isClosed());
  await app.startAllMicroservices();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  const registration = app.get(RegistrationService);
  registration.start();

  const shutdown = once(() => stopAgent(app, server, registration, nc, config.SHUTDOWN_GRACE_MS));
  if (options.handleSignals ?? true) {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.log({ msg: 'agent.stopping', signal }, 'bootstrap');
      void shutdown().then(() => process.exit(0));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  const address = app.getHttpServer().address() as { port: number };
  logger.log({ msg: 'agent.started', instanceId: config.AGENT_INSTANCE_ID, httpPort: address.port }, 'bootstrap');
  return { app, config, instanceId: config.AGENT_INSTANCE_ID, httpUrl: `http://127.0.0.1:${address.port}`, shutdown };
}

async function stopAgent(app: INestApplication, server: NatsProtoServer, registration: RegistrationService, nc: NatsConnection, graceMs: number): Promise<void> {
  await registration.stop();
  await server.drain(graceMs);
  await app.close();
  await closeNats(nc);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
