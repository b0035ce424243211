import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import type { InstanceView } from './agent.mapper.js';
import { AgentsService } from './agents.service.js';
import { OperatorGuard } from './operator.guard.js';

/** Read API for operators (OperatorGuard: a token, or loopback only). `tenant` keeps one tenant's third-party agents. */
@Controller('agents')
@UseGuards(OperatorGuard)
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  async list(@Query('state') state?: string, @Query('capability') capability?: string, @Query('tenant') tenant?: string): Promise<{ agents: InstanceView[] }> {
    return { agents: await this.agents.views({ state, capability, tenant }) };
  }

  @Get(':name')
  async get(@Param('name') name: string, @Query('tenant') tenant?: string): Promise<{ name: string; instances: InstanceView[] }> {
    return { name, instances: await this.agents.viewsOf(name, tenant) };
  }
}
