import type { JsonObject } from '@bufbuild/protobuf';
import type { LoggerService } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import type { FlowPlan } from '@spine/flow';
import type { Clock } from '../../core/clock.js';
import type { EventRow, ExecutionDetail, ExecutionRow, ExecutionStateName, Json, Lease, NodeRunRow } from '../../store/execution.model.js';
import type { LeasesRepository } from '../../store/leases.repository.js';
import type { OrchestratorConfig } from '../../orchestrator.config.js';
import { openedEvent, type HumanWaits } from '../../inbox/human-waits.js';
import type { SubflowRuns } from '../../subflows/subflow-runs.js';
import type { AgentDispatcher } from '../dispatch/agent-dispatcher.js';
import type { EventPublisher } from '../outbox/event-publisher.js';
import { nextState } from './execution-states.js';
import { memoryOf } from './memory.js';
import { agentContext } from './node-context.js';
import { NodeLedger } from './node-ledger.js';
import { NodeWaits } from './node-waits.js';
import { runAttempt, type Outcome } from '../dispatch/node-attempt.js';
import { backoffOf, retryDelayMs } from './retry-policy.js';
import { RunEvents } from './run-events.js';
import { checkScope, errorJson, scopeMessage } from './run-scope.js';
import { StepWriter } from './step-writer.js';
import { actOnGate, afterEscalation, escalates, escalationConfig, gateInput, hasRedactGate } from './quality-gate.js';
import { backgroundFailure } from '@spine/observability';

export interface RunnerDeps {
  leases: LeasesRepository;
  dispatcher: AgentDispatcher;
  publisher: EventPublisher;
  config: OrchestratorConfig;
  logger: LoggerService;
  clock: Clock;
  humans: HumanWaits;
  subflows: SubflowRuns;
  /** Tells every replica that an execution may be claimable now. */
  wakeReplicas(): void;
}

/** How an execution ends, if it does. */
type Ending = { state: 'DONE' | 'WAITING_INPUT' } | { state: 'FAILED'; error: SpineError; nodeId?: string } | { state: 'CANCELLED' };

/**
 * Runs one execution while this replica holds its lease: the loop. Nodes start when their parents settled, in
 * parallel up to NODE_PARALLELISM; every result is committed (fenced by the lease) before any dependant starts, and
 * the commits that finish one node and start the next are one transaction. A replica that resumes reads what was
 * committed and never runs a succeeded node again; a node that was running is dispatched again with the same attempt
 * number, which agents recognise as a redelivery. What is known of the nodes is the NodeLedger's; what is written,
 * the StepWriter's; what is published, RunEvents'.
 */
export class ExecutionRunner {
  private state: ExecutionStateName;
  private readonly ledger: NodeLedger;
  private readonly writer: StepWriter;
  private readonly log: RunEvents;
  /** Node runs dispatched and not yet settled. */
  private readonly inFlight = new Map<string, Promise<Outcome>>();
  /** Aborts an in-flight node's call when the execution stops waiting for it (the agent is told to stop). */
  private readonly calls = new Map<string, AbortController>();
  /** In-flight nodes that wait on something outside (a person, a child execution): the run parks when only these are left. */
  private readonly waits: NodeWaits;
  /** Dispatches that wait for the commit of their node's start. */
  private readonly launches: { nodeId: string; attempt: number; input: JsonObject; delayMs: number }[] = [];
  private ending: Ending | undefined;
  private cancelled = false;
  private abandoned = false;
  /** The run ended by parking: its slot is free for another execution. */
  parked = false;
  private wake: (() => void) | undefined;
  private readonly deadline: number | undefined;
  /** The flow's maxTotalTokens, or less: a sub-flow's budget is what its parent had left. */
  private readonly maxTokens: number | undefined;

