import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { A2aCardModule } from '../a2a/card/a2a-card.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { AgentDirectory } from './agent-directory.js';
import { AgentSecretsRepository } from './agent-secrets.repository.js';
import { AgentsController } from './agents.controller.js';
import { AgentsService } from './agents.service.js';
import { RegistryClient } from './registry.client.js';
import { SecretBox } from './secret-box.js';
import { TenantScopeInterceptor } from './tenant-scope.interceptor.js';

/**
 * The agents a flow may call: the registry's view (AgentDirectory), third-party agents' registration and their
 * sealed signing secrets. The engine reads the directory and opens the secrets; nothing else leaves this module.
 */
@Module({
  imports: [AuthModule, A2aCardModule],
  controllers: [AgentsController],
  providers: [RegistryClient, AgentDirectory, AgentsService, AgentSecretsRepository, SecretBox, { provide: APP_INTERCEPTOR, useClass: TenantScopeInterceptor }],
  exports: [AgentDirectory, AgentSecretsRepository, SecretBox],
})
export class AgentsModule {}
