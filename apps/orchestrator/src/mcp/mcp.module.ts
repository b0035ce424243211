import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { EngineModule } from '../engine/engine.module.js';
import { ExecutionsModule } from '../executions/executions.module.js';
import { FlowsModule } from '../flows/flows.module.js';
import { McpController } from './mcp.controller.js';
import { McpErpToolsService } from './mcp-erp-tools.service.js';
import { McpFlowsService } from './mcp-flows.service.js';

/** `/mcp`: the tenant's flows, and the ERP tools its key's role may call, as MCP tools. */
@Module({
  imports: [AuthModule, FlowsModule, ExecutionsModule, ConversationsModule, EngineModule],
  controllers: [McpController],
  providers: [McpFlowsService, McpErpToolsService],
})
export class McpModule {}
