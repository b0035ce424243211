import { defineAgent } from '@spine/agent-kit';
import { RouterInputSchema, RouterOutputSchema } from '@spine/contracts';

export const routerAgent = defineAgent({
  name: 'router',
  version: '0.1.0',
  description: 'Routes a message: SMALL_TALK, NEED_MORE_CONTEXT, FLOW_EXECUTION or UNKNOWN, with intent and confidence. Calls no tool.',
  capabilities: ['route.message', 'intent.classify'],
  input: RouterInputSchema,
  output: RouterOutputSchema,
});
