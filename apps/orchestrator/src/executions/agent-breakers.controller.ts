import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard.js';
import { AgentBreakers, type BreakerState } from '../engine/dispatch/agent-breakers.js';

/** The circuit breakers of the replica that answers (each replica keeps its own): what the console's Agents page shows. */
@ApiTags('agents')
@Controller('v1/agents')
@UseGuards(AuthGuard)
export class AgentBreakersController {
  constructor(private readonly breakers: AgentBreakers) {}

  @Get('breakers')
  @ApiOperation({ summary: "Circuit-breaker state per agent on the answering replica: closed, open or half-open (agents it never called: closed, not listed)" })
  list(): { breakers: Record<string, BreakerState> } {
    return { breakers: this.breakers.snapshot() };
  }
}
