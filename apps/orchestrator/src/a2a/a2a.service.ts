import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import { Clock } from '../core/clock.js';
import type { Message } from '@a2a-js/sdk';
import type { Principal } from '../auth/principal.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { flowInputOf } from './a2a.mapper.js';
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
