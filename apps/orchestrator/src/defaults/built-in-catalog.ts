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
import { catalogAgentOfMessages, fieldTypeOfJsonSchema, type FlowCatalog } from '@spine/flow';
import { toolCatalog } from '@spine/tool-catalog';

/**
 * The seven built-in agents as their protobuf messages declare them, and every tool the tool-executor runs: what
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
    ]),
    tools: new Map(toolCatalog.map((t) => [t.name, { inputType: fieldTypeOfJsonSchema(t.parameters as JsonValue) }])),
    models: new Set(models),
  };
}
