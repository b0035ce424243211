import { describe, expect, it } from 'vitest';
import { childTraceparent, newTraceparent, traceIdOf } from './trace.js';

const W3C = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

describe('traceparent', () => {
  it('starts traces with well-formed, distinct ids', () => {
    const parents = Array.from({ length: 1_000 }, () => newTraceparent());
    for (const p of parents) expect(p).toMatch(W3C);
    expect(new Set(parents.map(traceIdOf)).size).toBe(parents.length);
    expect(new Set(parents.map((p) => p.slice(36, 52))).size).toBe(parents.length);
  });

  it('keeps the trace and makes a new span for the next hop; starts a trace when the parent is missing or malformed', () => {
    const parent = newTraceparent();
    const child = childTraceparent(parent);
    expect(child).toMatch(W3C);
    expect(traceIdOf(child)).toBe(traceIdOf(parent));
    expect(child.slice(36, 52)).not.toBe(parent.slice(36, 52));
    expect(traceIdOf(childTraceparent('00-nothex-xx-01'))).not.toBeUndefined();
    expect(childTraceparent(undefined)).toMatch(W3C);
  });
});
