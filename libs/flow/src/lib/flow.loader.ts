import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { DEFAULT_LIMITS, type ExpressionLimits } from './cel/cel-env.js';
import { NameTable, rewriteReferences } from './cel/references.js';
import { expressionOf, splitTemplate } from './cel/template.js';
import { flowIssuesError } from './flow.errors.js';
import { DEFAULT_FLOW_LIMITS, documentLimitIssues, expressionLimitIssue, graphLimitIssues, type FlowLimits } from './flow.limits.js';
import type { FlowDefinition, FlowIssue, FlowEdge, FlowNode, FlowScopes, FlowTrigger } from './flow.model.js';
import { NODE_FIELD_NAMES, seedFlowSchema, spineFlowSchema, type RawNode, type SpineFlowDocument } from './flow.schema.js';
import { DEFAULT_SEED_AGENTS, kindOf, type SeedAgentBindings } from './node-kinds.js';

export interface LoadFlowOptions {
  /** Default: JSON when the text starts with `{`, YAML otherwise. */
  format?: 'json' | 'yaml';
  /** Agents that run the seed's `llm`, `rag`, `tool` and `human-in-loop` nodes. */
  seedAgents?: Partial<SeedAgentBindings>;
  /** Largest document text accepted, in bytes (default: `flowLimits.maxBytes`, 1 MiB). */
  maxBytes?: number;
  /** Size limits, checked before any graph or expression work (default `DEFAULT_FLOW_LIMITS`). */
  flowLimits?: Partial<FlowLimits>;
  /** Expression length and nesting are checked with the size limits (default `DEFAULT_LIMITS`). */
  limits?: Partial<ExpressionLimits>;
}

export type LoadResult = { ok: true; flow: FlowDefinition } | { ok: false; issues: FlowIssue[] };

/** `['agents', 2, 'condition']` → `agents[2].condition`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((path, s) => (typeof s === 'number' ? `${path}[${s}]` : path ? `${path}.${String(s)}` : String(s)), '');
}

function parseText(text: string, options: LoadFlowOptions): { ok: true; value: unknown } | { ok: false; issues: FlowIssue[] } {
  const maxBytes = options.maxBytes ?? options.flowLimits?.maxBytes ?? DEFAULT_FLOW_LIMITS.maxBytes;
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) return { ok: false, issues: [{ code: 'SCHEMA', path: '', message: `flow document is ${bytes} bytes; the limit is ${maxBytes}` }] };
  const format = options.format ?? (text.trimStart().startsWith('{') ? 'json' : 'yaml');
  if (format === 'json') {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch (err) {
      return { ok: false, issues: [{ code: 'SCHEMA', path: '', message: `not valid JSON: ${(err as Error).message}` }] };
    }
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e): FlowIssue => ({ code: 'SCHEMA', path: '', message: `not valid YAML: ${(e.message.split('\n')[0] ?? '').replace(/:$/, '')}` }));
    return { ok: false, issues };
  }
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
}

function zodIssues(error: z.ZodError): FlowIssue[] {
  return error.issues.map((i) => ({ code: 'SCHEMA', path: formatPath(i.path), message: i.message }));
}

function nodeConfig(raw: RawNode): JsonObject {
  const extra: JsonObject = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!NODE_FIELD_NAMES.has(key) && value !== undefined) extra[key] = value as JsonValue;
  }
  return { ...extra, ...(raw.config ?? {}) };
}

function normalizeNode(raw: RawNode, path: string, bindings: SeedAgentBindings): FlowNode {
  const type = raw.type ?? ('kind' in raw && raw.kind ? raw.kind : 'agent');
  const { kind, agent } = kindOf(type, raw.agent, bindings);
  const useParams = raw.inputs === undefined && raw.params !== undefined;
  const node: FlowNode = {
    id: raw.id,
    kind,
    type,
    agentPath: `${path}.${raw.agent !== undefined || type === 'agent' ? 'agent' : 'type'}`,
    dependsOn: [...(raw.dependsOn ?? [])],
    inputs: { ...(raw.params ?? {}), ...(raw.inputs ?? {}) },
    inputsPath: `${path}.${useParams ? 'params' : 'inputs'}`,
    config: nodeConfig(raw),
    tools: [...(raw.tool ? [raw.tool] : []), ...(raw.tools ?? [])],
    toolPaths: [...(raw.tool ? [`${path}.tool`] : []), ...(raw.tools ?? []).map((_, i) => `${path}.tools[${i}]`)],
    checks: raw.checks ?? [],
    defaultAction: raw.defaultAction ?? 'none',
    routes: raw.routes ?? [],
    defaultRoute: raw.defaultRoute ?? 'default',
    path,
    dependencyPaths: Object.fromEntries((raw.dependsOn ?? []).map((d, i) => [d, `${path}.dependsOn[${i}]`])),
  };
  if (agent !== undefined) node.agent = agent;
  if (raw.condition !== undefined) node.condition = raw.condition;
  if (raw.model !== undefined) node.model = raw.model;
  if (raw.outputSchema !== undefined) node.outputSchema = raw.outputSchema;
  if (raw.retry !== undefined) node.retry = raw.retry;
  if (raw.timeoutMs !== undefined) node.timeoutMs = raw.timeoutMs;
  if (raw.flow !== undefined) node.subflow = { id: raw.flow.id, version: raw.flow.version };
  return node;
}

/** Every expression a node holds, with the path it was written at. */
export function nodeExpressions(node: FlowNode): { path: string; text: string; template: boolean }[] {
  const found: { path: string; text: string; template: boolean }[] = [];
  if (node.condition !== undefined) found.push({ path: `${node.path}.condition`, text: node.condition, template: false });
  const walk = (value: JsonValue, path: string): void => {
    if (typeof value === 'string') found.push({ path, text: value, template: true });
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
  };
  walk(node.inputs, node.inputsPath);
  node.checks.forEach((c, i) => found.push({ path: `${node.path}.checks[${i}].rule`, text: c.rule, template: false }));
  node.routes.forEach((r, i) => found.push({ path: `${node.path}.routes[${i}].when`, text: r.when, template: false }));
  return found;
}