  constructor(
    private readonly deps: RunnerDeps,
    private readonly lease: Lease,
    private readonly execution: ExecutionRow,
    private readonly plan: FlowPlan,
    runs: NodeRunRow[],
    unpublished: EventRow[] = [],
  ) {
    this.state = execution.state;
    this.log = new RunEvents(deps, execution.id, execution.tenantId);
    for (const event of unpublished) this.log.add(event);
    this.writer = new StepWriter(deps.leases, lease, this.log, deps.clock, hasRedactGate(plan));
    this.ledger = new NodeLedger(runs, plan);
    this.waits = new NodeWaits(deps, execution, () => this.wake?.());
    const budget = plan.flow.scopes.maxExecutionTimeMs;
    const own = budget ? new Date(execution.createdAt).getTime() + budget : undefined;
    const carved = execution.deadlineAt ? new Date(execution.deadlineAt).getTime() : undefined;
    this.deadline = own === undefined ? carved : carved === undefined ? own : Math.min(own, carved);
    const tokens = plan.flow.scopes.maxTotalTokens;
    const carvedTokens = execution.tokenBudget === null ? undefined : Number(execution.tokenBudget);
    this.maxTokens = tokens === undefined ? carvedTokens : carvedTokens === undefined ? tokens : Math.min(tokens, carvedTokens);
    // A cancel requested while nobody held it (parked, or its replica died): ended by this holder, which releases its waits.
    if (execution.cancelRequested) this.cancelled = true;
  }

  /** The time budget the deadline stands for: the flow's, or (a sub-flow's) what its parent had left when it started. */
  private get budgetMs(): number | undefined {
    return this.plan.flow.scopes.maxExecutionTimeMs ?? (this.deadline === undefined ? undefined : this.deadline - new Date(this.execution.createdAt).getTime());
  }

  get id(): string {
    return this.execution.id;
  }

  /** The execution as the commit that settled it returned it. */
  get settledView(): ExecutionDetail | undefined {
    return this.writer.settledView;
  }

  /** Stop dispatching now; the execution ends CANCELLED. */
  cancel(): void {
    this.cancelled = true;
    this.wake?.();
  }

  /** Stop without writing anything more (the lease was lost, or the replica is shutting down). */
  abandon(): void {
    this.abandoned = true;
    this.wake?.();
  }

  async run(): Promise<ExecutionStateName> {
    try {
      // Nodes that were running when the last holder died are sent again, same attempt.
      for (const [nodeId, input] of this.ledger.resumed) this.launches.push({ nodeId, attempt: this.ledger.attemptOf(nodeId), input, delayMs: 0 });
      while (!this.abandoned) {
        if (this.cancelled) this.ending ??= { state: 'CANCELLED' };
        if (!this.ending) this.schedule();
        if (!this.ending && this.inFlight.size === 0 && this.launches.length === 0) this.ending = { state: this.ledger.waiting(this.plan) ? 'WAITING_INPUT' : 'DONE' };
        if (this.ending) return await this.finish(this.ending);
        if ((await this.commit()) === 'cancelled') continue;
        for (const l of this.launches.splice(0)) this.launch(l.nodeId, l.attempt, l.input, l.delayMs);
        if (this.parkable()) {
          if (await this.park()) return this.state;
          continue;
        }
        const outcome = await this.next();
        if (outcome) this.settle(outcome);
      }
      return this.state;
    } catch (err) {
      if (err instanceof SpineError && err.details['reason'] === 'lease_lost') {
        this.deps.logger.warn?.({ msg: 'execution.lease_lost', executionId: this.id });
        return this.state;
      }
      throw err;
    }
  }

  /** Skips what can no longer run, runs in-process nodes, and queues the start of every ready agent node. */
  private schedule(): void {
    for (let progressed = true; progressed && !this.ending; ) {
      progressed = false;
      for (const nodeId of this.ledger.progress.takeSkippable()) {
        this.skip(nodeId, 'upstream skipped');
        progressed = true;
      }
      // Running: dispatched, or about to be (a retry waiting for its backoff, a resumed node).
      const running = new Set([...this.inFlight.keys(), ...this.launches.map((l) => l.nodeId)]);
      const room = this.deps.config.NODE_PARALLELISM - running.size;
      const ready = this.ledger.progress.takeReady(Math.max(room, 0), running);
      for (const nodeId of ready) {
        progressed = this.start(nodeId) || progressed;
        if (this.ending) return;
      }
    }
  }

