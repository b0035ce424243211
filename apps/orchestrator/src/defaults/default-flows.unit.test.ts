import { loadFlow, validateFlow } from '@spine/flow';
import { toolCatalog } from '@spine/tool-catalog';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../orchestrator.config.js';
import { builtInCatalog } from './built-in-catalog.js';
import { defaultFlowText } from './default-flows.js';

const text = defaultFlowText('erp-assistant');

describe('the default erp-assistant flow', () => {
  const flow = loadFlow(text);

  it('validates against the real agents and tools with no issues', () => {
    expect(validateFlow(flow, builtInCatalog(['local']))).toEqual([]);
  });

  it('wires intake → router (‖ names) → retrieval → planner → tool-executor (→ planner-2 → tool-executor-2) → streamer', () => {
    expect(flow.nodes.map((n) => [n.id, n.agent, n.dependsOn])).toEqual([
      ['intake', 'intake', []],
      ['names', 'tool-executor', ['intake']],
      ['router', 'router', ['intake']],
      ['retrieval', 'retrieval', ['router']],
      ['planner', 'planner', ['intake', 'router', 'retrieval', 'names']],
      ['tool-executor', 'tool-executor', ['intake', 'planner']],
      ['planner-2', 'planner', ['intake', 'router', 'names', 'planner', 'tool-executor']],
      ['tool-executor-2', 'tool-executor', ['intake', 'planner-2']],
      ['streamer', 'streamer', ['intake', 'router', 'retrieval', 'planner', 'tool-executor', 'planner-2', 'tool-executor-2']],
    ]);
    // The second round runs only when the first asks for it, and sees the first round's results.
    expect(flow.nodes.find((n) => n.id === 'planner-2')?.condition).toBe('{{ planner.followUp }}');
    expect(flow.nodes.find((n) => n.id === 'planner-2')?.inputs).toMatchObject({ round: 2, previousResults: '{{ tool-executor.results }}' });
    expect(flow.nodes.find((n) => n.id === 'tool-executor')?.condition).toBe('{{ planner.ready }}');
    // Both planner rounds read the message against the tenant's names, which the flow looks up itself.
    expect(flow.nodes.find((n) => n.id === 'names')).toMatchObject({ type: 'tool', tools: ['lookupNames'] });
    for (const id of ['planner', 'planner-2']) expect(flow.nodes.find((n) => n.id === id)?.inputs).toMatchObject({ knownNames: '{{ names.results[0].result }}' });
    expect(flow.nodes.find((n) => n.id === 'tool-executor')?.inputs).toMatchObject({ calls: '{{ planner.toolCalls }}' });
  });

  it('allows exactly the ERP tools of the catalog, lookupNames included (not send_template, which is customer-support-flow\'s), and no event-logger node (it reads JetStream)', () => {
    expect([...(flow.scopes.allowedTools ?? [])].sort()).toEqual(toolCatalog.map((t) => t.name).filter((n) => n !== 'send_template').sort());
    expect(flow.nodes.some((n) => n.agent === 'event-logger')).toBe(false);
  });

  it('is caught when a reference breaks: planner.toolCalls renamed', () => {
    const broken = loadFlow(text.replace('{{ planner.toolCalls }}', '{{ planner.tool_list }}'));
    expect(validateFlow(broken, builtInCatalog(['local']))).toEqual([expect.objectContaining({ code: 'UNKNOWN_FIELD' })]);
  });
});

describe('the default customer-support-flow (seed 000 §7.2)', () => {
  const text = defaultFlowText('customer-support-flow');

  it("is the seed's JSON unchanged (libs/flow's copy of §7.2)", () => {
    const seed = readFileSync(new URL('../../../../libs/flow/src/fixtures/customer-support-flow.json', import.meta.url), 'utf8');
    expect(JSON.parse(text)).toEqual(JSON.parse(seed));
  });

  it("validates against the real agents, tools and the stock FLOW_MODELS with no issues: every tool a node calls exists", () => {
    const models = loadConfig({ NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgres://x@127.0.0.1/x' }).FLOW_MODELS;
    const flow = loadFlow(text);
    expect(validateFlow(flow, builtInCatalog(models))).toEqual([]);
    expect(flow.nodes.flatMap((n) => n.tools)).toEqual(['send_template']);
    expect(toolCatalog.map((t) => t.name)).toContain('send_template');
  });
});
