import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import { Clock } from '../core/clock.js';
import { TaskState, type Message, type Task } from '@a2a-js/sdk';
import { ExecutionFeed, type FeedItem, type FeedPosition } from '../executions/execution-feed.js';
import { InboxService } from '../inbox/inbox.service.js';
import type { HumanTask } from '../inbox/human-task.model.js';
import type { Principal } from '../auth/principal.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { decisionOf, flowInputOf, humanInputMessage, taskOf, type OpenHumanTask } from './a2a.mapper.js';
import { A2aTasksRepository } from './a2a-tasks.repository.js';
import { ExecutionsService, type ExecutionView } from '../executions/executions.service.js';
import { FlowsService, type FlowVersionView } from '../flows/flows.service.js';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import { callerInput } from '../auth/caller-input.js';

const MESSAGE_RECEIVED = 'message_received';
/** The conversations API's bound on a message. */
const MAX_TEXT = 8_000;

const localeOf = (value: unknown): 'es' | 'en' | undefined => (value === 'es' || value === 'en' ? value : undefined);

/** What the A2A surface needs from flows and executions, tenant-scoped like the REST API. */
@Injectable()
export class A2aService {
  constructor(
    private readonly flows: FlowsService,
    private readonly executions: ExecutionsService,
    private readonly conversations: ConversationsService,
    /** A2A's own rows: each task's context id. */
    readonly tasks: A2aTasksRepository,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    /** Also the A2A executor's clock (task status timestamps). */
    readonly clock: Clock,
    private readonly feed: ExecutionFeed,
    private readonly inbox: InboxService,
  ) {}

  /** The flow behind a public agent card: any tenant's (a card says what the flow does and how to call it, nothing more). */
  publicFlow(tenant: string, flowId: string): Promise<FlowVersionView> {
    return this.flows.get(tenant, flowId);
  }

  /** The flow behind `/a2a/{tenant}/{flowId}`: only the key's own tenant's flows exist (another tenant's: not found). */
  async flowOf(p: Principal, tenant: string, flowId: string): Promise<FlowVersionView> {
    if (tenant !== p.tenantId) throw SpineError.notFound(`no flow '${flowId}'`);
    return this.flows.get(p.tenantId, flowId);
  }

  /**
   * Starts the flow for a message. A conversation flow (`message_received`) gets it through the entry every door
   * shares, in the conversation this A2A context names, so it sees the sender's roles, clock and earlier turns as over
   * REST; any other flow gets the message's parts as its input.
   */
  async start(p: Principal, flow: FlowVersionView, contextId: string, message: Message | undefined): Promise<{ id: string }> {
    const { id } = await this.startRun(p, flow, contextId, message);
    await this.tasks.record(p.tenantId, flow.id, id, contextId);
    return { id };
  }

  private async startRun(p: Principal, flow: FlowVersionView, contextId: string, message: Message | undefined): Promise<{ id: string }> {
    const input = flowInputOf(message);
    if (flow.trigger !== MESSAGE_RECEIVED) return this.executions.start(p.tenantId, flow.id, callerInput(p, input), { version: flow.version });
    const text = typeof input['content'] === 'string' ? input['content'] : '';
    if (!text.trim()) throw SpineError.invalid('a conversation flow takes a text part', { field: 'message.parts' });
    const sent = await this.conversations.sendByKey(p, flow.id, `a2a:${contextId}`, {
      text: text.slice(0, MAX_TEXT),
      version: flow.version,
      locale: localeOf(input['locale']),
      timezone: typeof input['timezone'] === 'string' ? input['timezone'] : undefined,
    });
    return { id: sent.executionId };
  }

  /**
   * A follow-up message on a task (the SDK has already refused one on a terminal task). A conversation task left
   * `input-required` by a question goes on in the same conversation: the answer starts its next execution, which the
   * task shows from now on. A task whose execution waits on a person takes the message as the decision (validated, and
   * only from a key whose role may decide, as over the inbox API). Anything else is FAILED_PRECONDITION.
   */
  async followUp(p: Principal, flow: FlowVersionView, taskId: string, message: Message | undefined): Promise<{ executionId: string; contextId: string; decided: boolean }> {
    const current = await this.tasks.currentOf(p.tenantId, taskId);
    const execution = current && (await this.execution(p.tenantId, flow.id, current.executionId));
    if (!current || !execution) throw SpineError.notFound(`no task '${taskId}'`);
    if (execution.state === 'WAITING_INPUT' && flow.trigger === MESSAGE_RECEIVED) {
      const { id } = await this.startRun(p, flow, current.contextId, message);
      await this.tasks.advance(p.tenantId, taskId, id);
      return { executionId: id, contextId: current.contextId, decided: false };
    }
    const waiting = await this.humanTaskOf(p.tenantId, execution.id);
    if (!waiting) throw new SpineError(ErrorCode.FAILED_PRECONDITION, `task ${taskId} is not waiting for input; a follow-up message is taken only in input-required`, { taskId });
    await this.inbox.decide(p, waiting.id, decisionOf(message));
    return { executionId: execution.id, contextId: current.contextId, decided: true };
  }