  /** Starts one ready node; true when it settled at once (skipped or in-process), which may make others ready. */
  private start(nodeId: string): boolean {
    const node = this.plan.node(nodeId);
    const evaluation = this.ledger.evaluation(this.execution, this.plan, nodeId);
    let input: JsonObject;
    try {
      if (!this.plan.evaluateCondition(nodeId, evaluation)) {
        this.skip(nodeId, 'condition is false');
        return true;
      }
      input = this.plan.evaluateInputs(nodeId, evaluation);
      checkScope(this.plan.flow.scopes, this.plan.node(nodeId));
    } catch (err) {
      this.fail(nodeId, SpineError.from(err), 1);
      return false;
    }
    if (node.kind !== 'agent' && node.kind !== 'human' && node.kind !== 'flow') {
      let output: JsonObject;
      const gate = node.kind === 'deterministic';
      try {
        const own = gate ? gateInput(input) : input;
        output = this.plan.runInProcess(nodeId, own, evaluation);
        if (gate) output = actOnGate(node, own, output, this.ledger.outputs);
      } catch (err) {
        this.fail(nodeId, SpineError.from(err), 1);
        return false;
      }
      if (gate && escalates(output)) {
        // The gate waits for a person; its (redacted) result is the node run's input, so a resumed run finds it.
        const attempt = this.recordStart(nodeId, output);
        this.writer.write([{ op: 'event', type: 'human_task_opened', payload: openedEvent(this.id, nodeId, escalationConfig(node)) }], nodeId);
        this.launches.push({ nodeId, attempt, input: output, delayMs: 0 });
        return false;
      }
      const attempt = this.recordStart(nodeId, gate ? (output['input'] as JsonObject) : input);
      this.settle({ nodeId, attempt, ok: true, output, usage: null, tokens: 0, startedAt: this.deps.clock.nowMs() });
      return true;
    }
    const attempt = this.recordStart(nodeId, input);
    if (node.kind === 'human') this.writer.write([{ op: 'event', type: 'human_task_opened', payload: openedEvent(this.id, nodeId, node.config) }], nodeId);
    this.launches.push({ nodeId, attempt, input, delayMs: 0 });
    return false;
  }

  private recordStart(nodeId: string, input: JsonObject): number {
    const attempt = this.ledger.start(nodeId, input);
    const agent = this.plan.node(nodeId).agent ?? '';
    this.writer.write([{ op: 'start', node: nodeId, input: input as Json }, { op: 'event', type: 'node_started', payload: { nodeId, agent, attempt } }], nodeId);
    this.advance(nextState(this.state, this.plan.node(nodeId).agent, 'start'));
    return attempt;
  }

  /** Sends the node to its agent (after `delayMs`, for a retry); the outcome is picked up by `next()`. */
  private launch(nodeId: string, attempt: number, input: JsonObject, delayMs: number): void {
    const node = this.plan.node(nodeId);
    if (node.kind === 'human') return this.askPerson(nodeId, attempt, input, node.config, (decided) => decided);
    if (node.kind === 'flow') return this.runChild(nodeId, attempt, input);
    // A deterministic node runs in-process; it is only ever launched as a gate that escalated to a person.
    if (node.kind === 'deterministic') return this.askPerson(nodeId, attempt, input, escalationConfig(node), (decided) => afterEscalation(input, decided, node.defaultAction));
    const request = {
      agent: node.agent!,
      executionId: this.id,
      nodeId,
      tenantId: this.execution.tenantId,
      attempt,
      input,
      context: agentContext(this.execution, this.plan, nodeId, this.ledger.redactsFor(this.plan, nodeId)),
      model: node.model ?? '',
      scope: scopeMessage(this.plan.flow.scopes),
      ...(node.type === 'tool' && node.tools[0] ? { tool: node.tools[0] } : {}),
    };
    const timing = { delayMs, nodeTimeoutMs: node.timeoutMs ?? this.deps.config.NODE_TIMEOUT_MS, flowDeadline: this.deadline, budgetMs: this.budgetMs };
    const call = new AbortController();
    this.calls.set(nodeId, call);
    this.inFlight.set(nodeId, runAttempt(this.deps.dispatcher, { ...request, signal: call.signal }, timing, this.deps.clock));
  }

  /** A human node (or an escalated gate): its task waits in the inbox while other branches run on. */
  private askPerson(nodeId: string, attempt: number, input: JsonObject, config: JsonObject, outputOf: (decided: JsonObject) => JsonObject): void {
    const note = (type: string, payload: Json) => {
      this.writer.write([{ op: 'event', type, payload }]);
      this.wake?.(); // committed (and published) now, not when some other node settles
    };
    this.inFlight.set(nodeId, this.waits.person({ nodeId, attempt, input, config, outputOf, signal: this.callOf(nodeId), note }));
  }

  /** A `flow` node: its child execution runs with what is left of this one's budget; the node settles when the child does. */
  private runChild(nodeId: string, attempt: number, input: JsonObject): void {
    const tokenBudget = this.maxTokens === undefined ? null : Math.max(0, this.maxTokens - this.ledger.tokens);
    const subflow = this.plan.node(nodeId).subflow!;
    this.inFlight.set(nodeId, this.waits.child({ nodeId, attempt, input, subflow, tokenBudget, deadlineMs: this.deadline ?? null, signal: this.callOf(nodeId) }));
  }

