import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { AuthGuard } from '../auth/auth.guard.js';
import { CurrentPrincipal, Roles, type Principal } from '../auth/principal.js';
import { McpServersService, type McpServerView } from './mcp-servers.service.js';

/** /v1/mcp-servers: the tenant's MCP servers (Streamable HTTP), whose tools flows call as `server.tool`. Admins only. */
@Controller('v1/mcp-servers')
@UseGuards(AuthGuard)
@Roles('admin')
export class McpServersController {
  constructor(private readonly servers: McpServersService) {}

  @Post()
  register(@CurrentPrincipal() p: Principal, @Body() body: unknown): Promise<McpServerView> {
    return this.servers.register(p, body);
  }

  @Get()
  list(@CurrentPrincipal() p: Principal): Promise<{ servers: McpServerView[] }> {
    return this.servers.list(p);
  }

  /** Probes the server now: its health and a fresh list of its tools. */
  @Get(':name')
  get(@CurrentPrincipal() p: Principal, @Param('name') name: string): Promise<McpServerView> {
    return this.servers.probe(p, name);
  }

  @Delete(':name')
  @HttpCode(204)
  remove(@CurrentPrincipal() p: Principal, @Param('name') name: string): Promise<void> {
    return this.servers.remove(p, name);
  }
}
