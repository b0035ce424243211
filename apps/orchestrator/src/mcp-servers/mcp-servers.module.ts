import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { McpServersController } from './mcp-servers.controller.js';
import { McpServersRepository } from './mcp-servers.repository.js';
import { McpServersService } from './mcp-servers.service.js';

/** /v1/mcp-servers, and the tenant's MCP tools for deploy-time checks and the tool-executor's calls. */
@Module({
  imports: [AuthModule, AgentsModule],
  controllers: [McpServersController],
  providers: [McpServersRepository, McpServersService],
  exports: [McpServersService],
})
export class McpServersModule {}
