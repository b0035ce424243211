import type { NatsConnection } from '@nats-io/transport-node';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { appDataSourceOptions } from '@spine/persistence';
import { HealthModule } from '@spine/observability';
import { AgentInstanceEntity } from './agents/agent-instance.entity.js';
import { AgentsModule } from './agents/agents.module.js';
import { NATS_CONNECTION } from '@spine/messaging';
import { migrations } from './migrations/index.js';
import { REGISTRY_CONFIG, REGISTRY_SCHEMA, type RegistryConfig } from './registry.config.js';

export function registryDataSource(url: string) {
  return { url, schema: REGISTRY_SCHEMA, entities: [AgentInstanceEntity], migrations, applicationName: 'spine-registry' };
}

@Global()
@Module({})
export class RegistryModule {
  static with(config: RegistryConfig, connection: NatsConnection): DynamicModule {
    return {
      module: RegistryModule,
      imports: [
        HealthModule.forService('registry'),
        TypeOrmModule.forRoot(appDataSourceOptions(registryDataSource(config.DATABASE_URL))),
        AgentsModule,
      ],
      providers: [
        { provide: REGISTRY_CONFIG, useValue: config },
        { provide: NATS_CONNECTION, useValue: connection },
      ],
      exports: [REGISTRY_CONFIG, NATS_CONNECTION],
    };
  }
}
