import { TaskState, type Artifact, type Task } from '@a2a-js/sdk';
import { AgentEvent, type AgentExecutor, type ExecutionEventBus, type RequestContext } from '@a2a-js/sdk/server';
import type { FlowVersionView } from '../flows/flows.service.js';
import { ErrorCode, SpineError } from '@spine/contracts';
import type { Principal } from '../auth/principal.js';
import type { FeedPosition } from '../executions/execution-feed.js';
import { agentMessage, EXECUTION_METADATA, humanInputMessage, textPart } from './a2a.mapper.js';
import type { A2aService } from './a2a.service.js';
import type { RecentTasks } from './flow-task.store.js';

/** The SDK's user of a call: the principal the API key was admitted as. */
export interface SpineUser {
  isAuthenticated: boolean;
  userName: string;
  principal: Principal | undefined;
}

/** Events on the execution log that show as a `working` status update (the event in the update's metadata). */
const PROGRESS_EVENTS = new Set(['state_changed', 'node_started', 'node_completed', 'node_failed', 'node_skipped', 'human_task_decided', 'human_task_expired']);
/** What of an event's payload a status update carries (not outputs or inputs: GetTask and the result artifact have those). */
const PROGRESS_FIELDS = ['nodeId', 'agent', 'attempt', 'willRetry', 'previous', 'current', 'reason', 'taskId', 'decision'];

function progressOf(type: string, payload: unknown): Record<string, unknown> {
  const p = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
  return { event: type, ...Object.fromEntries(PROGRESS_FIELDS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]])) };
}

/** Why a follow-up message is not taken while the task stays as it was (anything else fails the call). */
const NOT_TAKEN = new Set<ErrorCode>([ErrorCode.INVALID_ARGUMENT, ErrorCode.PERMISSION_DENIED, ErrorCode.FAILED_PRECONDITION, ErrorCode.ALREADY_EXISTS]);

interface Run {
  taskId: string;
  contextId: string;
  executionId: string;
  bus: ExecutionEventBus;
}

/**
 * Runs a flow for an A2A `SendMessage` / `SendStreamingMessage`: the message becomes the flow's input and the
 * execution's id the task's id. While the execution runs, its reply tokens go out as chunks of the `reply` artifact and
 * its progress (node events, progress chunks) as `working` status updates; the settled execution becomes the task's
 * result artifact and final status. A human node waiting in the inbox makes the task `input-required`; so does a
 * conversation flow's question. A follow-up message on such a task answers the question (the conversation's next
 * execution, same task) or decides the inbox task.
 */
export class FlowAgentExecutor implements AgentExecutor {
  constructor(
    private readonly a2a: A2aService,
    private readonly tenantId: string,
    private readonly flow: FlowVersionView,
    private readonly recent: RecentTasks,
  ) {}

  async execute(ctx: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const principal = (ctx.context.user as SpineUser | undefined)?.principal;
    if (principal?.tenantId !== this.tenantId) throw new SpineError(ErrorCode.UNAUTHENTICATED, 'no API key admitted this call');
    if (ctx.task) return this.followUp(principal, ctx.task, ctx, bus);
    const contextId = ctx.contextId;
    const { id } = await this.a2a.start(principal, this.flow, contextId, ctx.userMessage);
    const userMessage = { ...ctx.userMessage, taskId: id, contextId };
    bus.publish(
      AgentEvent.task({
        id,
        contextId,
        status: { state: TaskState.TASK_STATE_WORKING, message: undefined, timestamp: this.now() },
        artifacts: [],
        history: [userMessage],
        metadata: { [EXECUTION_METADATA]: { executionId: id, flowId: this.flow.id, flowVersion: this.flow.version } },
      }),
    );
    await this.run({ taskId: id, contextId, executionId: id, bus }, { events: 0, chunks: 0 });
  }

  /** A message on an existing (non-terminal) task; one the task cannot take leaves it as it was, saying why. */
  private async followUp(principal: Principal, task: Task, ctx: RequestContext, bus: ExecutionEventBus): Promise<void> {
    let next: Awaited<ReturnType<A2aService['followUp']>>;
    try {
      next = await this.a2a.followUp(principal, this.flow, task.id, ctx.userMessage);
    } catch (err) {
      if (!(err instanceof SpineError) || !NOT_TAKEN.has(err.code)) throw err;
      const now = (await this.a2a.view(this.tenantId, this.flow, task.id)) ?? task;
      const status = { state: now.status?.state ?? TaskState.TASK_STATE_WORKING, message: agentMessage([textPart(`Not taken: ${err.message}`)], task.id, task.contextId), timestamp: this.now() };
      // A stream starts with the task (the SDK's client requires it), then says why the message was not taken.
      bus.publish(AgentEvent.task({ ...task, status: now.status, artifacts: now.artifacts }));
      bus.publish(AgentEvent.statusUpdate({ taskId: task.id, contextId: task.contextId, status, metadata: { [EXECUTION_METADATA]: { refused: err.code } } }));
      return;
    }
    const working = { state: TaskState.TASK_STATE_WORKING, message: undefined, timestamp: this.now() };
    bus.publish(AgentEvent.task({ ...task, contextId: next.contextId, status: working, metadata: { ...task.metadata, [EXECUTION_METADATA]: { executionId: next.executionId, flowId: this.flow.id, flowVersion: this.flow.version } } }));
    const from = next.decided ? await this.a2a.positionOf(this.tenantId, next.executionId) : { events: 0, chunks: 0 };
    await this.run({ taskId: task.id, contextId: next.contextId, executionId: next.executionId, bus }, from);
  }

