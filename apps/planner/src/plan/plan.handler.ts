import type { MessageInitShape } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import type { AgentHandler, InvokeContext } from '@spine/agent-kit';
import type { PlannerInput, PlannerInputSchema, PlannerOutputSchema } from '@spine/contracts';
import { PlannerService } from './planner.service.js';

/** spine.agent.planner.invoke: PlannerInput → PlannerOutput. */
@Injectable()
export class PlanHandler implements AgentHandler<typeof PlannerInputSchema, typeof PlannerOutputSchema> {
  constructor(private readonly planner: PlannerService) {}

  handle(input: PlannerInput, ctx: InvokeContext): Promise<MessageInitShape<typeof PlannerOutputSchema>> {
    return this.planner.plan(input, ctx);
  }
}
