import type { JsonObject } from '@bufbuild/protobuf';
import { SpineError } from '@spine/contracts';
import type { FlowNode, SubflowRef } from '@spine/flow';
import { backgroundFailure } from '@spine/observability';
import { isParked, parkedError } from '../../core/parking.js';
import type { ExecutionRow, Json } from '../../store/execution.model.js';
import type { Outcome } from '../dispatch/node-attempt.js';
import type { LoggerService } from '@nestjs/common';
import type { Clock } from '../../core/clock.js';
import type { HumanWaits } from '../../inbox/human-waits.js';
import type { SubflowRuns } from '../../subflows/subflow-runs.js';

/** What the waits need of the runner's dependencies. */
export interface WaitDeps {
  clock: Clock;
  humans: HumanWaits;
  subflows: SubflowRuns;
  logger: LoggerService;
}

export interface PersonWait {
  nodeId: string;
  attempt: number;
  input: JsonObject;
  config: JsonObject;
  outputOf: (decided: JsonObject) => JsonObject;
  signal: AbortSignal;
  note: (type: string, payload: Json) => void;
}

export interface ChildWait {
  nodeId: string;
  attempt: number;
  input: JsonObject;
  subflow: SubflowRef;
  tokenBudget: number | null;
  deadlineMs: number | null;
  signal: AbortSignal;
}

/**
 * The nodes of one execution run that wait on something outside: a person (a human node, an escalated gate) or a
 * child execution (a `flow` node). A wait is *armed* once it looked and found nothing settled yet; the run may park
 * (see ExecutionRunner.park) only when every node in flight is an armed wait.
 */
export class NodeWaits {
  private readonly waits = new Set<string>();
  private readonly armed = new Set<string>();

  constructor(
    private readonly deps: WaitDeps,
    private readonly execution: ExecutionRow,
    /** Wakes the run's loop (a wait armed: it may park now). */
    private readonly wakeLoop: () => void,
  ) {}

  /** The node's task waits in the inbox; the outcome comes when a person or the deadline decides. */
  person(w: PersonWait): Promise<Outcome> {
    const { nodeId, attempt } = w;
    this.waits.add(nodeId);
    const startedAt = this.deps.clock.nowMs();
    const { tenantId, flowId, id: executionId } = this.execution;
    const armed = () => this.arm(nodeId);
    return this.deps.humans.run({ tenantId, executionId, flowId, nodeId, input: w.input, config: w.config, signal: w.signal, armed, note: w.note }).then(
      (decided): Outcome => ({ nodeId, attempt, ok: true, output: w.outputOf(decided), usage: null, tokens: 0, startedAt }),
      (err: unknown): Outcome => ({ nodeId, attempt, ok: false, error: SpineError.from(err), startedAt }),
    );
  }

  /** The node's child execution runs with the budget given; its tokens are the node's usage. */
  child(w: ChildWait): Promise<Outcome> {
    const { nodeId, attempt } = w;
    this.waits.add(nodeId);
    const startedAt = this.deps.clock.nowMs();
    const { tenantId, id: executionId } = this.execution;
    const run = { tenantId, executionId, nodeId, subflow: w.subflow, input: w.input, tokenBudget: w.tokenBudget, deadlineMs: w.deadlineMs, signal: w.signal };
    return this.deps.subflows.run({ ...run, armed: () => this.arm(nodeId) }).then(
      (r): Outcome => ({ nodeId, attempt, ok: true, output: r.output, usage: { totalTokens: String(r.tokens) }, tokens: r.tokens, startedAt }),
      (err: unknown): Outcome => ({ nodeId, attempt, ok: false, error: SpineError.from(err), startedAt }),
    );
  }

  private arm(nodeId: string): void {
    if (!this.waits.has(nodeId)) return;
    this.armed.add(nodeId);
    this.wakeLoop();
  }

  /** Every one of these in-flight nodes is an armed wait. */
  onlyArmed(inFlight: Iterable<string>): boolean {
    return [...inFlight].every((id) => this.waits.has(id) && this.armed.has(id));
  }

  /** The node is no longer in flight. */
  settled(nodeId: string): void {
    this.waits.delete(nodeId);
    this.armed.delete(nodeId);
  }

  /** Stops every wait for a park: tasks stay open, children keep running. */
  stopForPark(calls: ReadonlyMap<string, AbortController>): void {
    const reason = parkedError();
    for (const id of this.waits) calls.get(id)?.abort(reason);
  }

  /** Of the outcomes of a park's stopped waits, those that settled anyway (decided, or the child ended, meanwhile). */
  static settledDuringPark(outcomes: readonly Outcome[]): Outcome[] {
    return outcomes.filter((o) => o.ok || !isParked(o.error));
  }

  clear(): void {
    this.waits.clear();
    this.armed.clear();
  }

  /** A wait node that ended with its execution while nobody waited on it: its task closes, its child is cancelled. */
  release(node: FlowNode): void {
    if (node.kind === 'agent') return;
    const { tenantId, id } = this.execution;
    const released = node.kind === 'flow' ? this.deps.subflows.release(tenantId, id, node.id) : this.deps.humans.release(id, node.id);
    void released.catch(backgroundFailure(this.deps.logger, 'execution.release_wait', { executionId: id, nodeId: node.id }));
  }
}
