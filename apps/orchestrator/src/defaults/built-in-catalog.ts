import type { JsonValue } from '@bufbuild/protobuf';
import {
  AuditQuerySchema,
  AuditTrailSchema,
  ContextPackSchema,
  IntakeInputSchema,
  IntakeOutputSchema,
  PlannerInputSchema,
  PlannerOutputSchema,
  RetrievalInputSchema,
  RouterInputSchema,
  RouterOutputSchema,
  StreamerInputSchema,
  StreamerOutputSchema,
  ToolCallsInputSchema,
  ToolCallsOutputSchema,
} from '@spine/contracts';
import { catalogAgentOfJsonSchemas, catalogAgentOfMessages, fieldTypeOfJsonSchema, type FlowCatalog } from '@spine/flow';
import { toolCatalog } from '@spine/tool-catalog';

const LLM_ANSWER = {
  type: 'object',
  properties: { text: { type: 'string' }, response: { type: 'object', properties: { text: { type: 'string' }, length: { type: 'integer' }, contains_pii: { type: 'boolean' } } }, model: { type: 'string' } },
};

/**
 * The built-in agents as their protobuf messages declare them, and every tool the tool-executor runs: what
 * the default flows are checked against when they are installed, before any agent has registered.
 */
export function builtInCatalog(models: Iterable<string>): FlowCatalog {
  return {
    agents: new Map([
      ['intake', catalogAgentOfMessages(IntakeInputSchema, IntakeOutputSchema)],
      ['router', catalogAgentOfMessages(RouterInputSchema, RouterOutputSchema)],
      ['retrieval', catalogAgentOfMessages(RetrievalInputSchema, ContextPackSchema)],
      ['planner', catalogAgentOfMessages(PlannerInputSchema, PlannerOutputSchema)],
      ['tool-executor', catalogAgentOfMessages(ToolCallsInputSchema, ToolCallsOutputSchema)],
      ['streamer', catalogAgentOfMessages(StreamerInputSchema, StreamerOutputSchema)],
      ['event-logger', catalogAgentOfMessages(AuditQuerySchema, AuditTrailSchema)],
      // Struct in and out (apps/llm/src/llm.agent.ts): a node's outputSchema, when it has one, says what it answers.
      ['llm', catalogAgentOfJsonSchemas({ type: 'object' }, LLM_ANSWER)],
    ]),
    tools: new Map(toolCatalog.map((t) => [t.name, { inputType: fieldTypeOfJsonSchema(t.parameters as JsonValue) }])),
    models: new Set(models),
  };
}
