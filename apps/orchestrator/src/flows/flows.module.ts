import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { McpServersModule } from '../mcp-servers/mcp-servers.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { FlowCatalogService } from './flow-catalog.service.js';
import { FlowDocuments } from './flow-documents.js';
import { FlowsController } from './flows.controller.js';
import { FlowsRepository } from './flows.repository.js';
import { FlowsService } from './flows.service.js';

/** Flow definitions: deploy (checked against the agent catalog), versions, and the plan the engine runs. */
@Module({
  imports: [AuthModule, AgentsModule, McpServersModule],
  controllers: [FlowsController],
  providers: [FlowsRepository, FlowsService, FlowCatalogService, FlowDocuments],
  exports: [FlowsService],
})
export class FlowsModule {}