/** Node ids named by a node's expressions (text scan; parse errors are reported by validation). */
function referencedNodes(node: FlowNode, names: NameTable): Map<string, string> {
  const refs = new Map<string, string>();
  for (const { path, text, template } of nodeExpressions(node)) {
    const exprs: string[] = [];
    if (template) {
      const split = splitTemplate(text);
      if (split.ok) for (const p of split.parts) if (p.kind === 'expr') exprs.push(p.expr);
    } else {
      const e = expressionOf(text);
      if (e.ok) exprs.push(e.expr);
    }
    for (const expr of exprs) for (const id of rewriteReferences(expr, names).nodes) if (!refs.has(id)) refs.set(id, path);
  }
  return refs;
}

/**
 * Seed form: a node depends on what it names (`{{ intent-classifier.intent }}`); a node that
 * names nothing and declares no `dependsOn` runs after the agent listed before it, since the
 * seed lists agents in the order they run.
 */
function inferSeedDependencies(nodes: FlowNode[]): void {
  const names = new NameTable(nodes.map((n) => n.id));
  nodes.forEach((node, i) => {
    for (const [id, path] of referencedNodes(node, names)) {
      if (id === node.id || node.dependsOn.includes(id)) continue;
      node.dependsOn.push(id);
      node.dependencyPaths[id] = path;
    }
    const previous = nodes[i - 1];
    if (node.dependsOn.length === 0 && previous) {
      node.dependsOn.push(previous.id);
      node.dependencyPaths[previous.id] = node.path;
    }
  });
}

function addEdges(nodes: FlowNode[], raw: SpineFlowDocument['edges']): FlowEdge[] {
  const edges = (raw ?? []).map((edge, i): FlowEdge => {
    const [from, to] = Array.isArray(edge) ? edge : [edge.from, edge.to];
    return { from, to, path: `edges[${i}]` };
  });
  const byId = new Map<string, FlowNode[]>();
  for (const node of nodes) {
    const same = byId.get(node.id);
    if (same) same.push(node);
    else byId.set(node.id, [node]);
  }
  for (const { from, to, path } of edges) {
    for (const node of byId.get(to) ?? []) {
      if (node.dependsOn.includes(from)) continue;
      node.dependsOn.push(from);
      node.dependencyPaths[from] = path;
    }
  }
  return edges;
}

