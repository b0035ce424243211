import { readFileSync } from 'node:fs';
import { ErrorCode, SpineError } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { testCatalog } from '../fixtures/catalog.fixture.js';
import type { FlowIssue } from './flow.model.js';
import { assertDeployable, checkFlow } from './flow.validator.js';

const seedText = readFileSync(new URL('../fixtures/customer-support-flow.json', import.meta.url), 'utf8');
const catalog = testCatalog();

function issuesOf(doc: unknown): FlowIssue[] {
  return checkFlow(doc, catalog).issues;
}

function flowOf(nodes: unknown[], extra: Record<string, unknown> = {}): unknown {
  return { id: 'test-flow', nodes, ...extra };
}

const intake = { id: 'intake', agent: 'intake', inputs: { text: '{{ trigger.content }}' } };

describe('deploy-time checks', () => {
  it('accept the seed flow as it is', () => {
    expect(issuesOf(seedText)).toEqual([]);
  });

  it('accept a well-formed Spine flow', () => {
    const doc = flowOf([
      intake,
      { id: 'route', agent: 'router', dependsOn: ['intake'], inputs: { text: '{{ intake.text }}' } },
      { id: 'reply', agent: 'llm', model: 'gpt-4o', dependsOn: ['route'], condition: "route.route == 'SMALL_TALK' && intake.language == 'es'" },
    ]);
    expect(issuesOf(doc)).toEqual([]);
  });

  it('reject a cycle and name it', () => {
    const doc = flowOf([
      { id: 'a', agent: 'intake', dependsOn: ['c'] },
      { id: 'b', agent: 'intake', dependsOn: ['a'] },
      { id: 'c', agent: 'intake', dependsOn: ['b'] },
    ]);
    expect(issuesOf(doc)).toEqual([{ code: 'CYCLE', path: 'nodes[0].dependsOn[0]', message: 'cycle: a → b → c → a' }]);
  });

  it('reject a node that depends on itself', () => {
    expect(issuesOf(flowOf([{ id: 'a', agent: 'intake', dependsOn: ['a'] }]))).toEqual([
      { code: 'CYCLE', path: 'nodes[0].dependsOn[0]', message: 'cycle: a → a' },
    ]);
  });

  it('reject an unknown agent', () => {
    expect(issuesOf(flowOf([{ id: 'a', agent: 'ghost' }]))).toEqual([
      { code: 'UNKNOWN_AGENT', path: 'nodes[0].agent', message: "agent 'ghost' is not registered" },
    ]);
  });

  it('reject a reference to a node that is not upstream', () => {
    const doc = flowOf([intake, { id: 'side-branch', agent: 'router' }, { id: 'reply', agent: 'llm', dependsOn: ['intake'], condition: "{{ side-branch.route == 'UNKNOWN' }}" }]);
    expect(issuesOf(doc)).toEqual([
      { code: 'NOT_UPSTREAM', path: 'nodes[2].condition', message: "'side-branch' is not upstream of 'reply'; add it to nodes[2].dependsOn" },
    ]);
  });

  it('reject a reference to a field the upstream output type does not have', () => {
    const doc = flowOf([intake, { id: 'reply', agent: 'llm', dependsOn: ['intake'], inputs: { lang: '{{ intake.lang }}' } }]);
    expect(issuesOf(doc)).toEqual([
      {
        code: 'UNKNOWN_FIELD',
        path: 'nodes[1].inputs.lang',
        message: "'intake' has no field 'lang' (its fields: text, language, tenantId, userId, roles, sessionId, languageConfidence)",
      },
    ]);
  });

  it('reject a missing field on a hyphenated node, in the seed form', () => {
    const seed = JSON.parse(seedText) as { agents: { condition?: string }[] };
    (seed.agents[1] as { condition?: string }).condition = "{{ intent-classifier.intnt == 'pregunta_producto' }}";
    expect(issuesOf(seed)).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_FIELD', path: 'agents[1].condition', message: expect.stringContaining("'intent-classifier' has no field 'intnt'") }),
    ]);
  });

  it('reject CEL that does not parse, and CEL that does not type-check', () => {
    const doc = flowOf([
      intake,
      { id: 'a', agent: 'llm', dependsOn: ['intake'], condition: "{{ intake.language == 'es' && }}" },
      { id: 'b', agent: 'llm', dependsOn: ['intake'], inputs: { n: '{{ intake.text * 2 }}' } },
      { id: 'c', agent: 'llm', dependsOn: ['intake'], condition: '{{ intake.text }}' },
    ]);
    expect(issuesOf(doc)).toEqual([
      { code: 'CEL_SYNTAX', path: 'nodes[1].condition', message: "Unexpected token: EOF (at 26) in 'intake.language == 'es' &&'" },
      { code: 'CEL_TYPE', path: 'nodes[2].inputs.n', message: "no such overload: string * int (at 0) in 'intake.text * 2'" },
      { code: 'CEL_TYPE', path: 'nodes[3].condition', message: "'intake.text' is string; a condition must be a bool" },
    ]);
  });

  it('reject a tool outside allowedTools, an unknown tool, and models likewise', () => {
    const doc = flowOf(
      [
        { id: 'act', type: 'tool', tool: 'create_invoice', inputs: {} },
        { id: 'plan', agent: 'llm', tools: ['send_template', 'drop_tables'], model: 'gpt-5', dependsOn: ['act'] },
        { id: 'reply', type: 'llm', model: 'gpt-4o', dependsOn: ['plan'] },
      ],
      { scopes: { allowedTools: ['send_template'], allowedModels: ['gpt-5'] } },
    );
    expect(issuesOf(doc)).toEqual([
      { code: 'TOOL_NOT_ALLOWED', path: 'nodes[0].tool', message: "tool 'create_invoice' is outside scopes.allowedTools (send_template)" },
      { code: 'UNKNOWN_MODEL', path: 'nodes[1].model', message: "model 'gpt-5' is not available" },
      { code: 'UNKNOWN_TOOL', path: 'nodes[1].tools[1]', message: "tool 'drop_tables' is not registered" },
      { code: 'TOOL_NOT_ALLOWED', path: 'nodes[1].tools[1]', message: "tool 'drop_tables' is outside scopes.allowedTools (send_template)" },
      { code: 'MODEL_NOT_ALLOWED', path: 'nodes[2].model', message: "model 'gpt-4o' is outside scopes.allowedModels (gpt-5)" },
    ]);
  });

  it('reject agents outside allowedAgents, pointing at the seed type that chose them', () => {
    const seed = JSON.parse(seedText) as { scopes: Record<string, unknown> };
    seed.scopes['allowedAgents'] = ['llm', 'tool-executor'];
    expect(issuesOf(seed)).toEqual([
      { code: 'AGENT_NOT_ALLOWED', path: 'agents[1].type', message: "agent 'retrieval' is outside scopes.allowedAgents (llm, tool-executor)" },
    ]);
  });

  it('check inputs against the agent input type and the tool arguments', () => {
    const doc = flowOf([
      { id: 'intake', agent: 'intake', inputs: { text: '{{ trigger.content }}', colour: 'red', roles: '{{ 3 }}' } },
      { id: 'notify', type: 'tool', tool: 'send_template', dependsOn: ['intake'], params: { variables: { name: '{{ intake.userId }}' } } },
    ]);
    expect(issuesOf(doc)).toEqual([
      { code: 'UNKNOWN_INPUT', path: 'nodes[0].inputs.colour', message: "agent 'intake' has no input 'colour' (its inputs: text, userId, roles, sessionId, localeHint)" },
      { code: 'INPUT_TYPE', path: 'nodes[0].inputs.roles', message: "is int, but agent 'intake' expects list<string>" },
      { code: 'MISSING_INPUT', path: 'nodes[1].params', message: "tool 'send_template' requires input 'templateId'" },
    ]);
  });

  it('report every problem of one flow at once, in node order', () => {
    const doc = flowOf(
      [
        { id: 'a', agent: 'ghost', dependsOn: ['b'] },
        { id: 'b', agent: 'intake', dependsOn: ['a'], condition: '{{ a.x == }}' },
        { id: 'c', agent: 'llm', tools: ['create_invoice'], dependsOn: ['nope'], inputs: { v: '{{ b.textt }}' } },
        { id: 'a', agent: 'intake' },
        { id: 'context', agent: 'intake' },
      ],
      { scopes: { allowedTools: [] } },
    );
    const issues = issuesOf(doc);
    expect(issues.map((i) => `${i.path} ${i.code}`)).toEqual([
      'nodes[0].dependsOn[0] CYCLE',
      'nodes[0].agent UNKNOWN_AGENT',
      'nodes[1].condition CEL_SYNTAX',
      'nodes[2].dependsOn[0] UNKNOWN_NODE',
      'nodes[2].tools[0] TOOL_NOT_ALLOWED',
      'nodes[2].inputs.v NOT_UPSTREAM',
      'nodes[3].id DUPLICATE_NODE',
      'nodes[4].id RESERVED_ID',
    ]);
  });

  it('read hyphenated ids as node names, and report one that names no node', () => {
    const doc = flowOf([
      { id: 'intent-classifier', agent: 'router' },
      { id: 'reply', agent: 'llm', dependsOn: ['intent-classifier'], condition: "{{ intent-clasifier.route == 'UNKNOWN' }}" },
      { id: 'count-down', agent: 'llm', dependsOn: ['intent-classifier'], condition: '{{ intent-classifier.confidence - 1.0 > 0.0 }}' },
    ]);
    expect(issuesOf(doc)).toEqual([{ code: 'UNKNOWN_REFERENCE', path: 'nodes[1].condition', message: "'intent-clasifier' names no node of this flow" }]);
  });

  it('resolve fields through lists inside comprehensions', () => {
    const doc = flowOf([
      { id: 'r', agent: 'router' },
      { id: 'x', agent: 'llm', dependsOn: ['r'], condition: "{{ r.slots.exists(s, s.nam == 'date') }}" },
    ]);
    expect(issuesOf(doc)).toEqual([expect.objectContaining({ code: 'UNKNOWN_FIELD', path: 'nodes[1].condition', message: expect.stringContaining('nam') })]);
  });

  it('type in-process outputs: a router route, a deterministic action, a transform built from its inputs', () => {
    const doc = flowOf([
      intake,
      { id: 'pick', kind: 'router', dependsOn: ['intake'], routes: [{ when: "intake.language == 'es'", route: 'spanish' }] },
      { id: 'shape', kind: 'transform', dependsOn: ['intake'], inputs: { words: "{{ intake.text.split(' ') }}", n: '{{ size(intake.roles) }}' } },
      { id: 'gate', kind: 'deterministic', dependsOn: ['shape'], checks: [{ rule: 'shape.n > 0 && size(shape.words) < 100', action: 'pass' }] },
      { id: 'out', agent: 'llm', dependsOn: ['pick', 'gate', 'shape'], condition: "pick.route == 'spanish' && gate.action == 'pass' && shape.words[0] != ''", inputs: { m: '{{ shape.missing }}' } },
    ]);
    expect(issuesOf(doc)).toEqual([expect.objectContaining({ code: 'UNKNOWN_FIELD', path: 'nodes[4].inputs.m', message: "'shape' has no field 'missing' (its fields: words, n)" })]);
  });

  it('throw SpineError INVALID_ARGUMENT with every issue by path, for the API', () => {
    let caught: unknown;
    try {
      assertDeployable(flowOf([{ id: 'a', agent: 'ghost' }, { id: 'b', agent: 'llm', dependsOn: ['a'], condition: '{{ ) }}' }]), catalog);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SpineError);
    expect(caught).toMatchObject({
      code: ErrorCode.INVALID_ARGUMENT,
      message: expect.stringMatching(/^invalid flow: 2 problems: nodes\[0\]\.agent: agent 'ghost' is not registered; nodes\[1\]\.condition: /),
      details: { 'nodes[0].agent': "UNKNOWN_AGENT: agent 'ghost' is not registered", 'nodes[1].condition': expect.stringContaining('CEL_SYNTAX') },
    });
    expect(assertDeployable(seedText, catalog).id).toBe('customer-support-flow');
  });
});
