import { describe, expect, it } from 'vitest';
import { FlowGraph } from './flow.graph.js';
import { FlowProgress } from './flow.progress.js';

const graph = new FlowGraph([
  { id: 'a', dependsOn: [] },
  { id: 'b', dependsOn: ['a'] },
  { id: 'c', dependsOn: ['a'] },
  { id: 'd', dependsOn: ['b', 'c'] },
  { id: 'e', dependsOn: ['c'] },
]);

describe('FlowProgress', () => {
  it('gives ready nodes in declaration order, each once, up to the limit', () => {
    const progress = new FlowProgress(graph);
    expect(progress.takeReady(8)).toEqual(['a']);
    progress.settle('a', 'completed');
    expect(progress.takeReady(1)).toEqual(['b']);
    expect(progress.takeReady(8)).toEqual(['c']);
    expect(progress.takeReady(8)).toEqual([]);
  });

  it('makes a join wait for every parent and run when one of them completed', () => {
    const progress = new FlowProgress(graph, ['a', 'b']);
    expect(progress.takeReady(8)).toEqual(['c']);
    progress.settle('c', 'skipped');
    expect(progress.takeReady(8)).toEqual(['d']);
    expect(progress.takeSkippable()).toEqual(['e']);
  });

  it('skips what only skipped nodes feed, one level per settle', () => {
    const progress = new FlowProgress(graph, ['a'], ['b', 'c']);
    expect(progress.takeSkippable()).toEqual(['d', 'e']);
    expect(progress.takeReady(8)).toEqual([]);
  });

  it('does not hand out a node already running (a resumed execution)', () => {
    const progress = new FlowProgress(graph, ['a']);
    expect(progress.takeReady(8, new Set(['b']))).toEqual(['c']);
  });
});