function header(doc: { id: string; name?: string | undefined; version?: string | number | undefined; description?: string | undefined; memory?: boolean | undefined }) {
  return {
    id: doc.id,
    memory: doc.memory ?? false,
    ...(doc.version !== undefined ? { version: String(doc.version) } : {}),
    ...(doc.name !== undefined ? { name: doc.name } : {}),
    ...(doc.description !== undefined ? { description: doc.description } : {}),
  };
}

function triggerOf(raw: z.infer<typeof spineFlowSchema>['trigger']): FlowTrigger {
  if (!raw) return { type: 'message_received' };
  return raw.schema ? { type: raw.type, schema: raw.schema } : { type: raw.type };
}

function scopesOf(raw: z.infer<typeof spineFlowSchema>['scopes']): FlowScopes {
  const { canCreateSubAgents, ...rest } = raw ?? {};
  return { ...rest, canCreateSubAgents: canCreateSubAgents ?? false };
}

/**
 * Parses and normalises a flow in either form into one `FlowDefinition`. Reports every
 * problem of shape at once; references, types and agents are checked by `validateFlow`.
 */
export function readFlow(source: string | unknown, options: LoadFlowOptions = {}): LoadResult {
  let doc = source;
  if (typeof source === 'string') {
    const parsed = parseText(source, options);
    if (!parsed.ok) return parsed;
    doc = parsed.value;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, issues: [{ code: 'SCHEMA', path: '', message: 'a flow is an object with nodes[] (or the seed form, agents[])' }] };
  }
  const limits = { ...DEFAULT_FLOW_LIMITS, ...options.flowLimits };
  const tooLarge = documentLimitIssues(doc, limits);
  if (tooLarge.length > 0) return { ok: false, issues: tooLarge };
  const bindings = { ...DEFAULT_SEED_AGENTS, ...options.seedAgents };
  const isSeed = 'agents' in doc;
  if (isSeed && 'nodes' in doc) return { ok: false, issues: [{ code: 'SCHEMA', path: 'agents', message: 'write nodes[] or agents[], not both' }] };
  if (isSeed) {
    const parsed = seedFlowSchema.safeParse(doc);
    if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
    const nodes = parsed.data.agents.map((raw, i) => normalizeNode(raw, `agents[${i}]`, bindings));
    const overLimit = expressionLimitIssues(nodes, options);
    if (overLimit.length > 0) return { ok: false, issues: overLimit };
    inferSeedDependencies(nodes);
    const flow = { ...header(parsed.data), trigger: triggerOf(parsed.data.trigger), nodes, scopes: scopesOf(parsed.data.scopes) };
    return withinLimits({ ...flow, edges: [], format: 'seed' }, limits);
  }
  const parsed = spineFlowSchema.safeParse(doc);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const nodes = parsed.data.nodes.map((raw, i) => normalizeNode(raw, `nodes[${i}]`, bindings));
  const overLimit = expressionLimitIssues(nodes, options);
  if (overLimit.length > 0) return { ok: false, issues: overLimit };
  const edges = addEdges(nodes, parsed.data.edges);
  const flow = { ...header(parsed.data), trigger: triggerOf(parsed.data.trigger), nodes, scopes: scopesOf(parsed.data.scopes) };
  return withinLimits({ ...flow, edges, format: 'spine' }, limits);
}

function withinLimits(flow: FlowDefinition, limits: FlowLimits): LoadResult {
  const issues = graphLimitIssues(flow, limits);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, flow };
}

/** Expressions too long or too deeply nested, by path: found before inference or validation parses any. */
function expressionLimitIssues(nodes: readonly FlowNode[], options: LoadFlowOptions): FlowIssue[] {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const issues: FlowIssue[] = [];
  for (const node of nodes) {
    for (const { path, text, template } of nodeExpressions(node)) {
      const split = template ? splitTemplate(text) : undefined;
      const exprs = split ? (split.ok ? split.parts.flatMap((p) => (p.kind === 'expr' ? [p.expr] : [])) : []) : [text];
      for (const expr of exprs) {
        const issue = expressionLimitIssue(expr, path, limits);
        if (issue) issues.push(issue);
      }
    }
  }
  return issues;
}

/** `readFlow`, throwing `SpineError` INVALID_ARGUMENT with every problem in `details`. */
export function loadFlow(source: string | unknown, options: LoadFlowOptions = {}): FlowDefinition {
  const result = readFlow(source, options);
  if (!result.ok) throw flowIssuesError(result.issues);
  return result.flow;
}
