import { DEFAULT_LIMITS, type ExpressionLimits } from './cel/cel-env.js';
import { RESERVED_IDS } from './cel/references.js';
import { describeFieldType, fieldNames, type FieldType } from './field-type.js';
import type { FlowCatalog } from './flow.catalog.js';
import { flowIssuesError } from './flow.errors.js';
import { formatCycle, type FlowGraph } from './flow.graph.js';
import { readFlow, type LoadFlowOptions } from './flow.loader.js';
import type { FlowDefinition, FlowIssue, FlowNode } from './flow.model.js';
import { drain, drainInSlices } from './flow.slices.js';
import { subflowInputTarget, subflowIssues } from './flow.subflows.js';
import { typeFlowSteps } from './flow.typing.js';

export interface ValidateFlowOptions {
  limits?: Partial<ExpressionLimits>;
}

function structureIssues(flow: FlowDefinition, graph: FlowGraph): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const seen = new Map<string, string>();
  const byId = new Map<string, FlowNode>();
  for (const node of flow.nodes) if (!byId.has(node.id)) byId.set(node.id, node);
  for (const node of flow.nodes) {
    const first = seen.get(node.id);
    if (first !== undefined) issues.push({ code: 'DUPLICATE_NODE', path: `${node.path}.id`, message: `'${node.id}' is already the id of ${first}` });
    else seen.set(node.id, node.path);
    if (RESERVED_IDS.has(node.id)) issues.push({ code: 'RESERVED_ID', path: `${node.path}.id`, message: `'${node.id}' is reserved in expressions; choose another id` });
    for (const dep of node.dependsOn) {
      if (!byId.has(dep)) {
        issues.push({ code: 'UNKNOWN_NODE', path: node.dependencyPaths[dep] ?? node.path, message: `'${node.id}' depends on '${dep}', which is not a node of this flow` });
      }
    }
  }
  for (const edge of flow.edges) {
    if (!byId.has(edge.to)) issues.push({ code: 'UNKNOWN_NODE', path: `${edge.path}.to`, message: `'${edge.to}' is not a node of this flow` });
  }
  for (const cycle of graph.cycles()) {
    const [first, ...rest] = cycle;
    const last = rest[rest.length - 2] ?? first;
    const node = first === undefined ? undefined : byId.get(first);
    const path = (last !== undefined && node?.dependencyPaths[last]) || node?.path || 'nodes';
    issues.push({ code: 'CYCLE', path, message: `cycle: ${formatCycle(cycle)}` });
  }
  return issues;
}

function nodeShapeIssues(node: FlowNode): FlowIssue[] {
  if (node.kind === 'agent' && node.agent === undefined) return [{ code: 'SCHEMA', path: `${node.path}.agent`, message: `an agent node names its agent` }];
  if (node.kind === 'deterministic' && node.checks.length === 0) return [{ code: 'SCHEMA', path: `${node.path}.checks`, message: 'a deterministic node needs at least one check' }];
  if (node.kind === 'router' && node.routes.length === 0) return [{ code: 'SCHEMA', path: `${node.path}.routes`, message: 'a router node needs at least one route' }];
  if (node.kind === 'transform' && Object.keys(node.inputs).length === 0) return [{ code: 'SCHEMA', path: node.inputsPath, message: 'a transform node builds its output from inputs' }];
  return [];
}

function catalogIssues(flow: FlowDefinition, node: FlowNode, catalog: FlowCatalog): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const { allowedAgents, allowedModels, allowedTools } = flow.scopes;
  if (node.kind === 'agent' && node.agent !== undefined) {
    const path = node.agentPath;
    const via = node.type === 'agent' ? '' : ` (runs type '${node.type}')`;
    if (!catalog.agents.has(node.agent)) issues.push({ code: 'UNKNOWN_AGENT', path, message: `agent '${node.agent}'${via} is not registered` });
    if (allowedAgents && !allowedAgents.includes(node.agent)) {
      issues.push({ code: 'AGENT_NOT_ALLOWED', path, message: `agent '${node.agent}' is outside scopes.allowedAgents (${allowedAgents.join(', ')})` });
    }
  }
  if (node.model !== undefined) {
    const path = `${node.path}.model`;
    if (!catalog.models.has(node.model)) issues.push({ code: 'UNKNOWN_MODEL', path, message: `model '${node.model}' is not available` });
    if (allowedModels && !allowedModels.includes(node.model)) {
      issues.push({ code: 'MODEL_NOT_ALLOWED', path, message: `model '${node.model}' is outside scopes.allowedModels (${allowedModels.join(', ')})` });
    }
  }
  node.tools.forEach((tool, i) => {
    const path = node.toolPaths[i] ?? node.path;
    if (!catalog.tools.has(tool)) issues.push({ code: 'UNKNOWN_TOOL', path, message: `tool '${tool}' is not registered` });
    if (allowedTools && !allowedTools.includes(tool)) {
      issues.push({ code: 'TOOL_NOT_ALLOWED', path, message: `tool '${tool}' is outside scopes.allowedTools (${allowedTools.join(', ')})` });
    }
  });
  return issues;
}

