import { skipStringLiteral } from './cel/template.js';
import type { FlowDefinition, FlowIssue } from './flow.model.js';

/** Bounds on one flow's size, checked before any graph or expression work (a deployment may raise them). */
export interface FlowLimits {
  /** Nodes (or the seed form's agents). */
  maxNodes: number;
  /** Dependencies in all: `dependsOn` entries, `edges[]` and (seed form) references. */
  maxEdges: number;
  /** Nodes that depend on one node. */
  maxFanOut: number;
  /** Parents of one node. */
  maxFanIn: number;
  /** Nodes on the longest path from a root. */
  maxDepth: number;
  /** The flow document, as JSON, in bytes. */
  maxBytes: number;
}

export const DEFAULT_FLOW_LIMITS: FlowLimits = {
  maxNodes: 500,
  maxEdges: 2_000,
  maxFanOut: 100,
  maxFanIn: 100,
  maxDepth: 100,
  maxBytes: 1_048_576,
};

function limitIssue(path: string, message: string): FlowIssue {
  return { code: 'FLOW_LIMIT', path, message };
}

function arrayAt(doc: object, key: string): unknown[] | undefined {
  const value = (doc as Record<string, unknown>)[key];
  return Array.isArray(value) ? value : undefined;
}

/** JSON size in bytes, or undefined when the value nests too deep to serialise (the stack ran out). */
function jsonBytes(doc: unknown): number | undefined {
  try {
    return Buffer.byteLength(JSON.stringify(doc) ?? '');
  } catch {
    return undefined;
  }
}

/**
 * Limits a raw document can be checked against before it is even parsed as a flow: its size and
 * how many nodes and edges it declares. Each check is one pass; nothing here builds a graph.
 */
export function documentLimitIssues(doc: object, limits: FlowLimits): FlowIssue[] {
  const issues: FlowIssue[] = [];
  for (const key of ['nodes', 'agents']) {
    const count = arrayAt(doc, key)?.length ?? 0;
    if (count > limits.maxNodes) issues.push(limitIssue(key, `${count} nodes; the limit is ${limits.maxNodes}`));
  }
  const edges = arrayAt(doc, 'edges')?.length ?? 0;
  if (edges > limits.maxEdges) issues.push(limitIssue('edges', `${edges} edges; the limit is ${limits.maxEdges}`));
  if (issues.length > 0) return issues;
  const bytes = jsonBytes(doc);
  if (bytes === undefined) return [limitIssue('', 'the flow document nests too deeply to read')];
  if (bytes > limits.maxBytes) return [limitIssue('', `the flow document is ${bytes} bytes; the limit is ${limits.maxBytes}`)];
  return [];
}

/**
 * Limits of a normalised flow: edges in all, fan-in and fan-out per node, depth. Linear in the
 * flow's size (depth by Kahn's algorithm, each edge once); nodes on a cycle are left to validation.
 */
export function graphLimitIssues(flow: FlowDefinition, limits: FlowLimits): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const known = new Map(flow.nodes.map((n) => [n.id, n]));
  const children = new Map<string, string[]>();
  let edges = 0;
  for (const node of flow.nodes) {
    const parents = new Set(node.dependsOn.filter((p) => known.has(p)));
    edges += parents.size;
    if (parents.size > limits.maxFanIn) issues.push(limitIssue(node.path, `'${node.id}' has ${parents.size} parents; the limit is ${limits.maxFanIn}`));
    for (const p of parents) {
      const list = children.get(p);
      if (list) list.push(node.id);
      else children.set(p, [node.id]);
    }
  }
  if (edges > limits.maxEdges) issues.push(limitIssue('nodes', `${edges} dependencies in all; the limit is ${limits.maxEdges}`));
  for (const [id, list] of children) {
    if (list.length > limits.maxFanOut) issues.push(limitIssue(known.get(id)?.path ?? 'nodes', `${list.length} nodes depend on '${id}'; the limit is ${limits.maxFanOut}`));
  }
  if (issues.length > 0) return issues;
  const depth = longestPath(flow, children);
  if (depth.length > limits.maxDepth) issues.push(limitIssue(known.get(depth.last)?.path ?? 'nodes', `the longest path has ${depth.length} nodes; the limit is ${limits.maxDepth}`));
  return issues;
}

/** Nodes on the longest path (Kahn's algorithm: each node and edge once), and the node it ends at. */
function longestPath(flow: FlowDefinition, children: ReadonlyMap<string, readonly string[]>): { length: number; last: string } {
  const pending = new Map<string, number>();
  for (const [, list] of children) for (const c of list) pending.set(c, (pending.get(c) ?? 0) + 1);
  const depth = new Map<string, number>();
  const queue = flow.nodes.map((n) => n.id).filter((id) => !pending.has(id));
  for (const id of queue) depth.set(id, 1);
  let best = { length: 0, last: '' };
  for (let i = 0; i < queue.length; i += 1) {
    const id = queue[i] as string;
    const d = depth.get(id) ?? 1;
    if (d > best.length) best = { length: d, last: id };
    for (const c of children.get(id) ?? []) {
      depth.set(c, Math.max(depth.get(c) ?? 0, d + 1));
      const left = (pending.get(c) ?? 1) - 1;
      pending.set(c, left);
      if (left === 0) queue.push(c);
    }
  }
  return best;
}

/** Deepest nesting of (), [] and {} outside string literals: one pass, before the parser recurses. */
export function nestingDepth(expr: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < expr.length; ) {
    const ch = expr[i] as string;
    if (ch === '"' || ch === "'") {
      i = skipStringLiteral(expr, i);
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') deepest = Math.max(deepest, (depth += 1));
    else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    i += 1;
  }
  return deepest;
}

/** An expression too long or nested too deep, found before anything parses it. */
export function expressionLimitIssue(expr: string, path: string, limits: { maxLength: number; maxDepth: number }): FlowIssue | undefined {
  if (expr.length > limits.maxLength) return { code: 'CEL_LIMIT', path, message: `expression is ${expr.length} characters long; the limit is ${limits.maxLength}` };
  const depth = nestingDepth(expr);
  if (depth > limits.maxDepth) return { code: 'CEL_LIMIT', path, message: `expression nests ${depth} deep; the limit is ${limits.maxDepth}` };
  return undefined;
}