  /** Follows the execution until it settles, waits on a person, or A2A_WAIT_MS passes; then publishes where it is. */
  private async run(r: Run, from: FeedPosition): Promise<void> {
    this.recent.running(this.tenantId, r.taskId, true);
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), this.a2a.waitMs);
    try {
      let replyChunks = 0;
      for await (const item of this.a2a.follow(this.tenantId, r.executionId, from, stop.signal)) {
        if (item.kind === 'chunk' && item.chunkKind === 'token') {
          const artifact: Artifact = { artifactId: `${r.taskId}:reply`, name: 'reply', description: 'The reply, as it is written', parts: [textPart(item.text)], metadata: undefined, extensions: [] };
          r.bus.publish(AgentEvent.artifactUpdate({ taskId: r.taskId, contextId: r.contextId, artifact, append: replyChunks++ > 0, lastChunk: item.final, metadata: undefined }));
        } else if (item.kind === 'chunk' && item.chunkKind === 'progress') {
          this.working(r, { progress: item.text }, item.text);
        } else if (item.kind === 'event' && item.type === 'human_task_opened') {
          if (await this.waitsOnPerson(r, item.payload)) return;
        } else if (item.kind === 'event' && PROGRESS_EVENTS.has(item.type)) {
          this.working(r, progressOf(item.type, item.payload));
        }
      }
      const execution = await this.a2a.execution(this.tenantId, this.flow.id, r.executionId);
      if (!execution) throw SpineError.notFound(`no execution '${r.executionId}'`);
      const task = await this.a2a.taskFor(this.tenantId, this.flow, execution, r.taskId, r.contextId);
      for (const artifact of task.artifacts) {
        r.bus.publish(AgentEvent.artifactUpdate({ taskId: r.taskId, contextId: r.contextId, artifact, append: false, lastChunk: true, metadata: undefined }));
      }
      r.bus.publish(AgentEvent.statusUpdate({ taskId: r.taskId, contextId: r.contextId, status: task.status, metadata: task.metadata }));
    } finally {
      clearTimeout(timer);
      stop.abort();
      this.recent.running(this.tenantId, r.taskId, false);
    }
  }

  /**
   * A human node opened an inbox task: the A2A task becomes `input-required` with the task's prompt (true), unless
   * the task is already decided (a follow-up replaying the log), when the run goes on (false).
   */
  private async waitsOnPerson(r: Run, payload: unknown): Promise<boolean> {
    const opened = (payload ?? {}) as { taskId?: string; prompt?: string; decisions?: string[] };
    if (!opened.taskId) return false;
    const row = await this.a2a.humanTask(this.tenantId, opened.taskId);
    if (row && row.state !== 'open') return false;
    const message = humanInputMessage(row ?? { id: opened.taskId, prompt: opened.prompt ?? '', decisions: opened.decisions ?? [] }, r.taskId, r.contextId);
    r.bus.publish(AgentEvent.statusUpdate({ taskId: r.taskId, contextId: r.contextId, status: { state: TaskState.TASK_STATE_INPUT_REQUIRED, message, timestamp: this.now() }, metadata: { [EXECUTION_METADATA]: { executionId: r.executionId, inboxTaskId: opened.taskId } } }));
    return true;
  }

  private working(r: Run, detail: Record<string, unknown>, text?: string): void {
    const message = text ? agentMessage([textPart(text)], r.taskId, r.contextId) : undefined;
    r.bus.publish(AgentEvent.statusUpdate({ taskId: r.taskId, contextId: r.contextId, status: { state: TaskState.TASK_STATE_WORKING, message, timestamp: this.now() }, metadata: { [EXECUTION_METADATA]: { executionId: r.executionId, ...detail } as never } }));
  }

  private now(): string {
    return this.a2a.clock.now().toISOString();
  }

  async cancelTask(taskId: string, bus: ExecutionEventBus): Promise<void> {
    const current = await this.a2a.tasks.currentOf(this.tenantId, taskId);
    await this.a2a.cancel(this.tenantId, current?.executionId ?? taskId);
    bus.publish(AgentEvent.statusUpdate({ taskId, contextId: current?.contextId ?? '', status: { state: TaskState.TASK_STATE_CANCELED, message: undefined, timestamp: this.now() }, metadata: undefined }));
  }
}
