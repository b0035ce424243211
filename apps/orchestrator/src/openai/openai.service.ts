import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import type { Principal } from '../auth/principal.js';
import { ConversationsService, type SentMessage } from '../conversations/conversations.service.js';
import { Clock } from '../core/clock.js';
import { ExecutionFeed } from '../executions/execution-feed.js';
import { ExecutionsService, type ExecutionView } from '../executions/executions.service.js';
import { FlowsService, type FlowVersionView } from '../flows/flows.service.js';
import { flowResultOf } from '../a2a/a2a.mapper.js';
import { SETTLED } from '../store/execution.model.js';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import { chunkOf, completionOf, turnOf, usageOf } from './completion.mapper.js';
import type { ChatCompletionInput } from './openai.input.js';

const MESSAGE_RECEIVED = 'message_received';
/** `flow:<id>` or `flow:<id>@<version>`; a bare flow id works too. */
const MODEL = /^(?:flow:)?([A-Za-z0-9][\w.-]{0,127})(?:@(\d{1,9}))?$/;
/** The most flows `/v1/models` reads (each is parsed to tell conversation flows from the rest). */
const MAX_MODELS = 500;
/** The conversations API's bound on a message. */
const MAX_TEXT = 8_000;

/** A completion that has started: the flow that runs it and the message sent to it. */
export interface StartedCompletion {
  model: string;
  flow: FlowVersionView;
  sent: SentMessage;
  created: number;
}

/**
 * The OpenAI Chat Completions surface: `model` names a conversation flow of the key's tenant, the last user message
 * is the new turn, and the reply is the flow's streamed reply. The message enters through the same entry as the
 * conversations API and A2A, so the flow sees the same trigger (user, roles, time zone, clock, history).
 */
