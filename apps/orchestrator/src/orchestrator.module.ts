import type { NatsConnection } from '@nats-io/transport-node';
import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HealthModule } from '@spine/observability';
import { appDataSourceOptions } from '@spine/persistence';
import { A2aModule } from './a2a/a2a.module.js';
import { AgentsModule } from './agents/agents.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ConversationsModule } from './conversations/conversations.module.js';
import { CoreModule } from './core/core.module.js';
import { DeadLettersModule } from './dead-letters/dead-letters.module.js';
import { ExecutionsModule } from './executions/executions.module.js';
import { FlowsModule } from './flows/flows.module.js';
import { GrpcModule } from './grpc/grpc.module.js';
import { KnowledgeModule } from './knowledge/knowledge.module.js';
import { McpModule } from './mcp/mcp.module.js';
import { McpServersModule } from './mcp-servers/mcp-servers.module.js';
import { OpenAiModule } from './openai/openai.module.js';
import { migrations } from './migrations/index.js';
import { ORCHESTRATOR_SCHEMA, type OrchestratorConfig } from './orchestrator.config.js';

export function orchestratorDataSource(url: string) {
  return { url, schema: ORCHESTRATOR_SCHEMA, entities: [], migrations, applicationName: 'spine-orchestrator' };
}

/**
 * The orchestrator: feature modules, each depending only on those below it (see README.md):
 *   a2a, grpc → conversations → executions → engine → flows → agents → auth;  engine → store;  dead-letters, knowledge → auth;
 *   everything → core.
 */
@Module({})
export class OrchestratorModule {
  static with(config: OrchestratorConfig, connection: NatsConnection): DynamicModule {
    return {
      module: OrchestratorModule,
      imports: [
        CoreModule.with(config, connection),
        HealthModule.forService('orchestrator'),
        TypeOrmModule.forRoot(appDataSourceOptions(orchestratorDataSource(config.DATABASE_URL))),
        AuthModule,
        AgentsModule,
        FlowsModule,
        ExecutionsModule,
        ConversationsModule,
        GrpcModule,
        A2aModule,
        DeadLettersModule,
        KnowledgeModule,
        OpenAiModule,
        McpModule,
        McpServersModule,
      ],
    };
  }
}