  /** The open inbox task an execution waits on, if any. */
  async humanTaskOf(tenantId: string, executionId: string): Promise<HumanTask | undefined> {
    const [open] = await this.inbox.listOpen(tenantId, { executionId, limit: 1 });
    return open;
  }

  /** An inbox task by id (undefined until the engine has inserted it). */
  humanTask(tenantId: string, id: string): Promise<HumanTask | undefined> {
    return this.inbox.find(tenantId, id);
  }

  /** A task as GetTask shows it: the execution it shows now, `input-required` while that execution waits on a person. */
  async view(tenantId: string, flow: FlowVersionView, taskId: string): Promise<Task | undefined> {
    const current = await this.tasks.currentOf(tenantId, taskId);
    const execution = await this.execution(tenantId, flow.id, current?.executionId ?? taskId);
    if (!execution) return undefined;
    return this.taskFor(tenantId, flow, execution, taskId, current?.contextId ?? taskId);
  }

  async taskFor(tenantId: string, flow: FlowVersionView, execution: ExecutionView, taskId: string, contextId: string): Promise<Task> {
    const task = taskOf(flow, execution, contextId, [], taskId);
    if (task.status?.state !== TaskState.TASK_STATE_WORKING && task.status?.state !== TaskState.TASK_STATE_SUBMITTED) return task;
    const waiting = (await this.humanTaskOf(tenantId, execution.id)) ?? (await this.openingHumanTask(tenantId, execution.id));
    if (!waiting) return task;
    return { ...task, status: { state: TaskState.TASK_STATE_INPUT_REQUIRED, message: humanInputMessage(waiting, taskId, contextId), timestamp: waiting.createdAt } };
  }

  /**
   * A human task the execution's log says was opened but whose row the engine has not inserted yet (the event is
   * committed first): the task is already waiting on a person.
   */
  private async openingHumanTask(tenantId: string, executionId: string): Promise<(OpenHumanTask & { createdAt: string }) | undefined> {
    const opened = (await this.executions.events(tenantId, executionId, 0)).filter((e) => e.type === 'human_task_opened');
    for (const event of opened) {
      const p = (event.payload ?? {}) as { taskId?: string; prompt?: string; decisions?: string[] };
      if (p.taskId && !(await this.inbox.find(tenantId, p.taskId))) return { id: p.taskId, prompt: p.prompt ?? '', decisions: p.decisions ?? [], createdAt: event.at.toISOString() };
    }
    return undefined;
  }

  /** The execution's events and reply chunks from `from` on, until it settles or `signal` aborts. */
  follow(tenantId: string, executionId: string, from: FeedPosition, signal: AbortSignal): AsyncIterable<FeedItem> {
    return this.feed.follow(tenantId, executionId, from, signal);
  }

  /** Where the execution's event log is now (a follow-up after a decision streams what comes next, not the past). */
  async positionOf(tenantId: string, executionId: string): Promise<FeedPosition> {
    const events = await this.executions.events(tenantId, executionId, 0);
    return { events: events.at(-1)?.seq ?? 0, chunks: Number.MAX_SAFE_INTEGER };
  }

  /** How long a SendMessage follows its execution before it answers the task as it is. */
  get waitMs(): number {
    return this.config.A2A_WAIT_MS;
  }

  /** Waits until the execution settles or A2A_WAIT_MS passes, then reads it. */
  settle(tenantId: string, id: string): Promise<ExecutionView> {
    return this.executions.settle(tenantId, id, this.config.A2A_WAIT_MS);
  }

  /** The execution behind a task of this flow, or undefined (unknown id, another tenant's, another flow's). */
  async execution(tenantId: string, flowId: string, id: string): Promise<ExecutionView | undefined> {
    try {
      const view = await this.executions.get(tenantId, id);
      return view.flowId === flowId ? view : undefined;
    } catch (err) {
      if (err instanceof SpineError && err.code === ErrorCode.NOT_FOUND) return undefined;
      throw err;
    }
  }

  async cancel(tenantId: string, id: string): Promise<void> {
    try {
      await this.executions.cancel(tenantId, id);
    } catch (err) {
      // Already ended: nothing to cancel.
      if (!(err instanceof SpineError && err.code === ErrorCode.FAILED_PRECONDITION)) throw err;
    }
  }
}
