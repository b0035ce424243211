import { describe, expect, it } from 'vitest';
import { testCatalog } from '../fixtures/catalog.fixture.js';
import { drain, drainInSlices } from './flow.slices.js';
import { checkFlow, checkFlowInSlices } from './flow.validator.js';

function* steps(order: string[]): Generator<void, string> {
  order.push('a');
  yield;
  order.push('b');
  yield;
  order.push('c');
  return 'done';
}

describe('work in slices', () => {
  it('gives the event loop back between slices', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('other request'));
    expect(await drainInSlices(steps(order), 0)).toBe('done');
    expect(order).toEqual(['a', 'other request', 'b', 'c']);
  });

  it('runs to the end at once when drained', () => {
    const order: string[] = [];
    expect(drain(steps(order))).toBe('done');
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('validates a flow in slices with the same result', async () => {
    const doc = { id: 'f', nodes: [{ id: 'intake', agent: 'intake', inputs: { text: '{{ trigger.content }}' } }, { id: 'x', agent: 'nope', dependsOn: ['intake'] }] };
    expect(await checkFlowInSlices(doc, testCatalog())).toEqual(checkFlow(doc, testCatalog()));
  });
});
