import type { JsonValue } from '@bufbuild/protobuf';
import { readFileSync } from 'node:fs';
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
// The real tool catalog: the flow's allowedTools must be tools the tool-executor runs.
import { toolCatalog } from '@spine/tool-catalog';
import { describe, expect, it } from 'vitest';
import { catalogAgentOfMessages, type FlowCatalog } from './flow.catalog.js';
import { fieldTypeOfJsonSchema } from './field-type.js';
import { loadFlow } from './flow.loader.js';
import { validateFlow } from './flow.validator.js';

const text = readFileSync(new URL('../fixtures/erp-assistant.flow.yaml', import.meta.url), 'utf8');

/** The seven built-in agents as their protobuf messages declare them, and every tool the tool-executor runs. */
function builtInCatalog(): FlowCatalog {
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
    models: new Set(['local']),
  };
}

describe('the default erp-assistant flow', () => {
  const flow = loadFlow(text);

  it('validates against the real agents and tools with no issues', () => {
    expect(validateFlow(flow, builtInCatalog())).toEqual([]);
  });

  it('wires intake → router → retrieval → planner → tool-executor → streamer', () => {
    expect(flow.nodes.map((n) => [n.id, n.agent, n.dependsOn])).toEqual([
      ['intake', 'intake', []],
      ['router', 'router', ['intake']],
      ['retrieval', 'retrieval', ['router']],
      ['planner', 'planner', ['intake', 'router', 'retrieval']],
      ['tool-executor', 'tool-executor', ['intake', 'planner']],
      ['streamer', 'streamer', ['intake', 'router', 'planner', 'tool-executor']],
    ]);
    expect(flow.nodes.find((n) => n.id === 'tool-executor')?.condition).toBe('{{ planner.ready }}');
    expect(flow.nodes.find((n) => n.id === 'tool-executor')?.inputs).toMatchObject({ calls: '{{ planner.toolCalls }}' });
  });

  it('allows exactly the tools of the catalog, and no event-logger node (it reads JetStream)', () => {
    expect([...(flow.scopes.allowedTools ?? [])].sort()).toEqual(toolCatalog.map((t) => t.name).sort());
    expect(flow.nodes.some((n) => n.agent === 'event-logger')).toBe(false);
  });

  it('is caught when a reference breaks: planner.toolCalls renamed', () => {
    const broken = loadFlow(text.replace('{{ planner.toolCalls }}', '{{ planner.tool_list }}'));
    expect(validateFlow(broken, builtInCatalog())).toEqual([expect.objectContaining({ code: 'UNKNOWN_FIELD' })]);
  });
});
