import { describe, expect, it } from 'vitest';
import { FlowGraph, formatCycle } from './flow.graph.js';

const set = (...ids: string[]): Set<string> => new Set(ids);

// a → b, a → c, b → d, c → d
const diamond = new FlowGraph([
  { id: 'a', dependsOn: [] },
  { id: 'b', dependsOn: ['a'] },
  { id: 'c', dependsOn: ['a'] },
  { id: 'd', dependsOn: ['b', 'c'] },
]);

describe('FlowGraph', () => {
  it('orders topologically, ties in declaration order', () => {
    const graph = new FlowGraph([
      { id: 'd', dependsOn: ['b', 'c'] },
      { id: 'c', dependsOn: ['a'] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'a', dependsOn: [] },
    ]);
    expect(graph.topologicalOrder()).toEqual(['a', 'c', 'b', 'd']);
  });

  it('gives a diamond its ready sets: root, both middles together, then the join', () => {
    expect(diamond.readyNodes(set(), set())).toEqual(['a']);
    expect(diamond.readyNodes(set('a'), set())).toEqual(['b', 'c']);
    expect(diamond.readyNodes(set('a'), set(), set('b', 'c'))).toEqual([]);
    expect(diamond.readyNodes(set('a', 'b'), set(), set('c'))).toEqual([]); // the join waits for c
    expect(diamond.readyNodes(set('a', 'b', 'c'), set())).toEqual(['d']);
    expect(diamond.isFinished(set('a', 'b', 'c', 'd'), set())).toBe(true);
  });

  it('runs a join when one parent was skipped and the other completed', () => {
    expect(diamond.propagateSkips(set('a'), set('b'))).toEqual([]); // d still has a live parent
    expect(diamond.readyNodes(set('a'), set('b'))).toEqual(['c']);
    expect(diamond.readyNodes(set('a', 'c'), set('b'))).toEqual(['d']);
  });

  it('skips a join when every parent was skipped', () => {
    expect(diamond.readyNodes(set('a'), set('b', 'c'))).toEqual([]);
    expect(diamond.propagateSkips(set('a'), set('b', 'c'))).toEqual(['d']);
  });

  it('skips what only a skipped node feeds, through several levels, and stops at a join with a live input', () => {
    // a → b → c → f → g, c → h, g → h (h: every input skipped, two levels apart);
    // e → d and c → d (d: a join with a live input); d → i.
    const graph = new FlowGraph([
      { id: 'a', dependsOn: [] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'c', dependsOn: ['b'] },
      { id: 'f', dependsOn: ['c'] },
      { id: 'g', dependsOn: ['f'] },
      { id: 'h', dependsOn: ['g', 'c'] },
      { id: 'e', dependsOn: [] },
      { id: 'd', dependsOn: ['c', 'e'] },
      { id: 'i', dependsOn: ['d'] },
    ]);
    // b's condition was false: everything only b feeds is skipped in one call, four levels down.
    expect(graph.propagateSkips(set('a', 'e'), set('b')).sort()).toEqual(['c', 'f', 'g', 'h']);
    // e completed: d runs on it, and what d feeds is not skipped.
    expect(graph.readyNodes(set('a', 'e'), set('b', 'c', 'f', 'g', 'h'))).toEqual(['d']);
    // e has not run yet: the skip still stops at d, which waits for e.
    expect(graph.propagateSkips(set('a'), set('b'))).not.toContain('d');
    expect(graph.readyNodes(set('a'), set('b', 'c', 'f', 'g', 'h'))).toEqual(['e']);
    // e skipped as well: now d has no live input, and the skip goes on through it to i.
    expect(graph.propagateSkips(set('a'), set('b', 'e')).sort()).toEqual(['c', 'd', 'f', 'g', 'h', 'i']);
  });

  it('knows what is upstream of a node', () => {
    expect([...diamond.ancestors('d')].sort()).toEqual(['a', 'b', 'c']);
    expect([...diamond.ancestors('a')]).toEqual([]);
  });

  it('names each cycle once, in execution order', () => {
    const graph = new FlowGraph([
      { id: 'a', dependsOn: ['c'] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'c', dependsOn: ['b'] },
      { id: 'x', dependsOn: ['x'] },
      { id: 'ok', dependsOn: [] },
    ]);
    expect(graph.cycles().map(formatCycle)).toEqual(['a → b → c → a', 'x → x']);
    expect(graph.topologicalOrder()).toEqual(['ok']);
    expect(diamond.cycles()).toEqual([]);
  });
});
