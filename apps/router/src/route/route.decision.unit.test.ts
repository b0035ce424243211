import { describe, expect, it } from 'vitest';
import { parseDecision } from './route.decision.js';

describe('parseDecision', () => {
  it('accepts a valid decision and defaults the flow type', () => {
    expect(parseDecision({ route: 'SMALL_TALK', intent: 'greeting', confidence: 0.9 })).toEqual({ route: 'SMALL_TALK', intent: 'greeting', confidence: 0.9, flowType: 'Other' });
  });

  it.each([
    [{ route: 'MAYBE', intent: 'x', confidence: 0.5 }],
    [{ route: 'FLOW_EXECUTION', intent: '', confidence: 0.5 }],
    [{ route: 'FLOW_EXECUTION', intent: 'x', confidence: 7 }],
    ['FLOW_EXECUTION'],
    [undefined],
  ])('refuses %j', (output) => {
    expect(() => parseDecision(output)).toThrow(/no valid route/);
  });
});
