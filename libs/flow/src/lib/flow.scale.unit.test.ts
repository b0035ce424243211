import { describe, expect, it } from 'vitest';
import { testCatalog } from '../fixtures/catalog.fixture.js';
import { FlowGraph } from './flow.graph.js';
import { loadFlow } from './flow.loader.js';
import { FlowPlan } from './flow.plan.js';
import { checkFlow } from './flow.validator.js';

// Limits raised far past the defaults: the graph algorithms themselves must cope with flows this size.
const unlimited = { flowLimits: { maxNodes: 1e6, maxEdges: 1e7, maxFanOut: 1e6, maxFanIn: 1e6, maxDepth: 1e6, maxBytes: 1e9 } };
const catalog = testCatalog();
const N = 20_000;
const chain = { id: 'chain', nodes: Array.from({ length: N }, (_, i) => ({ id: `n${i}`, agent: 'intake', ...(i ? { dependsOn: [`n${i - 1}`] } : {}) })) };
const wide = { id: 'wide', nodes: [{ id: 'root', agent: 'intake' }, ...Array.from({ length: N }, (_, i) => ({ id: `w${i}`, agent: 'intake', dependsOn: ['root'] }))] };

// A generous timeout, not a speed target (bench/hostile.bench.ts records those): before, these ran out of memory or stack.
describe('validation of very large flows (limits raised)', { timeout: 60_000 }, () => {
  it('validates a 20,000-node chain (no recursion as deep as the flow, no ancestor set per node)', () => {
    expect(checkFlow(chain, catalog, unlimited).issues).toEqual([]);
  });

  it('validates a 20,000-wide fan-out', () => {
    expect(checkFlow(wide, catalog, unlimited).issues).toEqual([]);
  });

  it('reports a cycle 20,000 nodes long', () => {
    const ring = { id: 'ring', nodes: chain.nodes.map((n, i) => (i === 0 ? { ...n, dependsOn: [`n${N - 1}`] } : n)) };
    const issues = checkFlow(ring, catalog, unlimited).issues;
    expect(issues).toEqual([expect.objectContaining({ code: 'CYCLE', path: 'nodes[0].dependsOn[0]' })]);
  });

  it('reports at most 20 cycles however many there are', () => {
    const pairs = Array.from({ length: 100 }, (_, i) => [
      { id: `a${i}`, agent: 'intake', dependsOn: [`b${i}`] },
      { id: `b${i}`, agent: 'intake', dependsOn: [`a${i}`] },
    ]).flat();
    expect(new FlowGraph(pairs).cycles()).toHaveLength(20);
  });

  it('orders a long chain and answers upstream questions on it', () => {
    const graph = new FlowGraph(loadFlow(chain, unlimited).nodes);
    expect(graph.topologicalOrder().slice(0, 3)).toEqual(['n0', 'n1', 'n2']);
    expect(graph.isUpstream('n0', `n${N - 1}`)).toBe(true);
    expect(graph.isUpstream(`n${N - 1}`, 'n0')).toBe(false);
  });

  it('runs a 20,000-wide flow to the end through its incremental progress', () => {
    const plan = FlowPlan.create(loadFlow(wide, unlimited), catalog);
    const progress = plan.progress();
    const started: string[] = [];
    for (let ready = progress.takeReady(8); ready.length > 0; ready = progress.takeReady(8)) {
      for (const id of ready) {
        started.push(id);
        progress.settle(id, 'completed');
      }
    }
    expect(started).toHaveLength(N + 1);
    expect(started.slice(0, 3)).toEqual(['root', 'w0', 'w1']);
  });
});
