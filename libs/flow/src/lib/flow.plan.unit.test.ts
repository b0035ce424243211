import { readFileSync } from 'node:fs';
import type { JsonValue } from '@bufbuild/protobuf';
import { ErrorCode, SpineError } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { testCatalog } from '../fixtures/catalog.fixture.js';
import { loadFlow } from './flow.loader.js';
import { FlowPlan } from './flow.plan.js';
import { validateFlow } from './flow.validator.js';

const seedText = readFileSync(new URL('../fixtures/customer-support-flow.json', import.meta.url), 'utf8');
const seed = FlowPlan.create(loadFlow(seedText), testCatalog());
const run = { trigger: { content: 'Mi pedido llegó roto' }, context: { relationship: { contactName: 'Ana', orders: 3 } } };

function classified(intent: string, confidence = 0.9): Record<string, JsonValue> {
  return { 'intent-classifier': { intent, confidence, entities: {} } };
}

describe('FlowPlan on the seed flow', () => {
  it('takes the complaint branch: no knowledge lookup, a template is sent', () => {
    const outputs: Record<string, JsonValue> = classified('queja');
    const skipped = new Set<string>();
    expect(seed.evaluateCondition('knowledge-lookup', { ...run, outputs })).toBe(false);
    skipped.add('knowledge-lookup');
    expect(seed.propagateSkips(new Set(['intent-classifier']), skipped)).toEqual([]); // the generator has a live parent
    expect(seed.readyNodes(new Set(['intent-classifier']), skipped)).toEqual(['response-generator']);

    expect(seed.evaluateInputs('response-generator', { ...run, outputs, skipped })).toEqual({
      user_message: 'Mi pedido llegó roto',
      intent: 'queja',
      knowledge: null, // read from a skipped node
      customer_history: { contactName: 'Ana', orders: 3 },
    });

    outputs['response-generator'] = { response: { length: 57, contains_pii: false } };
    const gate = seed.runInProcess('quality-gate', seed.evaluateInputs('quality-gate', { ...run, outputs, skipped }), { ...run, outputs, skipped });
    expect(gate).toEqual({ action: 'pass', matched: ['pass'] });
    outputs['quality-gate'] = gate;

    expect(seed.evaluateCondition('send-template', { ...run, outputs, skipped })).toBe(true);
    expect(seed.evaluateInputs('send-template', { ...run, outputs, skipped })).toEqual({
      templateId: 'complaint-acknowledgment',
      variables: { name: 'Ana' },
    });
  });

  it('takes the product-question branch: knowledge is looked up, no template is sent', () => {
    const outputs: Record<string, JsonValue> = classified('pregunta_producto', 0.4);
    expect(seed.evaluateCondition('knowledge-lookup', { ...run, outputs })).toBe(true);
    outputs['knowledge-lookup'] = { context: 'El modelo X pesa 2 kg', citations: ['doc-1'], score: 0.8 };
    expect(seed.evaluateInputs('response-generator', { ...run, outputs })).toMatchObject({ knowledge: 'El modelo X pesa 2 kg' });
    outputs['response-generator'] = { response: { length: 57, contains_pii: true } };
    // low confidence from the classifier, PII in the reply: the first rule that holds wins
    const gate = seed.runInProcess('quality-gate', {}, { ...run, outputs });
    expect(gate).toEqual({ action: 'pass', matched: ['pass', 'redact', 'escalate_to_human'] });
    outputs['quality-gate'] = gate;
    expect(seed.evaluateCondition('send-template', { ...run, outputs })).toBe(false);
  });

  it('treats a condition that reads a skipped node as false', () => {
    const outputs = classified('queja');
    expect(seed.evaluateCondition('send-template', { ...run, outputs, skipped: new Set(['quality-gate']) })).toBe(false);
  });
});

describe('FlowPlan evaluation', () => {
  const flow = loadFlow(`
id: typed
nodes:
  - id: count-items
    agent: llm
    outputSchema:
      type: object
      properties:
        count: { type: integer }
        big: { type: integer }
        items: { type: array, items: { type: integer } }
        label: { type: string }
  - id: shape
    kind: transform
    dependsOn: [count-items]
    inputs:
      next: "{{ count-items.count + 1 }}"
      big: "{{ count-items.big + 1 }}"
      text: "Total: {{ count-items.count }} for {{ trigger.content }} {{ count-items.items }}"
      literal: 7
  - id: pick
    kind: router
    dependsOn: [count-items]
    routes:
      - { when: "count-items.count > 10", route: many }
      - { when: "count-items.count > 0", route: some }
    defaultRoute: none
  - id: pairs
    agent: llm
    dependsOn: [count-items]
    inputs: { n: "{{ count-items.items.map(x, count-items.items.filter(y, x < y)).size() }}" }
  - id: broken
    agent: llm
    dependsOn: [count-items]
    inputs: { label: "{{ count-items.label.size() }}" }
`);
  const plan = FlowPlan.create(flow, testCatalog());
  const trigger = { content: 'pedido 42' };

  it('is deployable', () => {
    expect(validateFlow(flow, testCatalog())).toEqual([]);
  });

  it('binds integers as CEL ints, int64 strings too, and renders mixed text', () => {
    const outputs = { 'count-items': { count: 2, big: '9007199254740993', items: [1, 2] } };
    const input = plan.evaluateInputs('shape', { trigger, outputs });
    expect(input).toEqual({ next: 3, big: '9007199254740994', text: 'Total: 2 for pedido 42 [1,2]', literal: 7 });
    expect(plan.runInProcess('shape', input, { trigger, outputs })).toEqual(input);
  });

  it('routes on the first route that holds, else the default', () => {
    const route = (count: number): JsonValue => plan.runInProcess('pick', {}, { outputs: { 'count-items': { count, items: [] } } })['route'] ?? null;
    expect([route(20), route(3), route(0)]).toEqual(['many', 'some', 'none']);
  });

  it('refuses, before running it, an expression too costly for the actual inputs', () => {
    const items = Array.from({ length: 3_000 }, (_, i) => i);
    const call = () => plan.evaluateInputs('pairs', { outputs: { 'count-items': { count: 1, items } } });
    expect(call).toThrow(SpineError);
    expect(call).toThrow(/nodes\[3\]\.inputs\.n: expression .* refused: it may take ~.* steps on these inputs/);
    // the same expression on small inputs runs
    expect(plan.evaluateInputs('pairs', { outputs: { 'count-items': { count: 1, items: [1, 2, 3] } } })).toEqual({ n: 3 });
  });

  it('reports a failing expression with its path and code', () => {
    const call = () => plan.evaluateInputs('broken', { outputs: { 'count-items': { count: 1, items: [] } } });
    expect(call).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT, details: expect.objectContaining({ path: 'nodes[4].inputs.label', reason: 'CEL_EVAL' }) }));
  });

  it('does not run agent nodes in-process', () => {
    expect(() => plan.runInProcess('pairs', {}, { outputs: {} })).toThrow(expect.objectContaining({ code: ErrorCode.FAILED_PRECONDITION }));
  });
});