  private callOf(nodeId: string): AbortSignal {
    const call = new AbortController();
    this.calls.set(nodeId, call);
    return call.signal;
  }

  /** Only armed waits are in flight (people, children) and nothing is left to write: the run may give its slot back. */
  private parkable(): boolean {
    return !this.cancelled && !this.ending && this.inFlight.size > 0 && !this.writer.pending && this.waits.onlyArmed(this.inFlight.keys());
  }

  /**
   * Gives the lease and the executor slot back while the execution only waits: the waits stop without closing their
   * tasks or cancelling their children, and the execution is claimed again once one of them settles (a trigger
   * unparks it). True when the run is over on this replica; false when it goes on (a wait settled meanwhile, or a
   * cancel came), the stopped waits then resumed where they were.
   */
  private async park(): Promise<boolean> {
    this.waits.stopForPark(this.calls);
    const outcomes = await Promise.all(this.inFlight.values());
    this.inFlight.clear();
    this.calls.clear();
    this.waits.clear();
    const settled = NodeWaits.settledDuringPark(outcomes);
    const waiting = outcomes.filter((o) => !settled.includes(o)).map((o) => o.nodeId);
    if (settled.length === 0) {
      const parked = await this.deps.leases.park(this.lease);
      if (parked === 'lost') this.abandoned = true;
      if (parked === 'parked') {
        this.parked = true;
        this.deps.logger.log?.({ msg: 'execution.parked', executionId: this.id, waiting });
        // Settled before the park committed: the triggers did not see it, this does.
        if (await this.deps.leases.unparkIfSettled(this.id, waiting)) this.deps.wakeReplicas();
      }
      if (parked !== 'cancelled') return true;
      this.cancelled = true;
    }
    for (const nodeId of waiting) this.launches.push({ nodeId, attempt: this.ledger.attemptOf(nodeId), input: this.ledger.inputOf(nodeId), delayMs: 0 });
    for (const outcome of settled) this.settle(outcome);
    return false;
  }

  /** The first node run to finish, or undefined when woken by a cancel. */
  private async next(): Promise<Outcome | undefined> {
    const woken = new Promise<undefined>((resolve) => (this.wake = () => resolve(undefined)));
    const outcome = await Promise.race([...this.inFlight.values(), woken]);
    this.wake = undefined;
    if (outcome) {
      this.inFlight.delete(outcome.nodeId);
      this.calls.delete(outcome.nodeId);
      this.waits.settled(outcome.nodeId);
    }
    return outcome;
  }

  private settle(outcome: Outcome): void {
    const node = this.plan.node(outcome.nodeId);
    const durationMs = this.deps.clock.nowMs() - outcome.startedAt;
    if (!outcome.ok) {
      // Tokens a failed attempt spent count like any others (an llm node's repair before SCHEMA_VIOLATION).
      this.ledger.spend(outcome.tokens ?? 0);
      const usage = (outcome.usage ?? null) as Json;
      const policy = backoffOf(node.retry, { maxAttempts: this.deps.config.NODE_MAX_ATTEMPTS, initialMs: this.deps.config.RETRY_INITIAL_MS, maxMs: this.deps.config.RETRY_MAX_MS });
      const retry = outcome.error.retryable && outcome.attempt < policy.maxAttempts && !this.cancelled && !this.overBudget();
      if (!retry) {
        this.fail(outcome.nodeId, outcome.error, outcome.attempt, usage);
        this.checkBudget(outcome.nodeId);
        return;
      }
      const { nodeId, attempt, error } = outcome;
      this.writer.write([{ op: 'event', type: 'node_failed', payload: { nodeId, attempt, willRetry: true, error: errorJson(error), usage } }]);
      const input = this.ledger.inputOf(nodeId);
      this.launches.push({ nodeId, attempt: this.recordStart(nodeId, input), input, delayMs: retryDelayMs(policy, attempt) });
      return;
    }
    const { nodeId, output, usage } = outcome;
    this.ledger.succeed(nodeId, output, outcome.tokens);
    this.writer.write([
      { op: 'finish', node: nodeId, state: 'succeeded', output: output as Json, usage: usage as Json },
      { op: 'event', type: 'node_completed', payload: { nodeId, output: output as Json, usage: usage as Json, durationMs } },
    ]);
    this.advance(nextState(this.state, node.agent, 'success'));
    this.checkBudget(nodeId);
  }

