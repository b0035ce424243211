import type { MessageInitShape } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import type { AgentHandler, InvokeContext } from '@spine/agent-kit';
import type { ToolCallsInput, ToolCallsInputSchema, ToolCallsOutputSchema } from '@spine/contracts';
import { ToolCallsService } from './tool-calls.service.js';

/** spine.agent.tool-executor.invoke: ToolCallsInput → ToolCallsOutput. */
@Injectable()
export class ToolsHandler implements AgentHandler<typeof ToolCallsInputSchema, typeof ToolCallsOutputSchema> {
  constructor(private readonly calls: ToolCallsService) {}

  async handle(input: ToolCallsInput, ctx: InvokeContext): Promise<MessageInitShape<typeof ToolCallsOutputSchema>> {
    const results = await this.calls.execute(input, ctx);
    return {
      results: results.map(({ tool, callIndex, outcome, replayed }) =>
        outcome.ok ? { tool, callIndex, ok: true, result: outcome.result, replayed } : { tool, callIndex, ok: false, error: outcome.error, replayed },
      ),
    };
  }
}
