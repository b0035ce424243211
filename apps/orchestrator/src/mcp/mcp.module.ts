import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { ExecutionsModule } from '../executions/executions.module.js';
import { FlowsModule } from '../flows/flows.module.js';
import { McpController } from './mcp.controller.js';
import { McpFlowsService } from './mcp-flows.service.js';

/** `/mcp`: the tenant's flows as MCP tools. */
@Module({
  imports: [AuthModule, FlowsModule, ExecutionsModule, ConversationsModule],
  controllers: [McpController],
  providers: [McpFlowsService],
})
export class McpModule {}
