import type { JsonValue } from '@bufbuild/protobuf';
import { selectPaths } from './cel/ast.js';
import { DEFAULT_LIMITS, TypedEnvironment, type ExpressionLimits } from './cel/cel-env.js';
import { celErrorMessage, compileExpression, costIssue } from './cel/expression.js';
import { NameTable } from './cel/references.js';
import { expressionOf, isTemplate, soleExpression, splitTemplate } from './cel/template.js';
import {
  BOOL,
  describeFieldType,
  DOUBLE,
  DYN,
  fieldNames,
  fieldTypeOfJsonSchema,
  INT,
  objectType,
  OPEN_MAP,
  STRING,
  type FieldType,
} from './field-type.js';
import type { FlowCatalog } from './flow.catalog.js';
import { FlowGraph } from './flow.graph.js';
import { drain } from './flow.slices.js';
import type { FlowDefinition, FlowIssue, FlowIssueCode, FlowNode, FlowTrigger } from './flow.model.js';
import { deterministicOutputType, HUMAN_OUTPUT_TYPE, routerOutputType, SUBFLOW_OUTPUT_TYPE } from './node-kinds.js';

/** What the seed's `message_received` trigger carries. */
export const MESSAGE_RECEIVED_TYPE: FieldType = objectType({
  content: STRING,
  conversationId: STRING,
  messageId: STRING,
  userId: STRING,
  tenantId: STRING,
  locale: STRING,
  /** The sender's roles in the tenant (client, admin): tools check them. */
  roles: { kind: 'list', element: STRING },
  /** The sender's clock, for relative dates ("mañana a las 10"): IANA time zone and an RFC 3339 instant. */
  timezone: STRING,
  now: STRING,
  /** Earlier turns of the conversation, oldest first. */
  history: { kind: 'list', element: objectType({ role: STRING, text: STRING }) },
});

export function triggerTypeOf(trigger: FlowTrigger): FieldType {
  if (trigger.schema) return fieldTypeOfJsonSchema(trigger.schema);
  return trigger.type === 'message_received' ? MESSAGE_RECEIVED_TYPE : OPEN_MAP;
}

type Role = 'condition' | 'input' | 'rule' | 'route';

/** The types a flow's expressions see, and every problem found while checking them. */
export interface FlowTyping {
  names: NameTable;
  graph: FlowGraph;
  /** Topological order; nodes on a cycle follow in declaration order. */
  order: string[];
  triggerType: FieldType;
  outputTypes: Map<string, FieldType>;
  inputTypes: Map<string, FieldType>;
  issues: FlowIssue[];
}

function agentOutputType(node: FlowNode, catalog: FlowCatalog): FieldType {
  if (node.outputSchema) return fieldTypeOfJsonSchema(node.outputSchema);
  if (node.kind === 'deterministic') return deterministicOutputType(node);
  if (node.kind === 'router') return routerOutputType(node);
  if (node.kind === 'human') return HUMAN_OUTPUT_TYPE;
  if (node.kind === 'flow') return SUBFLOW_OUTPUT_TYPE;
  return (node.agent !== undefined ? catalog.agents.get(node.agent)?.outputType : undefined) ?? DYN;
}

function isBoolish(type: FieldType): boolean {
  return type.kind === 'dyn' || (type.kind === 'scalar' && type.scalar === 'bool');
}

/** Checks every expression of every node against the declared types, in topological order. */
export function typeFlow(flow: FlowDefinition, catalog: FlowCatalog, limits: ExpressionLimits = DEFAULT_LIMITS): FlowTyping {
  return drain(typeFlowSteps(flow, catalog, limits));
}

/** `typeFlow`, yielding after each node (see flow.slices.ts). */
export function* typeFlowSteps(flow: FlowDefinition, catalog: FlowCatalog, limits: ExpressionLimits = DEFAULT_LIMITS): Generator<void, FlowTyping> {
  const ids = [...new Set(flow.nodes.map((n) => n.id))];
  const graph = new FlowGraph(flow.nodes);
  const topo = graph.topologicalOrder();
  const sorted = new Set(topo);
  const order = [...topo, ...ids.filter((id) => !sorted.has(id))];
  const typing: FlowTyping = {
    names: new NameTable(ids),
    graph,
    order,
    triggerType: triggerTypeOf(flow.trigger),
    outputTypes: new Map(),
    inputTypes: new Map(),
    issues: [],
  };
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const rank = new Map(order.map((id, i) => [id, i]));
  for (const id of order) {
    const node = byId.get(id) as FlowNode;
    new NodeTyper(flow, node, typing, limits, rank).run(catalog);
    yield;
  }
  return typing;
}

