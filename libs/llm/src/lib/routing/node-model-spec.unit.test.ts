import { describe, expect, it } from 'vitest';
import { nodeModelSpec } from './model-router.js';

describe('nodeModelSpec', () => {
  it('reads proto3 empties as unset: the default model, no restriction', () => {
    expect(nodeModelSpec('', [])).toEqual({});
  });

  it('keeps what the flow set', () => {
    expect(nodeModelSpec('openai:gpt-4o-mini', ['openai:*'])).toEqual({ model: 'openai:gpt-4o-mini', allowedModels: ['openai:*'] });
  });
});