/** The type a node's `inputs` must fit: a direct agent's input, or a tool node's arguments. */
function inputTarget(node: FlowNode, catalog: FlowCatalog): { type: FieldType; owner: string } | undefined {
  if (node.kind === 'flow') return subflowInputTarget(node, catalog);
  if (node.type === 'agent' && node.agent !== undefined) {
    const type = catalog.agents.get(node.agent)?.inputType;
    return type && { type, owner: `agent '${node.agent}'` };
  }
  const tool = node.tools[0];
  if (node.type === 'tool' && tool !== undefined) {
    const type = catalog.tools.get(tool)?.inputType;
    return type && { type, owner: `tool '${tool}'` };
  }
  return undefined;
}

function compatible(value: FieldType, target: FieldType): boolean {
  if (value.kind === 'dyn' || target.kind === 'dyn') return true;
  if (target.kind === 'enum') return value.kind === 'enum' || (value.kind === 'scalar' && value.scalar === 'string');
  if (value.kind === 'enum') return target.kind === 'scalar' && target.scalar === 'string';
  if (value.kind === 'scalar' && value.scalar === 'null') return true; // absent
  if (target.kind === 'scalar') return value.kind === 'scalar' && (value.scalar === target.scalar || (value.scalar === 'int' && target.scalar === 'double'));
  if (target.kind === 'list') return value.kind === 'list' && compatible(value.element, target.element);
  return value.kind === 'object' || value.kind === 'map'; // objects are checked field by field below
}

function inputIssues(value: FieldType, target: FieldType, path: string, owner: string): FlowIssue[] {
  if (target.kind === 'map' && value.kind === 'object') {
    return Object.entries(value.fields).flatMap(([k, t]) => inputIssues(t, target.value, `${path}.${k}`, owner));
  }
  if (target.kind !== 'object' || value.kind !== 'object') {
    if (compatible(value, target)) return [];
    return [{ code: 'INPUT_TYPE', path, message: `is ${describeFieldType(value)}, but ${owner} expects ${describeFieldType(target)}` }];
  }
  const issues: FlowIssue[] = [];
  for (const [key, t] of Object.entries(value.fields)) {
    const expected = target.fields[key];
    if (expected) issues.push(...inputIssues(t, expected, `${path}.${key}`, owner));
    else issues.push({ code: 'UNKNOWN_INPUT', path: `${path}.${key}`, message: `${owner} has no input '${key}' (its inputs: ${fieldNames(target).join(', ') || 'none'})` });
  }
  for (const key of target.required ?? []) {
    if (!(key in value.fields)) issues.push({ code: 'MISSING_INPUT', path, message: `${owner} requires input '${key}'` });
  }
  return issues;
}

/**
 * Every deploy-time check, all reported at once: shape, duplicate and reserved ids, unknown
 * dependencies, cycles, unknown or disallowed agents, tools and models, references to nodes
 * that are not upstream, unknown fields, CEL that does not parse, type-check or fit the cost
 * bound, and inputs that do not fit the agent's or tool's input type.
 */
export function validateFlow(flow: FlowDefinition, catalog: FlowCatalog, options: ValidateFlowOptions = {}): FlowIssue[] {
  return drain(validateSteps(flow, catalog, options));
}

function* validateSteps(flow: FlowDefinition, catalog: FlowCatalog, options: ValidateFlowOptions): Generator<void, FlowIssue[]> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const typing = yield* typeFlowSteps(flow, catalog, limits);
  const issues = structureIssues(flow, typing.graph);
  for (const node of flow.nodes) {
    issues.push(...nodeShapeIssues(node), ...catalogIssues(flow, node, catalog), ...subflowIssues(flow, node, catalog));
    const target = inputTarget(node, catalog);
    const inputs = typing.inputTypes.get(node.id);
    if (target && inputs) issues.push(...inputIssues(inputs, target.type, node.inputsPath, target.owner));
  }
  issues.push(...typing.issues);
  return sortedByNode(issues);
}

/** Issues in the order of the nodes they are about, stable within a node. */
function sortedByNode(issues: FlowIssue[]): FlowIssue[] {
  const rank = (path: string): number => Number(/^\w+\[(\d+)\]/.exec(path)?.[1] ?? -1);
  return issues.map((issue, i) => ({ issue, i, rank: rank(issue.path) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((x) => x.issue);
}

export type CheckFlowResult = { flow?: FlowDefinition; issues: FlowIssue[] };

/** Parse, normalise and validate in one call: the flow (if it could be read) and every issue. */
export function checkFlow(source: string | unknown, catalog: FlowCatalog, options: LoadFlowOptions & ValidateFlowOptions = {}): CheckFlowResult {
  const read = readFlow(source, options);
  if (!read.ok) return { issues: read.issues };
  return { flow: read.flow, issues: validateFlow(read.flow, catalog, options) };
}

/** `checkFlow` giving the event loop back every few milliseconds (see flow.slices.ts): for a server. */
export async function checkFlowInSlices(source: string | unknown, catalog: FlowCatalog, options: LoadFlowOptions & ValidateFlowOptions = {}): Promise<CheckFlowResult> {
  const read = readFlow(source, options);
  if (!read.ok) return { issues: read.issues };
  return { flow: read.flow, issues: await drainInSlices(validateSteps(read.flow, catalog, options)) };
}

/** `checkFlow` for the API: the valid flow, or `SpineError` INVALID_ARGUMENT with every issue by path. */
export function assertDeployable(source: string | unknown, catalog: FlowCatalog, options: LoadFlowOptions & ValidateFlowOptions = {}): FlowDefinition {
  const { flow, issues } = checkFlow(source, catalog, options);
  if (!flow || issues.length > 0) throw flowIssuesError(issues);
  return flow;
}