class NodeTyper {
  constructor(
    private readonly flow: FlowDefinition,
    private readonly node: FlowNode,
    private readonly typing: FlowTyping,
    private readonly limits: ExpressionLimits,
    private readonly rank: ReadonlyMap<string, number>,
  ) {}

  /** Ancestors nearest first (the seed's shared context lets later outputs shadow earlier ones); only seed rules' bare names need them all. */
  private nearestAncestors(): string[] {
    const rank = this.rank;
    return [...this.typing.graph.ancestors(this.node.id)].sort((a, b) => (rank.get(b) ?? 0) - (rank.get(a) ?? 0));
  }

  run(catalog: FlowCatalog): void {
    const { node, typing } = this;
    if (node.condition !== undefined) this.checkText(node.condition, `${node.path}.condition`, 'condition');
    const written = this.valueType(node.inputs, node.inputsPath);
    // A quality gate's rules may ask whether its input holds personal data (`input.contains_pii`); the orchestrator adds it.
    const inputType = node.kind === 'deterministic' && written.kind === 'object' ? objectType({ ...written.fields, contains_pii: BOOL }) : written;
    typing.inputTypes.set(node.id, inputType);
    node.checks.forEach((c, i) => this.checkText(c.rule, `${node.path}.checks[${i}].rule`, 'rule'));
    node.routes.forEach((r, i) => this.checkText(r.when, `${node.path}.routes[${i}].when`, 'route'));
    let output = node.kind === 'transform' && !node.outputSchema ? inputType : agentOutputType(node, catalog);
    // A gate answers its input too (redacted when its `redact` action held), so downstream nodes read the clean copy.
    if (node.kind === 'deterministic' && !node.outputSchema && output.kind === 'object') output = objectType({ ...output.fields, input: written });
    typing.outputTypes.set(node.id, output);
  }

  private issue(code: FlowIssueCode, path: string, message: string): void {
    this.typing.issues.push({ code, path, message });
  }

  private checkText(text: string, path: string, role: Role): void {
    const expr = expressionOf(text);
    if (!expr.ok) this.issue('TEMPLATE', path, expr.error);
    else this.checkExpression(expr.expr, path, role);
  }

  /** The type of an input value: literals as they are, `{{ expr }}` as its checked type, mixed text a string. */
  private valueType(value: JsonValue, path: string): FieldType {
    if (typeof value === 'string') {
      if (!isTemplate(value)) return STRING;
      const split = splitTemplate(value);
      if (!split.ok) {
        this.issue('TEMPLATE', path, split.error);
        return DYN;
      }
      const sole = soleExpression(split.parts);
      if (sole !== undefined) return this.checkExpression(sole, path, 'input') ?? DYN;
      for (const part of split.parts) if (part.kind === 'expr') this.checkExpression(part.expr, path, 'input');
      return STRING;
    }
    if (typeof value === 'number') return Number.isInteger(value) ? INT : DOUBLE;
    if (typeof value === 'boolean') return BOOL;
    if (value === null) return { kind: 'scalar', scalar: 'null' };
    if (Array.isArray(value)) {
      const items = value.map((v, i) => this.valueType(v, `${path}[${i}]`));
      const first = items[0];
      const same = first !== undefined && items.every((t) => describeFieldType(t) === describeFieldType(first));
      return { kind: 'list', element: same ? first : DYN };
    }
    const fields: Record<string, FieldType> = {};
    for (const [key, v] of Object.entries(value)) fields[key] = this.valueType(v, `${path}.${key}`);
    return objectType(fields);
  }

