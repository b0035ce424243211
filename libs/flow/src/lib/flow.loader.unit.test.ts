import { readFileSync } from 'node:fs';
import { ErrorCode, SpineError } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { loadFlow, readFlow } from './flow.loader.js';

const seedText = readFileSync(new URL('../fixtures/customer-support-flow.json', import.meta.url), 'utf8');

describe('the seed 000 Agent Flow JSON', () => {
  it('loads as it is, with kinds, agents and dependencies derived from its references', () => {
    const flow = loadFlow(seedText);
    expect(flow).toMatchObject({ id: 'customer-support-flow', name: 'Soporte al Cliente', version: '1.0', format: 'seed' });
    expect(flow.trigger).toEqual({ type: 'message_received' });
    const summary = flow.nodes.map((n) => ({ id: n.id, kind: n.kind, agent: n.agent, dependsOn: n.dependsOn }));
    expect(summary).toEqual([
      { id: 'intent-classifier', kind: 'agent', agent: 'llm', dependsOn: [] },
      { id: 'knowledge-lookup', kind: 'agent', agent: 'retrieval', dependsOn: ['intent-classifier'] },
      { id: 'response-generator', kind: 'agent', agent: 'llm', dependsOn: ['intent-classifier', 'knowledge-lookup'] },
      // names no node: runs after the agent listed before it
      { id: 'quality-gate', kind: 'deterministic', agent: undefined, dependsOn: ['response-generator'] },
      { id: 'send-template', kind: 'agent', agent: 'tool-executor', dependsOn: ['intent-classifier', 'quality-gate'] },
    ]);
  });

  it('keeps model, tools, params, settings and scopes', () => {
    const [classifier, lookup, , gate, send] = loadFlow(seedText).nodes;
    expect(classifier).toMatchObject({ model: 'llama-3.1-8b-instant', config: { maxTokens: 100, temperature: 0.1 } });
    expect(classifier?.outputSchema).toMatchObject({ properties: { confidence: { type: 'number' } } });
    expect(lookup?.config).toEqual({ vectorStoreIds: ['vs_productos'], topK: 5, minScore: 0.3 });
    expect(gate?.checks).toHaveLength(3);
    expect(send).toMatchObject({ tools: ['send_template'], toolPaths: ['agents[4].tool'], inputsPath: 'agents[4].params' });
    expect(send?.inputs).toEqual({ templateId: 'complaint-acknowledgment', variables: { name: '{{ context.relationship.contactName }}' } });
    expect(loadFlow(seedText).scopes).toEqual({
      allowedModels: ['llama-3.1-8b-instant', 'gpt-4o-mini'],
      maxTotalTokens: 2000,
      maxExecutionTimeMs: 30000,
      allowedTools: ['search_knowledge', 'send_template'],
      canCreateSubAgents: false,
    });
  });

  it('runs seed types on the agents the orchestrator names', () => {
    const flow = loadFlow(seedText, { seedAgents: { llm: 'completion', rag: 'cerebro' } });
    expect(flow.nodes.map((n) => n.agent)).toEqual(['completion', 'cerebro', 'completion', undefined, 'tool-executor']);
  });
});

const spineYaml = `
id: support
version: 3
trigger: { type: message_received }
nodes:
  - id: intake
    agent: intake
    inputs: { text: "{{ trigger.content }}" }
  - id: route
    agent: router
    dependsOn: [intake]
    inputs: { text: "{{ intake.text }}" }
  - id: reply
    agent: llm
    model: gpt-4o
    dependsOn: [route]
    condition: "{{ route.route == 'SMALL_TALK' }}"
scopes:
  allowedModels: [gpt-4o]
`;

const spineJson = JSON.stringify({
  id: 'support',
  version: 3,
  trigger: { type: 'message_received' },
  nodes: [
    { id: 'intake', agent: 'intake', inputs: { text: '{{ trigger.content }}' } },
    { id: 'route', agent: 'router', dependsOn: ['intake'], inputs: { text: '{{ intake.text }}' } },
    { id: 'reply', agent: 'llm', model: 'gpt-4o', dependsOn: ['route'], condition: "{{ route.route == 'SMALL_TALK' }}" },
  ],
  scopes: { allowedModels: ['gpt-4o'] },
});

