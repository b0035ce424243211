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

  it('skips what only a skipped node feeds, transitively, and nothing else', () => {
    // a → b → c → d, and e → d
    const graph = new FlowGraph([
      { id: 'a', dependsOn: [] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'c', dependsOn: ['b'] },
      { id: 'e', dependsOn: [] },
      { id: 'd', dependsOn: ['c', 'e'] },
    ]);
    expect(graph.propagateSkips(set('a', 'e'), set('b'))).toEqual(['c']);
    expect(graph.readyNodes(set('a', 'e'), set('b', 'c'))).toEqual(['d']);
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
