import { defineAgent } from '@spine/agent-kit';
import { PlannerInputSchema, PlannerOutputSchema } from '@spine/contracts';

export const plannerAgent = defineAgent({
  name: 'planner',
  version: '0.1.0',
  description: "Plans a message into tool calls whose arguments validate against each tool's JSON Schema, or names the missing fields and asks one question. Never invents an argument.",
  capabilities: ['plan.tool-calls', 'plan.missing-fields'],
  input: PlannerInputSchema,
  output: PlannerOutputSchema,
});
