import { describe, expect, it } from 'vitest';
import { subjects, token } from './subjects.js';

describe('subjects', () => {
  it('spells the invoke subject of an agent', () => {
    expect(subjects.agentInvoke('intake')).toBe('spine.agent.intake.invoke');
  });

  it.each(['a.b', '*', '>', 'with space', '$SYS', ''])('rejects the token %j', (bad) => {
    expect(() => token(bad)).toThrow(/invalid subject token/);
  });

  it('puts the tenant right after the kind', () => {
    expect(subjects.executionStream('acme', 'e-1')).toBe('spine.stream.acme.e-1');
  });
});
