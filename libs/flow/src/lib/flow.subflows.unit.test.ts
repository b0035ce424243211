import { describe, expect, it } from 'vitest';
import { testCatalog } from '../fixtures/catalog.fixture.js';
import type { CatalogFlow, FlowCatalog } from './flow.catalog.js';
import { INT, objectType, STRING } from './field-type.js';
import type { FlowIssue } from './flow.model.js';
import { catalogFlowOf, MAX_SUBFLOW_DEPTH, subflowKey } from './flow.subflows.js';
import { loadFlow } from './flow.loader.js';
import { checkFlow } from './flow.validator.js';

const childTrigger = objectType({ text: STRING, count: INT }, ['text']);

function catalogWith(flows: Record<string, CatalogFlow>): FlowCatalog {
  return { ...testCatalog(), flows: new Map(Object.entries(flows)) };
}

const child: CatalogFlow = { triggerType: childTrigger, subflows: [] };

function parent(node: Record<string, unknown>, scopes: Record<string, unknown> = { canCreateSubAgents: true }): unknown {
  return { id: 'parent', scopes, nodes: [{ id: 'sub', kind: 'flow', flow: { id: 'child', version: 1 }, inputs: { text: '{{ trigger.content }}' }, ...node }] };
}

function issuesOf(doc: unknown, catalog: FlowCatalog): Pick<FlowIssue, 'code' | 'path'>[] {
  return checkFlow(doc, catalog).issues.map(({ code, path }) => ({ code, path }));
}

describe('sub-flow deploy checks', () => {
  it('accept a flow node that runs a deployed child with inputs its trigger accepts', () => {
    expect(issuesOf(parent({}), catalogWith({ 'child@1': child }))).toEqual([]);
  });

  it('let downstream nodes read the child execution and its output', () => {
    const doc = {
      id: 'parent',
      scopes: { canCreateSubAgents: true },
      nodes: [
        { id: 'sub', kind: 'flow', flow: { id: 'child', version: 1 }, inputs: { text: 'hola' } },
        { id: 'after', kind: 'transform', dependsOn: ['sub'], inputs: { id: '{{ sub.executionId }}', tokens: '{{ sub.totalTokens + 1 }}', any: '{{ sub.output.whatever }}' } },
      ],
    };
    expect(issuesOf(doc, catalogWith({ 'child@1': child }))).toEqual([]);
  });

  it('refuse a flow node when canCreateSubAgents is false (the default), with a path', () => {
    expect(issuesOf(parent({}, { canCreateSubAgents: false }), catalogWith({ 'child@1': child }))).toEqual([{ code: 'SUBFLOW_NOT_ALLOWED', path: 'nodes[0].kind' }]);
    expect(issuesOf(parent({}, {}), catalogWith({ 'child@1': child }))).toEqual([{ code: 'SUBFLOW_NOT_ALLOWED', path: 'nodes[0].kind' }]);
  });

  it('refuse a child that is not deployed at that version', () => {
    expect(issuesOf(parent({ flow: { id: 'child', version: 2 } }), catalogWith({ 'child@1': child }))).toEqual([{ code: 'UNKNOWN_FLOW', path: 'nodes[0].flow' }]);
  });

  it("check the node's inputs against the child's trigger", () => {
    const catalog = catalogWith({ 'child@1': child });
    expect(issuesOf(parent({ inputs: { count: 'three' } }), catalog)).toEqual([
      { code: 'INPUT_TYPE', path: 'nodes[0].inputs.count' },
      { code: 'MISSING_INPUT', path: 'nodes[0].inputs' },
    ]);
    expect(issuesOf(parent({ inputs: { text: 'x', colour: 'red' } }), catalog)).toEqual([{ code: 'UNKNOWN_INPUT', path: 'nodes[0].inputs.colour' }]);
  });

  it('refuse a flow that runs itself, directly or through its children', () => {
    expect(issuesOf(parent({ flow: { id: 'parent', version: 1 } }), catalogWith({ 'parent@1': child }))).toEqual([{ code: 'SUBFLOW_CYCLE', path: 'nodes[0].flow' }]);
    const loop = catalogWith({ 'child@1': { triggerType: childTrigger, subflows: [{ id: 'middle', version: 3 }] }, 'middle@3': { triggerType: childTrigger, subflows: [{ id: 'parent', version: 1 }] } });
    const issues = checkFlow(parent({}), loop).issues;
    expect(issues.map((i) => i.code)).toEqual(['SUBFLOW_CYCLE']);
    expect(issues[0]!.message).toContain('parent → child@1 → middle@3 → parent@1');
  });

  it('bound how deep sub-flows nest', () => {
    const chain = (levels: number): Record<string, CatalogFlow> => {
      const flows: Record<string, CatalogFlow> = {};
      for (let i = 1; i <= levels; i++) flows[subflowKey({ id: `level${i}`, version: 1 })] = { triggerType: childTrigger, subflows: i < levels ? [{ id: `level${i + 1}`, version: 1 }] : [] };
      return flows;
    };
    const doc = parent({ flow: { id: 'level1', version: 1 } });
    expect(issuesOf(doc, catalogWith(chain(MAX_SUBFLOW_DEPTH)))).toEqual([]);
    expect(issuesOf(doc, catalogWith(chain(MAX_SUBFLOW_DEPTH + 1)))).toEqual([{ code: 'SUBFLOW_DEPTH', path: 'nodes[0].flow' }]);
  });

  it('want a flow to run on a flow node, and only there', () => {
    const catalog = catalogWith({ 'child@1': child });
    expect(issuesOf(parent({ flow: undefined }), catalog)).toEqual([{ code: 'SCHEMA', path: 'nodes[0].flow' }]);
    const agentWithFlow = { id: 'p', nodes: [{ id: 'a', agent: 'intake', flow: { id: 'child', version: 1 } }] };
    expect(issuesOf(agentWithFlow, catalog)).toEqual([{ code: 'SCHEMA', path: 'nodes[0].flow' }]);
  });

  it("describe a deployed flow for its parents: its trigger and the sub-flows it runs", () => {
    const flow = loadFlow(parent({}));
    expect(catalogFlowOf(flow).subflows).toEqual([{ id: 'child', version: 1 }]);
  });
});
