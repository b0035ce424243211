import { defineAgent } from '@spine/agent-kit';
import { ToolCallsInputSchema, ToolCallsOutputSchema } from '@spine/contracts';
import { toolCatalog } from '@spine/tool-catalog';

export const toolExecutorAgent = defineAgent({
  name: 'tool-executor',
  version: '0.1.0',
  description: 'Runs ERP tool calls: permission, scope and schema checks, smart tools with business rules, an idempotency ledger.',
  capabilities: ['tools.execute', ...toolCatalog.map((t) => `tool.${t.name.toLowerCase()}`)],
  input: ToolCallsInputSchema,
  output: ToolCallsOutputSchema,
});