describe('the Spine form', () => {
  it('reads YAML and JSON into the same definition', () => {
    const fromYaml = loadFlow(spineYaml);
    expect(fromYaml.format).toBe('spine');
    expect(fromYaml.version).toBe('3');
    expect(loadFlow(spineJson)).toEqual(fromYaml);
    expect(loadFlow(spineJson, { format: 'yaml' })).toEqual(fromYaml); // YAML is a superset of JSON
  });

  it('accepts an already parsed object', () => {
    expect(loadFlow(JSON.parse(spineJson) as unknown)).toEqual(loadFlow(spineYaml));
  });

  it('folds edges into dependsOn, keeping where each was written', () => {
    const flow = loadFlow({
      id: 'edges',
      nodes: [
        { id: 'a', agent: 'intake' },
        { id: 'b', agent: 'intake' },
        { id: 'c', agent: 'intake', dependsOn: ['a'] },
      ],
      edges: [{ from: 'a', to: 'b' }, ['b', 'c']],
    });
    expect(flow.nodes.map((n) => n.dependsOn)).toEqual([[], ['a'], ['a', 'b']]);
    expect(flow.nodes[2]?.dependencyPaths).toEqual({ a: 'nodes[2].dependsOn[0]', b: 'edges[1]' });
  });

  it('does not infer dependencies from references (those are checked instead)', () => {
    const flow = loadFlow({ id: 'x', nodes: [{ id: 'a', agent: 'intake' }, { id: 'b', agent: 'intake', condition: 'a.text == ""' }] });
    expect(flow.nodes[1]?.dependsOn).toEqual([]);
  });
});

describe('memory', () => {
  it('is off unless the flow declares it, and must be a boolean', () => {
    expect(loadFlow({ id: 'x', nodes: [{ id: 'a', agent: 'intake' }] }).memory).toBe(false);
    expect(loadFlow({ id: 'x', memory: true, agents: [{ id: 'a', type: 'agent', agent: 'intake' }] }).memory).toBe(true);
    expect(readFlow({ id: 'x', memory: 'yes', nodes: [{ id: 'a', agent: 'intake' }] })).toMatchObject({ ok: false, issues: [{ code: 'SCHEMA', path: 'memory' }] });
  });
});

describe('malformed documents', () => {
  it('reports every problem of shape at once, each with its path', () => {
    const result = readFlow({
      id: 'bad',
      nodes: [
        { id: 'ok', agent: 'intake' },
        { id: 'has space', agent: 'intake' },
        { id: 'b', kind: 'loop' },
        { id: 'c', agent: 'intake', checks: [{ rule: '' }] },
      ],
      scopes: { allowedTool: ['x'] },
    });
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['nodes[1].id', 'nodes[2].kind', 'nodes[3].checks[0].rule', 'nodes[3].checks[0].action', 'scopes']));
  });

  it('names the line of a YAML syntax error', () => {
    const result = readFlow('id: x\nnodes:\n  - id: a\n   agent: [unclosed\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.message).toMatch(/^not valid YAML: .+ at line 4, column 1$/);
  });

  it('refuses a document over the size limit and one in neither form', () => {
    expect(readFlow('{"id":"x"}', { maxBytes: 4 })).toMatchObject({ ok: false, issues: [{ code: 'SCHEMA', message: expect.stringContaining('limit') }] });
    expect(readFlow('[1, 2]')).toMatchObject({ ok: false });
    expect(readFlow({ id: 'x', nodes: [{ id: 'a', agent: 'intake' }], agents: [] })).toMatchObject({ ok: false, issues: [{ path: 'agents' }] });
  });

  it('throws SpineError INVALID_ARGUMENT with details by path', () => {
    const err = (() => {
      try {
        loadFlow({ id: 'x', nodes: [{ id: '1bad', agent: 'intake' }] });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(SpineError);
    expect(err).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, details: { 'nodes[0].id': expect.stringContaining('SCHEMA') } });
  });
});
