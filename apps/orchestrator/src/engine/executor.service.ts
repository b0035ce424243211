import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SpineError, subjects } from '@spine/contracts';
import type { SqlRunner } from '@spine/persistence';
import { NATS_CONNECTION } from '@spine/messaging';
import { Clock } from '../core/clock.js';
import type { ExecutionDetail, ExecutionRow, ExecutionStateName, Json, Lease, NodeRunRow } from '../store/execution.model.js';
import { ExecutionsRepository } from '../store/executions.repository.js';
import { LeasesRepository } from '../store/leases.repository.js';
import { FlowsService } from '../flows/flows.service.js';
import { ORCHESTRATOR_CONFIG, replicaIdOf, type OrchestratorConfig } from '../orchestrator.config.js';
import { HumanWaits } from '../inbox/human-waits.js';
import { SubflowRuns } from '../subflows/subflow-runs.js';
import { AgentDispatcher } from './dispatch/agent-dispatcher.js';
import { EventPublisher } from './outbox/event-publisher.js';
import { ExecutionRunner, type RunnerDeps } from './run/execution-runner.js';
import { backgroundFailure, reportBackgroundError } from '@spine/observability';

export interface StartExecution {
  tenantId: string;
  flowId: string;
  /** The latest when undefined. */
  flowVersion?: number;
  input: Json;
  conversationId?: string;
}

function throwNoFlow(e: StartExecution): never {
  throw SpineError.notFound(e.flowVersion === undefined ? `no flow '${e.flowId}'` : `flow '${e.flowId}' has no version ${e.flowVersion}`);
}

/** An execution this replica holds; cancel and abandon reach the runner once it is built. */
class Held {
  runner: ExecutionRunner | undefined;
  done: Promise<ExecutionStateName> = Promise.resolve('RECEIVED');
  private cancelled = false;
  private abandoned = false;

  constructor(readonly lease: Lease) {}

  attach(runner: ExecutionRunner): ExecutionRunner {
    this.runner = runner;
    if (this.cancelled) runner.cancel();
    if (this.abandoned) runner.abandon();
    return runner;
  }

  cancel(): void {
    this.cancelled = true;
    this.runner?.cancel();
  }

  abandon(): void {
    this.abandoned = true;
    this.runner?.abandon();
  }
}

/**
 * The executor of one replica: starts new executions at once (born claimed), claims runnable ones nobody holds
 * (a dead replica's) on wake-ups and on a timer, renews its leases, and passes cancels to the runner that holds
 * the execution. Replicas coordinate only through Postgres leases; NATS messages are hints.
 */