  private overBudget(): boolean {
    const max = this.maxTokens;
    return max !== undefined && this.ledger.tokens > max;
  }

  /** Over maxTotalTokens: the execution ends BUDGET_EXCEEDED (unless it already ends for another reason, e.g. the node's own failure). */
  private checkBudget(nodeId: string): void {
    if (!this.overBudget()) return;
    const used = this.ledger.tokens;
    const max = this.maxTokens!;
    this.ending ??= {
      state: 'FAILED',
      nodeId,
      error: new SpineError(ErrorCode.BUDGET_EXCEEDED, `the flow used ${used} tokens, over maxTotalTokens (${max})`, { reason: 'token_budget', usedTokens: String(used) }, false),
    };
  }

  private skip(nodeId: string, reason: string): void {
    this.ledger.skip(nodeId);
    this.writer.write([{ op: 'finish', node: nodeId, state: 'skipped' }, { op: 'event', type: 'node_skipped', payload: { nodeId, reason } }]);
  }

  private fail(nodeId: string, error: SpineError, attempt: number, usage: Json = null): void {
    this.writer.write([
      { op: 'finish', node: nodeId, state: 'failed', error: errorJson(error), ...(usage ? { usage } : {}) },
      { op: 'event', type: 'node_failed', payload: { nodeId, attempt, willRetry: false, error: errorJson(error), ...(usage ? { usage } : {}) } },
    ]);
    this.ending ??= { state: 'FAILED', error, nodeId };
  }

  private advance(to: ExecutionStateName | undefined): void {
    if (!to) return;
    const from = this.state;
    this.state = to;
    this.writer.write([{ op: 'state', from, to }]);
  }

  /** Commits queued writes in one fenced step (unless a cancel was requested), then publishes their events. */
  private async commit(): Promise<'ok' | 'cancelled'> {
    if (!this.writer.pending) return 'ok';
    const applied = await this.writer.commit(this.writer.take(), !this.ending);
    if (!applied) {
      this.cancelled = true;
      return 'cancelled';
    }
    return 'ok';
  }

  private async finish(ending: Ending): Promise<ExecutionStateName> {
    const from = this.state;
    const error = ending.state === 'FAILED' ? errorJson(ending.error, ending.nodeId) : null;
    // No PERSISTED_EVENT on the way to DONE: the audit row is written later, by the event-logger, so stamping it here
    // (in the same commit as DONE) would claim what has not happened. The audit trail says what is persisted.
    const steps: ExecutionStateName[] = [ending.state];
    // Starts not yet committed never happen; nodes still running are abandoned.
    const launching = new Set(this.launches.splice(0).map((l) => l.nodeId));
    const ops = this.writer.take(launching);
    const abandoned = new SpineError(ErrorCode.CANCELLED, `abandoned: the execution ended ${ending.state}`, {}, false);
    for (const nodeId of this.inFlight.keys()) ops.push({ op: 'finish', node: nodeId, state: 'failed', error: errorJson(abandoned) });
    const calls = [...this.calls.values()];
    this.inFlight.clear();
    this.calls.clear();
    this.waits.clear();
    const reply = this.ledger.replyText(this.plan);
    if (reply !== undefined && this.execution.conversationId) ops.push({ op: 'reply', conversation: this.execution.conversationId, text: reply });
    const memory = ending.state === 'DONE' ? memoryOf(this.plan, this.execution) : undefined;
    steps.forEach((to, i) => ops.push({ op: 'state', from: i === 0 ? from : steps[i - 1]!, to, ...(error ? { error } : {}), ...(memory ? { memory } : {}) }));
    await this.writer.commit(ops, false);
    // Once that is committed, agents stop the abandoned nodes' work, and a retry waiting for its backoff is never sent.
    for (const call of calls) call.abort(abandoned);
    // Waits resumed (or started) but never launched: nobody waits on their tasks or children, so release them here.
    for (const nodeId of launching) this.waits.release(this.plan.node(nodeId));
    this.state = steps[steps.length - 1]!;
    // Publishing finishes in the background; the sweeper completes it if this replica dies first.
    void this.log.drain(true).catch(backgroundFailure(this.deps.logger, 'events.drain', { executionId: this.id }));
    return this.state;
  }
}
