import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import type { FlowPlan, FlowProgress } from '@spine/flow';
import type { ExecutionRow, NodeRunRow } from '../../store/execution.model.js';
import { waitsForInput } from './execution-states.js';
import { evaluationState } from './node-context.js';

/**
 * What one execution run knows of its nodes: which succeeded (and their outputs) or were skipped, each node's last
 * input and attempt number, and the tokens used so far. Built from the committed node runs when a replica resumes.
 */
export class NodeLedger {
  readonly completed = new Set<string>();
  readonly skipped = new Set<string>();
  readonly outputs: Record<string, JsonValue> = {};
  /** Gates whose `redact` acted: the nodes below them read a redacted trigger. */
  private readonly redactors = new Set<string>();
  private readonly inputs = new Map<string, JsonObject>();
  private readonly attempts = new Map<string, number>();
  /** Nodes that were running when the last holder stopped, with their input: dispatched again, same attempt. */
  readonly resumed = new Map<string, JsonObject>();
  tokens = 0;
  /** Which nodes are ready or skippable next, kept as nodes settle (linear in the flow, not rescanned per step). */
  readonly progress: FlowProgress;

  constructor(runs: readonly NodeRunRow[], plan: FlowPlan) {
    for (const run of runs) {
      this.attempts.set(run.nodeId, run.attempts);
      if (run.state === 'succeeded') {
        this.completed.add(run.nodeId);
        this.outputs[run.nodeId] = run.output as JsonValue;
        this.tokens += Number((run.usage as { totalTokens?: string } | null)?.totalTokens ?? 0);
      } else if (run.state === 'failed') {
        this.tokens += Number((run.usage as { totalTokens?: string } | null)?.totalTokens ?? 0);
      } else if (run.state === 'skipped') {
        this.skipped.add(run.nodeId);
      } else if (run.state === 'running') {
        this.inputs.set(run.nodeId, (run.input ?? {}) as JsonObject);
        this.resumed.set(run.nodeId, (run.input ?? {}) as JsonObject);
      }
    }
    for (const run of runs) if (run.state === 'succeeded') this.applyRedactions(run.nodeId, run.output as JsonValue);
    this.progress = plan.progress(this.completed, this.skipped);
  }

  /** A gate that redacted: downstream nodes read the clean copies of the outputs it checked (see quality-gate.ts). */
  private applyRedactions(nodeId: string, output: JsonValue): void {
    const redacted = output && typeof output === 'object' && !Array.isArray(output) ? output['redacted'] : undefined;
    if (!redacted || typeof redacted !== 'object' || Array.isArray(redacted)) return;
    this.redactors.add(nodeId);
    for (const [id, clean] of Object.entries(redacted)) if (id in this.outputs) this.outputs[id] = clean as JsonValue;
  }

  /** The next attempt of the node, with this input; returns its number. */
  start(nodeId: string, input: JsonObject): number {
    const attempt = (this.attempts.get(nodeId) ?? 0) + 1;
    this.attempts.set(nodeId, attempt);
    this.inputs.set(nodeId, input);
    return attempt;
  }

  attemptOf(nodeId: string): number {
    return this.attempts.get(nodeId) ?? 1;
  }

  inputOf(nodeId: string): JsonObject {
    return this.inputs.get(nodeId) ?? {};
  }

  succeed(nodeId: string, output: JsonValue, tokens: number): void {
    this.completed.add(nodeId);
    this.progress.settle(nodeId, 'completed');
    this.outputs[nodeId] = output;
    this.tokens += tokens;
    this.applyRedactions(nodeId, output);
  }

  /** Tokens a failed attempt spent. */
  spend(tokens: number): void {
    this.tokens += tokens;
  }

  skip(nodeId: string): void {
    this.skipped.add(nodeId);
    this.progress.settle(nodeId, 'skipped');
  }

  /** A gate upstream of the node redacted: the node reads (and its agent is sent) the trigger without personal data. */
  redactsFor(plan: FlowPlan, nodeId: string): boolean {
    for (const gate of this.redactors) if (plan.graph.isUpstream(gate, nodeId)) return true;
    return false;
  }

  /** What a node's templates and conditions read. */
  evaluation(execution: ExecutionRow, plan: FlowPlan, nodeId: string) {
    return evaluationState(execution, this.outputs, this.skipped, this.redactsFor(plan, nodeId));
  }

  /** The conversation's answer: what the streamer wrote, when a streamer node ran. */
  replyText(plan: FlowPlan): string | undefined {
    const id = [...plan.order].reverse().find((n) => this.completed.has(n) && plan.node(n).agent === 'streamer');
    const text = id ? (this.outputs[id] as { text?: unknown } | null)?.text : undefined;
    return typeof text === 'string' && text.length > 0 ? text : undefined;
  }

  /** The planner asked for input: the execution ends WAITING_INPUT instead of DONE. */
  waiting(plan: FlowPlan): boolean {
    return plan.order.some((id) => this.completed.has(id) && waitsForInput(plan.node(id).agent, this.outputs[id]));
  }
}
