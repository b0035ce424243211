import type { NatsConnection } from '@nats-io/transport-node';
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { NATS_CONNECTION, ProtoClient } from '@spine/messaging';
import { HealthModule } from '@spine/observability';
import type { AgentConfig } from './agent.config.js';
import { AgentMetrics } from './agent-metrics.js';
import { Cancellations } from './cancellations.js';
import { invokeHandlerFor } from './invoke.handler.js';
import { InvokeService } from './invoke.service.js';
import { PROTO_CLIENT, RegistrationService } from './registration.service.js';
import { AGENT, AGENT_CONFIG, AGENT_HANDLER, type AnyAgentDefinition, type AnyAgentHandler } from './tokens.js';

export interface AgentKitModuleOptions {
  agent: AnyAgentDefinition;
  /** The agent's own module; it must provide and export the handler. */
  module: Type<unknown> | DynamicModule;
  handler: Type<AnyAgentHandler>;
  config: AgentConfig;
  connection: NatsConnection;
}

@Module({})
export class AgentKitModule {
  static forAgent(options: AgentKitModuleOptions): DynamicModule {
    return {
      module: AgentKitModule,
      // Global so the agent's own module can inject the kit's NATS connection (NATS_CONNECTION).
      global: true,
      imports: [HealthModule.forService(options.agent.name), options.module],
      controllers: [invokeHandlerFor(options.agent.name)],
      providers: [
        { provide: AGENT, useValue: options.agent },
        { provide: AGENT_CONFIG, useValue: options.config },
        { provide: NATS_CONNECTION, useValue: options.connection },
        { provide: PROTO_CLIENT, useFactory: (nc: NatsConnection) => new ProtoClient(nc), inject: [NATS_CONNECTION] },
        // useExisting waits for the handler and its dependencies (e.g. a database) to be ready; ModuleRef.get would not.
        { provide: AGENT_HANDLER, useExisting: options.handler },
        AgentMetrics,
        Cancellations,
        InvokeService,
        RegistrationService,
      ],
      exports: [NATS_CONNECTION],
    };
  }
}