@Injectable()
export class ExecutorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExecutorService.name);
  readonly replica: string;
  private readonly runners = new Map<string, Held>();
  private readonly subscriptions: Subscription[] = [];
  private timers: NodeJS.Timeout[] = [];
  private stopping = false;
  private claiming: Promise<void> | undefined;
  private readonly deps: RunnerDeps;

  constructor(
    private readonly executions: ExecutionsRepository,
    private readonly leases: LeasesRepository,
    private readonly flows: FlowsService,
    dispatcher: AgentDispatcher,
    private readonly publisher: EventPublisher,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    clock: Clock,
    humans: HumanWaits,
    subflows: SubflowRuns,
  ) {
    this.replica = replicaIdOf(config);
    this.deps = { leases, dispatcher, publisher, config, logger: this.logger, clock, humans, subflows, wakeReplicas: () => this.wake() };
  }

  onApplicationBootstrap(): void {
    this.subscriptions.push(
      this.nc.subscribe(subjects.orchestratorWork, { callback: () => void this.claim() }),
      this.nc.subscribe(subjects.orchestratorCancel, { callback: (_, msg) => this.runners.get(msg.string())?.cancel() }),
      // A task decided or expired may have unparked its execution (migration 1765200000000's trigger): claim it now.
      this.nc.subscribe(subjects.orchestratorInbox, { callback: () => void this.claim() }),
    );
    this.timers = [
      setInterval(() => void this.claim(), this.config.CLAIM_INTERVAL_MS),
      setInterval(() => void this.renew(), Math.max(100, Math.floor(this.config.LEASE_MS / 3))),
      setInterval(() => void this.publisher.sweep().catch(backgroundFailure(this.logger, 'outbox.sweep')), 5_000),
    ];
    void this.claim();
  }

  /** Stops claiming, gives every held execution back (another replica resumes it at once), then returns. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    for (const s of this.subscriptions) s.unsubscribe();
    await this.claiming;
    const held = [...this.runners.values()];
    for (const h of held) h.abandon();
    await Promise.allSettled(held.map((h) => h.done));
    await Promise.allSettled(held.map((h) => this.leases.release(h.lease)));
  }

  /** Creates the execution claimed by this replica and starts it; RECEIVED is committed before this returns. */
  async start(e: StartExecution, extra?: (tx: SqlRunner, row: ExecutionRow) => Promise<void>): Promise<ExecutionRow> {
    const owner = { replica: this.replica, leaseMs: this.config.LEASE_MS };
    // Alone, the insert is one atomic statement; with more to store (the conversation's message), one transaction.
    const row = (await this.executions.createWith(e, owner, extra)) ?? throwNoFlow(e);
    const lease = { executionId: row.id, owner: this.replica, token: row.fencingToken };
    if (this.stopping || this.runners.size >= this.config.EXECUTOR_CONCURRENCY) {
      await this.leases.release(lease); // another replica (or this one, later) picks it up
      this.nc.publish(subjects.orchestratorWork);
    } else {
      void this.run(lease, row);
    }
    return row;
  }

  /**
   * Resolves once this replica is done with the execution: with the execution as the commit that settled it
   * returned it, or undefined (it stopped otherwise: lease lost, shutdown). Undefined when it does not hold it.
   */
  finished(executionId: string): Promise<ExecutionDetail | undefined> | undefined {
    const held = this.runners.get(executionId);
    return held?.done.then(() => held.runner?.settledView);
  }

  /** Tells every replica that an execution may be claimable (it was unparked, or a child was created or ended). */
  wake(): void {
    this.nc.publish(subjects.orchestratorWork);
  }

  /** Asks whoever holds the execution to cancel it (the request is already committed). */
  signalCancel(executionId: string): void {
    this.runners.get(executionId)?.cancel();
    this.nc.publish(subjects.orchestratorCancel, executionId);
  }

  private claim(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return (this.claiming ??= this.claimOnce()
      .catch((err: unknown) => this.logger.warn({ msg: 'executor.claim_failed', err }))
      .finally(() => (this.claiming = undefined)));
  }

  private async claimOnce(): Promise<void> {
    const room = this.config.EXECUTOR_CONCURRENCY - this.runners.size;
    if (room <= 0) return;
    for (const lease of await this.leases.claim(this.replica, this.config.LEASE_MS, room)) {
      const claimed = await this.executions.detail(lease.executionId);
      if (claimed) void this.run(lease, claimed, claimed.nodes);
    }
  }

  private async renew(): Promise<void> {
    for (const h of [...this.runners.values()]) {
      // A failed renewal (a database blip) keeps the run: the lease outlives a few missed renewals.
      const still = await this.leases.renew(h.lease, this.config.LEASE_MS).catch((err: unknown) => {
        reportBackgroundError(this.logger, 'lease.renew', err, { executionId: h.lease.executionId });
        return true;
      });
      if (!still) h.abandon();
    }
  }

  /** Runs an execution this replica holds: a new one (no node runs yet), or a claimed one from what was committed. */
  private run(lease: Lease, row: ExecutionRow, runs: NodeRunRow[] = []): Promise<ExecutionStateName> {
    const held = new Held(lease);
    this.runners.set(row.id, held);
    held.done = (async () => {
      const plan = await this.flows.plan(row.tenantId, row.flowId, row.flowVersion);
      const fresh = row.fencingToken === '1' && row.state === 'RECEIVED';
      // Events not yet on JetStream go out first: the first one (RECEIVED) of a new execution, or whatever the
      // replica that held it before did not publish (JetStream drops repeats by message id).
      const unpublished = fresh
        ? [{ seq: 1, type: 'state_changed', payload: { previous: null, current: 'RECEIVED' }, at: row.createdAt }]
        : await this.executions.eventsAfter(row.tenantId, row.id, row.eventsPublished, 10_000);
      return held.attach(new ExecutionRunner(this.deps, lease, row, plan, runs, unpublished)).run();
    })()
      .catch((err: unknown) => {
        this.logger.error({ msg: 'executor.run_failed', executionId: row.id, err });
        return row.state;
      })
      .finally(() => {
        this.runners.delete(row.id);
        // A child that settled has unparked its parent (a trigger); a run that parked freed a slot for another execution.
        if (row.parentExecutionId) this.wake();
        if (held.runner?.parked) void this.claim();
      });
    return held.done;
  }
}
