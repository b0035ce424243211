import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import { ErrorCode, SpineError } from '@spine/contracts';
import { DEFAULT_LIMITS, type ExpressionLimits } from './cel/cel-env.js';
import { compileExpression, evaluateExpression, type CompiledExpression } from './cel/expression.js';
import { expressionOf, isTemplate, soleExpression, splitTemplate } from './cel/template.js';
import { celText, fromCel, toCel } from './cel/values.js';
import { DYN, OPEN_MAP, type FieldType } from './field-type.js';
import { emptyCatalog, type FlowCatalog } from './flow.catalog.js';
import type { FlowGraph } from './flow.graph.js';
import type { FlowDefinition, FlowNode, FlowRunContext, NodeOutputs } from './flow.model.js';
import { FlowProgress } from './flow.progress.js';
import { drainInSlices } from './flow.slices.js';
import { typeFlow, typeFlowSteps, type FlowTyping } from './flow.typing.js';

/** What an expression evaluation may read: upstream outputs, which of them were skipped, the run's trigger and context. */
export interface EvaluationState extends FlowRunContext {
  outputs: NodeOutputs;
  skipped?: ReadonlySet<string>;
}

function isRecord(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A validated flow, ready for the executor: the DAG (order, ready sets, skip propagation) and
 * sandboxed evaluation of conditions, input templates and in-process nodes. Pure: the caller
 * owns state, dispatch and persistence. Build it once per flow version.
 */
export class FlowPlan {
  readonly graph: FlowGraph;
  readonly order: readonly string[];
  private readonly typing: FlowTyping;
  private readonly nodes: Map<string, FlowNode>;
  private readonly compiled = new Map<string, CompiledExpression>();
  private readonly limits: ExpressionLimits;

  private constructor(
    readonly flow: FlowDefinition,
    typing: FlowTyping,
    limits: ExpressionLimits,
  ) {
    this.limits = limits;
    this.typing = typing;
    this.graph = this.typing.graph;
    this.order = this.typing.order;
    this.nodes = new Map(flow.nodes.map((n) => [n.id, n]));
  }

  /** The catalog gives output types, so integers bind as CEL `int` as they were checked. */
  static create(flow: FlowDefinition, catalog: FlowCatalog = emptyCatalog(), limits: Partial<ExpressionLimits> = {}): FlowPlan {
    const all = { ...DEFAULT_LIMITS, ...limits };
    return new FlowPlan(flow, typeFlow(flow, catalog, all), all);
  }

  /** `create`, giving the event loop back every few milliseconds (see flow.slices.ts): for a server. */
  static async createInSlices(flow: FlowDefinition, catalog: FlowCatalog = emptyCatalog(), limits: Partial<ExpressionLimits> = {}): Promise<FlowPlan> {
    const all = { ...DEFAULT_LIMITS, ...limits };
    return new FlowPlan(flow, await drainInSlices(typeFlowSteps(flow, catalog, all)), all);
  }

  node(id: string): FlowNode {
    const node = this.nodes.get(id);
    if (!node) throw SpineError.notFound(`flow '${this.flow.id}' has no node '${id}'`, { node: id });
    return node;
  }

  /** An execution's incremental progress (ready and skippable nodes), from what is already settled. */
  progress(completed: Iterable<string> = [], skipped: Iterable<string> = []): FlowProgress {
    return new FlowProgress(this.graph, completed, skipped);
  }

  readyNodes(completed: ReadonlySet<string>, skipped: ReadonlySet<string>, running?: ReadonlySet<string>): string[] {
    return this.graph.readyNodes(completed, skipped, running);
  }

  propagateSkips(completed: ReadonlySet<string>, skipped: ReadonlySet<string>): string[] {
    return this.graph.propagateSkips(completed, skipped);
  }

  outputType(id: string): FieldType {
    return this.typing.outputTypes.get(id) ?? DYN;
  }

  /**
   * True when the node should run. No condition: true. A condition that fails only because it
   * reads a skipped node is false (the branch it guards did not happen).
   */
  evaluateCondition(id: string, state: EvaluationState): boolean {
    const node = this.node(id);
    if (node.condition === undefined) return true;
    return this.evaluateBool(node, node.condition, `${node.path}.condition`, state, undefined);
  }

  /** The node's inputs with every template evaluated; a template reading a skipped node gives null. */
  evaluateInputs(id: string, state: EvaluationState): JsonObject {
    const node = this.node(id);
    const value = this.renderValue(node, node.inputs, node.inputsPath, state);
    return isRecord(value) ? value : {};
  }

  /** Runs a deterministic, router or transform node on its evaluated inputs. */
  runInProcess(id: string, input: JsonObject, state: EvaluationState): JsonObject {
    const node = this.node(id);
    switch (node.kind) {
      case 'transform':
        return input;
      case 'deterministic': {
        const matched = node.checks
          .filter((c, i) => this.evaluateBool(node, c.rule, `${node.path}.checks[${i}].rule`, state, input))
          .map((c) => c.action);
        return { action: matched[0] ?? node.defaultAction, matched };
      }
      case 'router': {
        const route = node.routes.find((r, i) => this.evaluateBool(node, r.when, `${node.path}.routes[${i}].when`, state, input));
        return { route: route?.route ?? node.defaultRoute };
      }
      case 'agent':
      case 'human':
      case 'flow':
        throw new SpineError(ErrorCode.FAILED_PRECONDITION, `node '${id}' runs on ${runnerOf(node)}, not in-process`, { node: id });
    }
  }

  private compile(node: FlowNode, source: string, path: string): CompiledExpression {
    const cached = this.compiled.get(source);
    if (cached) return cached;
    const result = compileExpression(source, this.typing.names, this.limits);
    if (!result.ok) {
      const message = result.issues.map((i) => i.message).join('; ');
      throw new SpineError(ErrorCode.INVALID_ARGUMENT, `${path}: ${message}`, { node: node.id, path });
    }
    this.compiled.set(source, result.expression);
    return result.expression;
  }

  private bindings(node: FlowNode, expression: CompiledExpression, state: EvaluationState, input: JsonObject | undefined): Record<string, unknown> {
    const bound: Record<string, unknown> = {};
    for (const name of expression.free) {
      if (name === 'trigger') bound[name] = toCel(state.trigger ?? {}, this.typing.triggerType);
      else if (name === 'context') bound[name] = toCel(state.context ?? {}, OPEN_MAP);
      else if (name === 'input' && input !== undefined) bound[name] = toCel(input, this.typing.inputTypes.get(node.id));
      else {
        const id = this.typing.names.idOf(name);
        if (id !== undefined) {
          const skipped = state.skipped?.has(id) === true || !(id in state.outputs);
          bound[name] = skipped ? null : toCel(state.outputs[id], this.outputType(id));
        } else {
          const found = this.fromSharedContext(node, name, state);
          if (found !== undefined) bound[name] = found;
        }
      }
    }
    return bound;
  }

  /** Seed rules' bare names: the field of the nearest upstream output that has it. */
  private fromSharedContext(node: FlowNode, name: string, state: EvaluationState): unknown {
    const ancestors = this.graph.ancestors(node.id);
    for (const id of [...this.order].reverse()) {
      const output = state.outputs[id];
      if (!ancestors.has(id) || !isRecord(output) || !(name in output)) continue;
      const type = this.outputType(id);
      return toCel(output[name], type.kind === 'object' ? type.fields[name] : DYN);
    }
    return undefined;
  }

  private readsSkipped(expression: CompiledExpression, state: EvaluationState): boolean {
    return expression.nodes.some((id) => state.skipped?.has(id) === true || !(id in state.outputs));
  }

  private evaluate(node: FlowNode, source: string, path: string, state: EvaluationState, input: JsonObject | undefined): { value: unknown; skippedRead: boolean } {
    const expression = this.compile(node, source, path);
    try {
      return { value: evaluateExpression(expression, this.bindings(node, expression, state, input), this.typing.names, this.limits), skippedRead: false };
    } catch (err) {
      const recoverable = err instanceof SpineError && err.details['reason'] === 'CEL_EVAL' && this.readsSkipped(expression, state);
      if (!recoverable) throw err instanceof SpineError ? new SpineError(err.code, `${path}: ${err.message}`, { ...err.details, node: node.id, path }) : err;
      return { value: null, skippedRead: true };
    }
  }

  private evaluateBool(node: FlowNode, text: string, path: string, state: EvaluationState, input: JsonObject | undefined): boolean {
    const expr = expressionOf(text);
    if (!expr.ok) throw new SpineError(ErrorCode.INVALID_ARGUMENT, `${path}: ${expr.error}`, { node: node.id, path });
    const { value, skippedRead } = this.evaluate(node, expr.expr, path, state, input);
    if (skippedRead) return false;
    if (typeof value !== 'boolean') {
      throw new SpineError(ErrorCode.INVALID_ARGUMENT, `${path}: '${expr.expr}' gave ${celText(value)}, not a bool`, { node: node.id, path });
    }
    return value;
  }

  private renderValue(node: FlowNode, value: JsonValue, path: string, state: EvaluationState): JsonValue {
    if (Array.isArray(value)) return value.map((v, i) => this.renderValue(node, v, `${path}[${i}]`, state));
    if (isRecord(value)) {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.renderValue(node, v, `${path}.${k}`, state);
      return out;
    }
    if (typeof value !== 'string' || !isTemplate(value)) return value;
    const split = splitTemplate(value);
    if (!split.ok) throw new SpineError(ErrorCode.INVALID_ARGUMENT, `${path}: ${split.error}`, { node: node.id, path });
    const sole = soleExpression(split.parts);
    if (sole !== undefined) return fromCel(this.evaluate(node, sole, path, state, undefined).value);
    return split.parts.map((p) => (p.kind === 'text' ? p.text : celText(this.evaluate(node, p.expr, path, state, undefined).value))).join('');
  }
}

function runnerOf(node: FlowNode): string {
  if (node.kind === 'human') return 'a person';
  if (node.kind === 'flow') return `flow '${node.subflow?.id ?? ''}'`;
  return `agent '${node.agent ?? ''}'`;
}
