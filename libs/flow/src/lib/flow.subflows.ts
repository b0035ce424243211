import type { FieldType } from './field-type.js';
import type { CatalogFlow, FlowCatalog } from './flow.catalog.js';
import type { FlowDefinition, FlowIssue, FlowNode, SubflowRef } from './flow.model.js';
import { triggerTypeOf } from './flow.typing.js';

/** How deep sub-flows may nest below a flow: a parent running a child running a grandchild is depth 2. */
export const MAX_SUBFLOW_DEPTH = 4;

/** The catalog key of a deployed flow version. */
export function subflowKey(ref: SubflowRef): string {
  return `${ref.id}@${ref.version}`;
}

/** The flows a flow's `flow` nodes run, in node order (what `CatalogFlow.subflows` holds for a deployed one). */
export function subflowsOf(flow: FlowDefinition): SubflowRef[] {
  return flow.nodes.flatMap((n) => (n.kind === 'flow' && n.subflow ? [n.subflow] : []));
}

/** What a deployed flow offers to its parents: its trigger's type and its own sub-flows. */
export function catalogFlowOf(flow: FlowDefinition): CatalogFlow {
  return { triggerType: triggerTypeOf(flow.trigger), subflows: subflowsOf(flow) };
}

/** The type a `flow` node's inputs must fit: the child's trigger. */
export function subflowInputTarget(node: FlowNode, catalog: FlowCatalog): { type: FieldType; owner: string } | undefined {
  if (node.kind !== 'flow' || !node.subflow) return undefined;
  const child = catalog.flows?.get(subflowKey(node.subflow));
  return child && { type: child.triggerType, owner: `the trigger of flow '${subflowKey(node.subflow)}'` };
}

/**
 * Deploy-time rules of `flow` nodes: the parent allows them (`scopes.canCreateSubAgents`), the child is deployed
 * at that version, running it never comes back to this flow (by id: a flow may not run itself at any version),
 * and the chain of sub-flows below stays within MAX_SUBFLOW_DEPTH. Inputs against the child's trigger are checked
 * with every other node's inputs (`subflowInputTarget`).
 */
export function subflowIssues(flow: FlowDefinition, node: FlowNode, catalog: FlowCatalog): FlowIssue[] {
  const path = `${node.path}.flow`;
  if (node.kind !== 'flow') {
    return node.subflow ? [{ code: 'SCHEMA', path, message: `only a node of kind 'flow' names a flow to run` }] : [];
  }
  if (!node.subflow) return [{ code: 'SCHEMA', path, message: `a flow node names the flow it runs: flow: { id, version }` }];
  const issues: FlowIssue[] = [];
  if (!flow.scopes.canCreateSubAgents) {
    issues.push({ code: 'SUBFLOW_NOT_ALLOWED', path: `${node.path}.kind`, message: `the flow's scopes forbid sub-flows (set scopes.canCreateSubAgents: true to allow them)` });
  }
  const key = subflowKey(node.subflow);
  if (node.subflow.id === flow.id) return [...issues, { code: 'SUBFLOW_CYCLE', path, message: `flow '${flow.id}' would run itself` }];
  const child = catalog.flows?.get(key);
  if (!child) return [...issues, { code: 'UNKNOWN_FLOW', path, message: `flow '${key}' is not deployed` }];
  const walk = new SubflowWalk(catalog, flow.id);
  const cycle = walk.pathBackTo(node.subflow);
  if (cycle) issues.push({ code: 'SUBFLOW_CYCLE', path, message: `running '${key}' comes back to this flow: ${[flow.id, ...cycle].join(' → ')}` });
  else {
    const depth = 1 + walk.depthBelow(node.subflow);
    if (depth > MAX_SUBFLOW_DEPTH) issues.push({ code: 'SUBFLOW_DEPTH', path, message: `'${key}' nests sub-flows ${depth} deep; the limit is ${MAX_SUBFLOW_DEPTH}` });
  }
  return issues;
}

/** Walks deployed sub-flows through the catalog (entries it lacks are leaves: they were checked when deployed). */
class SubflowWalk {
  private readonly depths = new Map<string, number>();

  constructor(
    private readonly catalog: FlowCatalog,
    private readonly rootId: string,
  ) {}

  /** The chain of flows from `ref` back to the root flow, if there is one. */
  pathBackTo(ref: SubflowRef, seen: Set<string> = new Set()): string[] | undefined {
    const key = subflowKey(ref);
    if (ref.id === this.rootId) return [key];
    if (seen.has(key)) return undefined;
    seen.add(key);
    for (const next of this.catalog.flows?.get(key)?.subflows ?? []) {
      const rest = this.pathBackTo(next, seen);
      if (rest) return [key, ...rest];
    }
    return undefined;
  }

  /** How many levels of sub-flows run below `ref` (0: it runs none). Cycles were ruled out first. */
  depthBelow(ref: SubflowRef, stack: Set<string> = new Set()): number {
    const key = subflowKey(ref);
    const known = this.depths.get(key);
    if (known !== undefined) return known;
    if (stack.has(key) || stack.size > MAX_SUBFLOW_DEPTH) return stack.size; // a cycle among deployed flows, or already too deep
    stack.add(key);
    const children = this.catalog.flows?.get(key)?.subflows ?? [];
    const depth = children.length === 0 ? 0 : 1 + Math.max(...children.map((c) => this.depthBelow(c, stack)));
    stack.delete(key);
    this.depths.set(key, depth);
    return depth;
  }
}
