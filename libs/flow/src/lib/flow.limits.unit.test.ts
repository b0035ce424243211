import { ErrorCode } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { testCatalog } from '../fixtures/catalog.fixture.js';
import { DEFAULT_FLOW_LIMITS } from './flow.limits.js';
import { readFlow } from './flow.loader.js';
import { assertDeployable, checkFlow } from './flow.validator.js';

const catalog = testCatalog();
const node = (id: string, dependsOn: string[] = []) => ({ id, agent: 'intake', ...(dependsOn.length ? { dependsOn } : {}) });
const chain = (n: number) => ({ id: 'chain', nodes: Array.from({ length: n }, (_, i) => node(`n${i}`, i ? [`n${i - 1}`] : [])) });
const wide = (n: number) => ({ id: 'wide', nodes: [node('root'), ...Array.from({ length: n }, (_, i) => node(`w${i}`, ['root']))] });
const join = (n: number) => ({ id: 'join', nodes: [...Array.from({ length: n }, (_, i) => node(`p${i}`)), node('all', Array.from({ length: n }, (_, i) => `p${i}`))] });

describe('flow size limits', () => {
  it('refuse a 20,000-node chain by its node count, before anything else is looked at', () => {
    expect(checkFlow(chain(20_000), catalog).issues).toEqual([{ code: 'FLOW_LIMIT', path: 'nodes', message: '20000 nodes; the limit is 500' }]);
  });

  it('refuse a 10,000-wide fan-out by its node count', () => {
    expect(checkFlow(wide(10_000), catalog).issues).toEqual([expect.objectContaining({ code: 'FLOW_LIMIT', path: 'nodes' })]);
  });

  it('refuse a seed flow with too many agents', () => {
    const seed = { id: 'seed', agents: Array.from({ length: 501 }, (_, i) => ({ id: `a${i}`, type: 'llm' })) };
    expect(readFlow(seed)).toMatchObject({ ok: false, issues: [{ code: 'FLOW_LIMIT', path: 'agents' }] });
  });

  it('refuse fan-out past the limit at the node fanned out from', () => {
    expect(checkFlow(wide(101), catalog).issues).toEqual([{ code: 'FLOW_LIMIT', path: 'nodes[0]', message: "101 nodes depend on 'root'; the limit is 100" }]);
  });

  it('refuse fan-in past the limit at the joining node', () => {
    expect(checkFlow(join(101), catalog).issues).toEqual([{ code: 'FLOW_LIMIT', path: 'nodes[101]', message: "'all' has 101 parents; the limit is 100" }]);
  });

  it('refuse a path longer than the depth limit at the node it ends at', () => {
    expect(checkFlow(chain(101), catalog).issues).toEqual([{ code: 'FLOW_LIMIT', path: 'nodes[100]', message: 'the longest path has 101 nodes; the limit is 100' }]);
    expect(checkFlow(chain(100), catalog).issues).toEqual([]);
  });

  it('count edges written in edges[] and in dependsOn together', () => {
    const doc = { ...join(40), edges: Array.from({ length: 20 }, (_, i) => ({ from: `p${i}`, to: `p${i + 1}` })) };
    expect(checkFlow(doc, catalog, { flowLimits: { maxEdges: 59 } }).issues).toEqual([expect.objectContaining({ code: 'FLOW_LIMIT', path: 'nodes', message: '60 dependencies in all; the limit is 59' })]);
    expect(checkFlow({ ...chain(3), edges: [['n0', 'n1'], ['n1', 'n2']] }, catalog, { flowLimits: { maxEdges: 1 } }).issues).toEqual([expect.objectContaining({ code: 'FLOW_LIMIT', path: 'edges' })]);
  });

  it('refuse a document larger than the byte limit, parsed or as text', () => {
    const doc = { ...chain(2), description: 'x'.repeat(2_000) };
    expect(checkFlow(doc, catalog, { flowLimits: { maxBytes: 1_024 } }).issues).toEqual([expect.objectContaining({ code: 'FLOW_LIMIT', path: '' })]);
    expect(checkFlow(JSON.stringify(doc), catalog, { flowLimits: { maxBytes: 1_024 } }).issues).toEqual([expect.objectContaining({ code: 'SCHEMA', path: '' })]);
  });

  it('refuse an expression too long or nested too deep by its path, before parsing it', () => {
    const long = { id: 'f', nodes: [{ id: 'a', agent: 'intake', condition: `trigger.content == '${'x'.repeat(2_100)}'` }] };
    expect(checkFlow(long, catalog).issues).toEqual([expect.objectContaining({ code: 'CEL_LIMIT', path: 'nodes[0].condition' })]);
    const deep = { id: 'f', nodes: [{ id: 'a', agent: 'intake', inputs: { text: `{{ ${'['.repeat(40)}1${']'.repeat(40)} }}` } }] };
    expect(checkFlow(deep, catalog).issues).toEqual([{ code: 'CEL_LIMIT', path: 'nodes[0].inputs.text', message: 'expression nests 40 deep; the limit is 32' }]);
    const quoted = { id: 'f', nodes: [{ id: 'a', agent: 'intake', inputs: { text: `{{ '${'('.repeat(40)}' }}` } }] };
    expect(checkFlow(quoted, catalog).issues).toEqual([]);
  });

  it('accept what a deployment allows when it raises the limits', () => {
    expect(checkFlow(chain(600), catalog, { flowLimits: { maxNodes: 1_000, maxDepth: 1_000 } }).issues).toEqual([]);
    expect(DEFAULT_FLOW_LIMITS).toEqual({ maxNodes: 500, maxEdges: 2_000, maxFanOut: 100, maxFanIn: 100, maxDepth: 100, maxBytes: 1_048_576 });
  });

  it('answer a flow over a limit with INVALID_ARGUMENT naming the path', () => {
    expect(() => assertDeployable(wide(200), catalog)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT, details: { 'nodes[0]': "FLOW_LIMIT: 200 nodes depend on 'root'; the limit is 100" } }));
  });
});
