import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { AuthGuard } from '../auth/auth.guard.js';
import { CurrentPrincipal, Roles, type Principal } from '../auth/principal.js';
import { AgentsService, type AgentView } from './agents.service.js';

export type { AgentView } from './agents.service.js';

/** /v1/agents: the registry's view (built-ins plus the caller's own agents) and third-party agent registration. */
@Controller('v1/agents')
@UseGuards(AuthGuard)
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  list(@CurrentPrincipal() p: Principal): Promise<{ agents: AgentView[] }> {
    return this.agents.list(p);
  }

  @Post()
  @Roles('agent-publisher', 'admin')
  register(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.agents.register(p, body);
  }

  /** `{ url }` of an A2A agent card (or the agent's base URL): its skills become capabilities, transport `a2a`. */
  @Post('import-a2a')
  @Roles('agent-publisher', 'admin')
  importA2a(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.agents.importA2a(p, body);
  }

  @Put(':name')
  @Roles('agent-publisher', 'admin')
  replace(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Body() body: unknown) {
    return this.agents.replace(p, name, body);
  }

  @Delete(':name')
  @Roles('agent-publisher', 'admin')
  @HttpCode(204)
  remove(@CurrentPrincipal() p: Principal, @Param('name') name: string): Promise<void> {
    return this.agents.remove(p, name);
  }
}
