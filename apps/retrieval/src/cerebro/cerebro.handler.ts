import type { MessageInitShape } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import type { AgentHandler, InvokeContext } from '@spine/agent-kit';
import type { ContextPackSchema, RetrievalInput, RetrievalInputSchema } from '@spine/contracts';
import { CerebroService } from './cerebro.service.js';

/** spine.agent.retrieval.invoke: RetrievalInput → ContextPack. */
@Injectable()
export class CerebroHandler implements AgentHandler<typeof RetrievalInputSchema, typeof ContextPackSchema> {
  constructor(private readonly cerebro: CerebroService) {}

  handle(input: RetrievalInput, ctx: InvokeContext): Promise<MessageInitShape<typeof ContextPackSchema>> {
    return this.cerebro.run(input, ctx);
  }
}
