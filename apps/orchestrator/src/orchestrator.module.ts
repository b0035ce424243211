import type { NatsConnection } from '@nats-io/transport-node';
import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NATS_CONNECTION } from '@spine/messaging';
import { HealthModule } from '@spine/observability';
import { appDataSourceOptions } from '@spine/persistence';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { A2aRouter } from './a2a/a2a.router.js';
import { A2aService } from './a2a/a2a.service.js';
import { A2aCardClient } from './a2a/card/a2a-card.client.js';
import { AgentsController } from './agents/agents.controller.js';
import { AgentEndpointPolicy } from './agents/agent-endpoint.policy.js';
import { AgentSecretsRepository } from './agents/agent-secrets.repository.js';
import { AgentsService } from './agents/agents.service.js';
import { SecretBox } from './agents/secret-box.js';
import { TenantScopeInterceptor } from './agents/tenant-scope.interceptor.js';
import { RemoteDispatch } from './engine/dispatch/remote-dispatch.js';
import { RegistryClient } from './agents/registry.client.js';
import { AccessService } from './auth/access.service.js';
import { TenantRates } from './limits/tenant-rates.js';
import { ApiKeysController } from './auth/api-keys.controller.js';
import { ApiKeysRepository } from './auth/api-keys.repository.js';
import { ApiKeysService } from './auth/api-keys.service.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AgentDirectory } from './agents/agent-directory.js';
import { ConversationsController } from './conversations/conversations.controller.js';
import { ConversationsRepository } from './conversations/conversations.repository.js';
import { ConversationsService } from './conversations/conversations.service.js';
import { ExecutionFeed } from './executions/execution-feed.js';
import { ExecutionStreamController } from './executions/execution-stream.controller.js';
import { ExecutionsController } from './executions/executions.controller.js';
import { ExecutionsRepository } from './store/executions.repository.js';
import { ExecutionsService } from './executions/executions.service.js';
import { AgentBreakers } from './engine/dispatch/agent-breakers.js';
import { AgentDispatcher } from './engine/dispatch/agent-dispatcher.js';
import { EventPublisher } from './engine/outbox/event-publisher.js';
import { ExecutorService } from './engine/executor.service.js';
import { FlowCatalogService } from './flows/flow-catalog.service.js';
import { GrpcServer } from './grpc/grpc.server.js';
import { OrchestratorGrpc } from './grpc/orchestrator.grpc.js';
import { FlowsController } from './flows/flows.controller.js';
import { FlowsRepository } from './flows/flows.repository.js';
import { FlowsService } from './flows/flows.service.js';
import { LeasesRepository } from './store/leases.repository.js';
import { migrations } from './migrations/index.js';
import { ORCHESTRATOR_CONFIG, ORCHESTRATOR_SCHEMA, type OrchestratorConfig } from './orchestrator.config.js';

export function orchestratorDataSource(url: string) {
  return { url, schema: ORCHESTRATOR_SCHEMA, entities: [], migrations, applicationName: 'spine-orchestrator' };
}

@Module({})
export class OrchestratorModule {
  static with(config: OrchestratorConfig, connection: NatsConnection): DynamicModule {
    return {
      module: OrchestratorModule,
      imports: [HealthModule.forService('orchestrator'), TypeOrmModule.forRoot(appDataSourceOptions(orchestratorDataSource(config.DATABASE_URL)))],
      controllers: [ApiKeysController, AgentsController, FlowsController, ExecutionsController, ExecutionStreamController, ConversationsController],
      providers: [
        { provide: ORCHESTRATOR_CONFIG, useValue: config },
        { provide: NATS_CONNECTION, useValue: connection },
        ApiKeysRepository,
        ApiKeysService,
        AccessService,
        TenantRates,
        AuthGuard,
        RegistryClient,
        ExecutionsRepository,
        LeasesRepository,
        AgentDirectory,
        FlowCatalogService,
        FlowsRepository,
        FlowsService,
        AgentBreakers,
        AgentDispatcher,
        AgentsService,
        AgentSecretsRepository,
        SecretBox,
        AgentEndpointPolicy,
        RemoteDispatch,
        { provide: APP_INTERCEPTOR, useClass: TenantScopeInterceptor },
        EventPublisher,
        ExecutorService,
        ExecutionsService,
        ExecutionFeed,
        ConversationsRepository,
        ConversationsService,
        OrchestratorGrpc,
        GrpcServer,
        A2aService,
        A2aRouter,
        A2aCardClient,
      ],
      exports: [ApiKeysService],
    };
  }
}