@Injectable()
export class OpenAiService {
  constructor(
    private readonly flows: FlowsService,
    private readonly conversations: ConversationsService,
    private readonly executions: ExecutionsService,
    private readonly feed: ExecutionFeed,
    private readonly clock: Clock,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  /** The tenant's conversation flows, as models. */
  async models(p: Principal) {
    const { flows } = await this.flows.list(p.tenantId);
    const data = [];
    for (const summary of flows.slice(0, MAX_MODELS)) {
      const flow = await this.flows.get(p.tenantId, summary.id);
      if (flow.trigger === MESSAGE_RECEIVED) data.push(modelOf(flow));
    }
    return { object: 'list' as const, data };
  }

  async model(p: Principal, name: string) {
    return modelOf(await this.flowOf(p, name));
  }

  /**
   * Sends the request's last user message to the flow. A `conversationId` (header) continues that conversation; a
   * `user` continues the user's conversation with this flow; without either, the request's own messages are the history.
   */
  async start(p: Principal, body: ChatCompletionInput, conversationId: string | undefined): Promise<StartedCompletion> {
    if ((body.tools?.length ?? 0) > 0 || (body.functions?.length ?? 0) > 0 || (body.tool_choice !== undefined && body.tool_choice !== 'none')) {
      throw SpineError.invalid("client-side tools are not supported: a Spine flow calls its own tools (see the flow's allowedTools)", { field: 'tools' });
    }
    const turn = turnOf(body.messages);
    if (!turn) throw SpineError.invalid('the last message must be a user message with text', { field: 'messages' });
    if (turn.text.length > MAX_TEXT) throw SpineError.invalid(`the last user message is over ${MAX_TEXT} characters`, { field: 'messages' });
    const flow = await this.flowOf(p, body.model);
    const message = { text: turn.text, version: flow.version, ...(body.user ? { userId: body.user } : {}) };
    let sent: SentMessage;
    if (conversationId) {
      const conversation = await this.conversations.get(p.tenantId, conversationId);
      if (conversation.flowId !== flow.id) throw SpineError.invalid(`conversation '${conversationId}' talks to flow '${conversation.flowId}', not '${flow.id}'`, { field: 'model' });
      sent = await this.conversations.send(p, conversationId, message);
    } else if (body.user) {
      sent = await this.conversations.sendByKey(p, flow.id, `openai:${body.user}`, message);
    } else {
      sent = await this.conversations.sendOnce(p, flow.id, { ...message, history: turn.history });
    }
    return { model: body.model, flow, sent, created: Math.floor(this.clock.nowMs() / 1000) };
  }

  /** Waits for the execution and answers one completion: its reply, or its output as JSON when it has no reply. */
  async complete(p: Principal, c: StartedCompletion) {
    const execution = await this.executions.settle(p.tenantId, c.sent.executionId, this.config.A2A_WAIT_MS);
    return completionOf(c.model, execution.id, c.created, replyOf(c.flow, execution), usageOf(execution));
  }

  /** The completion as `chat.completion.chunk`s: the role, each reply token, then `stop` with the usage. */
  async *stream(p: Principal, c: StartedCompletion, signal: AbortSignal): AsyncIterable<object> {
    const id = c.sent.executionId;
    yield chunkOf(c.model, id, c.created, { role: 'assistant', content: '' });
    let streamed = false;
    for await (const item of this.feed.follow(p.tenantId, id, { events: 0, chunks: 0 }, signal)) {
      if (item.kind !== 'chunk' || (item.chunkKind !== 'token' && item.chunkKind !== 'question') || !item.text) continue;
      streamed = true;
      yield chunkOf(c.model, id, c.created, { content: item.text });
    }
    if (signal.aborted) return;
    const execution = await this.executions.settle(p.tenantId, id, this.config.A2A_WAIT_MS);
    if (!streamed) {
      const reply = replyOf(c.flow, execution);
      if (reply) yield chunkOf(c.model, id, c.created, { content: reply });
    }
    yield chunkOf(c.model, id, c.created, {}, 'stop');
    yield chunkOf(c.model, id, c.created, {}, null, usageOf(execution));
  }

  private async flowOf(p: Principal, model: string): Promise<FlowVersionView> {
    const match = MODEL.exec(model.trim());
    if (!match) throw SpineError.invalid(`model '${model}' names no flow: use a flow id, 'flow:<id>' or 'flow:<id>@<version>'`, { field: 'model' });
    const flow = await this.flows.get(p.tenantId, match[1]!, match[2] === undefined ? undefined : Number(match[2]));
    if (flow.trigger !== MESSAGE_RECEIVED) {
      throw new SpineError(ErrorCode.INVALID_ARGUMENT, `flow '${flow.id}' is not a conversation flow (its trigger is '${flow.trigger}', not '${MESSAGE_RECEIVED}')`, { field: 'model' });
    }
    return flow;
  }
}

function modelOf(flow: FlowVersionView) {
  return { id: flow.id, object: 'model' as const, created: Math.floor(flow.createdAt.getTime() / 1000), owned_by: 'spine', name: flow.name ?? flow.id, version: flow.version };
}

/** What the completion says: the streamer's reply; for a failed run, why; else the final output as JSON. */
function replyOf(flow: FlowVersionView, execution: ExecutionView): string {
  if (execution.state === 'FAILED' || execution.state === 'CANCELLED') {
    const error = execution.error as { code?: string; message?: string } | null;
    throw new SpineError(execution.state === 'CANCELLED' ? ErrorCode.CANCELLED : ErrorCode.INTERNAL, `the flow ended ${execution.state}: ${error?.code ?? ''} ${error?.message ?? ''}`.trim(), { executionId: execution.id });
  }
  if (!SETTLED.includes(execution.state)) {
    throw new SpineError(ErrorCode.TIMEOUT, `the flow is still ${execution.state}; follow it at /v1/executions/${execution.id}`, { executionId: execution.id });
  }
  const result = flowResultOf(flow, execution);
  return result.reply ?? JSON.stringify(result.output);
}