  /** Seed rules may name a field of an upstream output directly (`confidence < 0.5`): the seed's shared context. */
  private busType(name: string): FieldType | undefined {
    for (const id of this.nearestAncestors()) {
      const type = this.typing.outputTypes.get(id) ?? DYN;
      if (type.kind === 'object' && name in type.fields) return type.fields[name];
      if (type.kind === 'map' || type.kind === 'dyn') return DYN;
    }
    return undefined;
  }

  private variable(name: string, role: Role, path: string): FieldType | undefined {
    const { node, typing } = this;
    if (name === 'trigger') return typing.triggerType;
    if (name === 'context') return OPEN_MAP;
    if (name === 'input' && (role === 'rule' || role === 'route')) return typing.inputTypes.get(node.id) ?? DYN;
    const id = typing.names.idOf(name);
    if (id !== undefined && this.typing.graph.isUpstream(id, node.id)) return typing.outputTypes.get(id) ?? DYN;
    if (id === node.id) {
      this.issue('NOT_UPSTREAM', path, `'${id}' is this node: a node cannot read its own output`);
      return undefined;
    }
    if (id !== undefined) {
      const hint = this.flow.format === 'spine' ? `; add it to ${node.path}.dependsOn` : '';
      this.issue('NOT_UPSTREAM', path, `'${id}' is not upstream of '${node.id}'${hint}`);
      return undefined;
    }
    const fromBus = role === 'rule' && this.flow.format === 'seed' ? this.busType(name) : undefined;
    if (fromBus) return fromBus;
    const builtins = role === 'rule' || role === 'route' ? 'trigger, context or input' : 'trigger or context';
    this.issue('UNKNOWN_REFERENCE', path, `'${name}' is neither a node of this flow nor ${builtins}`);
    return undefined;
  }

  private fieldIssues(root: string, fields: readonly string[], type: FieldType, path: string): boolean {
    let current = type;
    const shown = this.typing.names.idOf(root) ?? root;
    for (let i = 0; i < fields.length; i += 1) {
      const field = fields[i] as string;
      if (current.kind === 'map') current = current.value;
      else if (current.kind !== 'object') return false;
      else if (field in current.fields) current = current.fields[field] as FieldType;
      else {
        const owner = [shown, ...fields.slice(0, i)].join('.');
        const known = fieldNames(current);
        const has = known.length > 0 ? `its fields: ${known.join(', ')}` : 'it has no fields';
        this.issue('UNKNOWN_FIELD', path, `'${owner}' has no field '${field}' (${has})`);
        return true;
      }
    }
    return false;
  }

  /** Parse, resolve names and fields, type-check, bound the cost. Returns the result type if all passed. */
  private checkExpression(source: string, path: string, role: Role): FieldType | undefined {
    const compiled = compileExpression(source, this.typing.names, this.limits);
    if (!compiled.ok) {
      for (const i of compiled.issues) this.issue(i.code, path, i.message);
      return undefined;
    }
    const expression = compiled.expression;
    const vars = new Map<string, FieldType>();
    let failed = false;
    for (const name of expression.free) {
      const type = this.variable(name, role, path);
      if (type) vars.set(name, type);
      else failed = true;
    }
    for (const p of selectPaths(expression.ast)) {
      const type = vars.get(p.root);
      if (type && this.fieldIssues(p.root, p.fields, type, path)) failed = true;
    }
    if (failed) return undefined;
    const env = new TypedEnvironment(vars, this.limits);
    const checked = env.env.check(expression.rewritten);
    if (!checked.valid) {
      const code = checked.error?.code === 'no_such_key' ? 'UNKNOWN_FIELD' : 'CEL_TYPE';
      this.issue(code, path, `${celErrorMessage(checked.error, this.typing.names)} in '${source}'`);
      return undefined;
    }
    const type = env.fieldTypeOf(checked.type ?? 'dyn');
    if (role !== 'input' && !isBoolish(type)) {
      this.issue('CEL_TYPE', path, `'${source}' is ${describeFieldType(type)}; a ${role} must be a bool`);
    }
    const tooCostly = costIssue(expression, this.limits);
    if (tooCostly) this.issue(tooCostly.code, path, tooCostly.message);
    return type;
  }
}
