import { Controller, Get, Param, Query } from '@nestjs/common';
import type { InstanceView } from './agent.mapper.js';
import { AgentsService } from './agents.service.js';

/** Read API for operators. */
@Controller('agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  async list(@Query('state') state?: string, @Query('capability') capability?: string): Promise<{ agents: InstanceView[] }> {
    return { agents: await this.agents.views({ state, capability }) };
  }

  @Get(':name')
  async get(@Param('name') name: string): Promise<{ name: string; instances: InstanceView[] }> {
    return { name, instances: await this.agents.viewsOf(name) };
  }
}
