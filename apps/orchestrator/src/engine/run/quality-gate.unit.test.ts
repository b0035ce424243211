import type { JsonObject } from '@bufbuild/protobuf';
import { FlowPlan, loadFlow } from '@spine/flow';
import { describe, expect, it } from 'vitest';
import type { ExecutionRow, Json, NodeRunRow } from '../../store/execution.model.js';
import { agentContext } from './node-context.js';
import { NodeLedger } from './node-ledger.js';
import { actOnGate, gateInput, hasRedactGate } from './quality-gate.js';

const CONTENT = 'Soy ana.garcia@example.com, IBAN ES91 2100 0418 4502 0005 1332';
const CLEAN = 'Soy [EMAIL], IBAN [IBAN]';

/** `a` reads the trigger, `gate` redacts below it; `below` is under the gate, `beside` only under `a`. */
const plan = FlowPlan.create(
  loadFlow(
    JSON.stringify({
      id: 'pii',
      nodes: [
        { id: 'a', kind: 'transform', inputs: { text: '{{ trigger.content }}' } },
        { id: 'gate', type: 'deterministic', dependsOn: ['a'], inputs: { text: '{{ a.text }}' }, checks: [{ rule: 'input.contains_pii', action: 'redact' }], defaultAction: 'pass' },
        { id: 'below', kind: 'transform', dependsOn: ['gate'], inputs: { text: '{{ trigger.content }}' } },
        { id: 'beside', kind: 'transform', dependsOn: ['a'], inputs: { text: '{{ trigger.content }}' } },
      ],
    }),
  ),
);
const execution = { id: 'e1', flowId: 'pii', flowVersion: 1, conversationId: null, input: { content: CONTENT } } as unknown as ExecutionRow;
const succeeded = (nodeId: string, output: JsonObject): NodeRunRow => ({ nodeId, state: 'succeeded', attempts: 1, input: null, output: output as Json, error: null, usage: null, startedAt: null, finishedAt: null });

/** The ledger once `a` and the gate ran on the trigger. */
function ran(): NodeLedger {
  const a = { text: CONTENT };
  const gate = plan.node('gate');
  const input = gateInput({ text: CONTENT });
  const output = actOnGate(gate, input, plan.runInProcess('gate', input, new NodeLedger([], plan).evaluation(execution, plan, 'gate')), { a });
  return new NodeLedger([succeeded('a', a), succeeded('gate', output)], plan);
}

describe('below a redact gate', () => {
  it('a flow with a redact gate has its events redacted; one without does not', () => {
    expect(hasRedactGate(plan)).toBe(true);
    const plain = FlowPlan.create(loadFlow(JSON.stringify({ id: 'plain', nodes: [{ id: 'g', type: 'deterministic', checks: [{ rule: 'true', action: 'pass' }] }] })));
    expect(hasRedactGate(plain)).toBe(false);
  });

  it('nodes under the gate read the trigger redacted, in templates and in their agent context; a node beside it does not', () => {
    const ledger = ran();
    expect(plan.evaluateInputs('below', ledger.evaluation(execution, plan, 'below'))).toEqual({ text: CLEAN });
    expect(agentContext(execution, plan, 'below', ledger.redactsFor(plan, 'below'))['trigger']).toEqual({ content: CLEAN });
    expect(plan.evaluateInputs('beside', ledger.evaluation(execution, plan, 'beside'))).toEqual({ text: CONTENT });
    expect(agentContext(execution, plan, 'beside', ledger.redactsFor(plan, 'beside'))['trigger']).toEqual({ content: CONTENT });
  });

  it('a gate whose redact rule did not hold leaves the trigger as it is', () => {
    const input = gateInput({ text: 'nada personal' });
    const output = actOnGate(plan.node('gate'), input, plan.runInProcess('gate', input, new NodeLedger([], plan).evaluation(execution, plan, 'gate')), {});
    const ledger = new NodeLedger([succeeded('a', { text: 'nada personal' }), succeeded('gate', output)], plan);
    expect(ledger.redactsFor(plan, 'below')).toBe(false);
    expect(plan.evaluateInputs('below', ledger.evaluation(execution, plan, 'below'))).toEqual({ text: CONTENT });
  });
});
