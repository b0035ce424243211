import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ErrorCode, SpineError, subjects } from '@spine/contracts';
import { HUMAN_DECISIONS } from '@spine/flow';
import { NATS_CONNECTION } from '@spine/messaging';
import { backgroundFailure } from '@spine/observability';
import { createHash } from 'node:crypto';
import { addAbortListener } from 'node:events';
import { isParked } from '../core/parking.js';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import type { Json } from '../store/execution.model.js';
import type { HumanDecision, HumanTask, OpenTask } from './human-task.model.js';
import { HumanTasksRepository } from './human-tasks.repository.js';

/** One human node run, as the engine hands it over. */
export interface HumanRun {
  tenantId: string;
  executionId: string;
  flowId: string;
  nodeId: string;
  input: JsonObject;
  /** The node's settings: prompt, decisions, editSchema, assigneeRole, deadlineMs, defaultAction. */
  config: JsonObject;
  signal: AbortSignal;
  /** Called once the task is open and was found undecided: from then on the run may park (stop waiting here). */
  armed(): void;
  /** Writes an event on the execution's log (committed by the run's next step). */
  note(type: 'human_task_decided' | 'human_task_expired', payload: Json): void;
}

const isDecision = (v: JsonValue | undefined): v is HumanDecision => typeof v === 'string' && (HUMAN_DECISIONS as readonly string[]).includes(v);

/** The task's id from its execution and node: a resumed run finds the task it opened before. */
export function humanTaskId(executionId: string, nodeId: string): string {
  const h = createHash('sha256').update(`${executionId}\u0000${nodeId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function taskOf(r: HumanRun): OpenTask {
  const c = r.config;
  const decisions = Array.isArray(c['decisions']) ? c['decisions'].filter(isDecision) : [...HUMAN_DECISIONS];
  const deadline = c['deadlineMs'];
  return {
    id: humanTaskId(r.executionId, r.nodeId),
    tenantId: r.tenantId,
    executionId: r.executionId,
    nodeId: r.nodeId,
    flowId: r.flowId,
    prompt: typeof c['prompt'] === 'string' ? c['prompt'] : `Review the output of '${r.nodeId}'`,
    data: r.input as Json,
    decisions: decisions.length > 0 ? decisions : [...HUMAN_DECISIONS],
    editSchema: c['editSchema'] && typeof c['editSchema'] === 'object' ? (c['editSchema'] as Json) : null,
    assigneeRole: typeof c['assigneeRole'] === 'string' ? c['assigneeRole'] : 'reviewer',
    deadlineMs: typeof deadline === 'number' && deadline > 0 ? deadline : null,
    defaultAction: isDecision(c['defaultAction']) ? c['defaultAction'] : 'reject',
  };
}

/**
 * The `human_task_opened` event, committed with the node's start (before the task row is inserted): a replica that
 * dies in between leaves the event, and the next holder opens the same task (its id is the execution's and node's).
 */
export function openedEvent(executionId: string, nodeId: string, config: JsonObject): Json {
  const t = taskOf({ tenantId: '', executionId, flowId: '', nodeId, input: {}, config, signal: AbortSignal.abort(), armed: () => undefined, note: () => undefined });
  return { taskId: t.id, nodeId, prompt: t.prompt, assigneeRole: t.assigneeRole, decisions: t.decisions, deadlineMs: t.deadlineMs, defaultAction: t.defaultAction };
}

/** The node's output once a person (or the deadline) decided. */
function outputOf(task: HumanTask): JsonObject {
  return {
    taskId: task.id,
    decision: task.decision ?? task.defaultAction,
    data: (task.decidedData ?? task.data) as JsonValue,
    comment: task.comment ?? '',
    decidedBy: task.decidedBy ?? '',
    expired: task.state === 'expired',
  };
}

/**
 * Human nodes on this replica: opens each node's task and waits until it is decided, expired or closed. A decision
 * is durable in Postgres; NATS hints (spine.orchestrator.inbox) wake the waiter at once, and a sweep every
 * INBOX_SWEEP_MS both expires due tasks (on whichever replica gets there first) and looks at the waited tasks, so a
 * lost hint only delays. A replica that dies while waiting loses its lease; the next holder waits on the same task.
 */
@Injectable()
export class HumanWaits implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HumanWaits.name);
  private readonly waiters = new Map<string, (task: HumanTask) => void>();
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tasks: HumanTasksRepository,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.nc.subscribe(subjects.orchestratorInbox, { callback: (_, msg) => void this.look([msg.string()]).catch(backgroundFailure(this.logger, 'inbox.look')) });
    this.timer = setInterval(() => void this.sweep().catch(backgroundFailure(this.logger, 'inbox.sweep')), this.config.INBOX_SWEEP_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.subscription?.unsubscribe();
  }

  /** Tells every replica that a task changed (the one waiting on it looks). */
  hint(taskId: string): void {
    this.nc.publish(subjects.orchestratorInbox, taskId);
  }

  /** Closes the node's task if still open: its execution ended while parked, so no waiter holds it. */
  async release(executionId: string, nodeId: string): Promise<void> {
    await this.tasks.close(humanTaskId(executionId, nodeId));
  }

  /** Opens the node's task (or finds it) and resolves with the node's output once it is decided or expired. */
  async run(r: HumanRun): Promise<JsonObject> {
    const { task } = await this.tasks.open(taskOf(r));
    const settled = task.state === 'open' ? await this.waitFor(task.id, r.signal, r.armed) : task;
    if (settled.state === 'closed') throw new SpineError(ErrorCode.CANCELLED, `human task ${settled.id} was closed`, { taskId: settled.id }, false);
    const output = outputOf(settled);
    r.note(settled.state === 'expired' ? 'human_task_expired' : 'human_task_decided', { taskId: settled.id, nodeId: r.nodeId, decision: output['decision'] as Json, decidedBy: output['decidedBy'] as Json });
    return output;
  }

  private waitFor(id: string, signal: AbortSignal, armed: () => void): Promise<HumanTask> {
    return new Promise<HumanTask>((resolve, reject) => {
      const stop = addAbortListener(signal, () => {
        this.waiters.delete(id);
        // The execution stopped waiting (cancelled, failed elsewhere, ended): nobody may decide the task any more.
        // Parked, it only gave its slot back: the task stays open and a decision wakes it.
        if (!isParked(signal.reason)) void this.tasks.close(id).catch(backgroundFailure(this.logger, 'inbox.close', { taskId: id }));
        reject(SpineError.from(signal.reason));
      });
      this.waiters.set(id, (task) => {
        stop[Symbol.dispose]();
        this.waiters.delete(id);
        resolve(task);
      });
      // Decided between the open and now (another replica, a fast reviewer): the next sweep would see it, this sees it now.
      // Only after this look may the run park: a park that stopped the wait before it looked would never see the decision.
      void this.look([id])
        .then(() => this.waiters.has(id) && armed())
        .catch(backgroundFailure(this.logger, 'inbox.look'));
    });
  }

  private async look(ids: readonly string[]): Promise<void> {
    const waited = ids.filter((id) => this.waiters.has(id));
    if (waited.length === 0) return;
    for (const task of await this.tasks.settled(waited)) this.waiters.get(task.id)?.(task);
  }

  private async sweep(): Promise<void> {
    for (const task of await this.tasks.expireDue(100)) {
      this.logger.log({ msg: 'inbox.expired', taskId: task.id, executionId: task.executionId, decision: task.decision });
      this.hint(task.id);
    }
    await this.look([...this.waiters.keys()]);
  }
}
