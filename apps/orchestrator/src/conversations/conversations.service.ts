import { Injectable } from '@nestjs/common';
import { SpineError } from '@spine/contracts';
import type { Principal } from '../auth/principal.js';
import { Clock } from '../core/clock.js';
import { Ids } from '../core/ids.js';
import type { Json } from '../store/execution.model.js';
import { assertExecutionId, ExecutionsService } from '../executions/executions.service.js';
import { FlowsService } from '../flows/flows.service.js';
import { ConversationsRepository, type ConversationRow, type MessageRow } from './conversations.repository.js';

export interface NewConversation {
  flowId: string;
  userId?: string | undefined;
  metadata: Record<string, unknown>;
}

export interface NewMessage {
  text: string;
  userId?: string | undefined;
  locale?: string | undefined;
  timezone?: string | undefined;
}

export interface SentMessage {
  conversationId: string;
  messageId: string;
  executionId: string;
}

/** What a door other than the conversations API may add: a pinned flow version, the history it carries itself. */
export interface EntryOptions {
  version?: number | undefined;
  history?: { role: 'user' | 'assistant'; text: string }[] | undefined;
}

/** How many earlier turns travel with a new message (the planner completes a request from them). */
const HISTORY_TURNS = 10;

/** Conversations: each user message starts one execution of the conversation's flow, stored with it in one transaction. */
@Injectable()
export class ConversationsService {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly executions: ExecutionsService,
    private readonly flows: FlowsService,
    private readonly clock: Clock,
    private readonly ids: Ids,
  ) {}

  async create(p: Principal, c: NewConversation): Promise<ConversationRow & { messages: MessageRow[] }> {
    await this.flows.get(p.tenantId, c.flowId); // the flow must exist in this tenant
    const row = await this.conversations.create(p.tenantId, { flowId: c.flowId, userId: p.userId ?? c.userId ?? null, metadata: c.metadata as Json, createdBy: p.keyId });
    return { ...row, messages: [] };
  }

  async get(tenantId: string, id: string): Promise<ConversationRow & { messages: MessageRow[] }> {
    return { ...(await this.row(tenantId, id)), messages: await this.conversations.messages(tenantId, id) };
  }

  /** Stores the message and starts its execution; the trigger carries the text, who sent it, their roles, clock and the recent turns. */
  async send(p: Principal, id: string, m: NewMessage): Promise<SentMessage> {
    return this.start(p, await this.row(p.tenantId, id), m);
  }

  /**
   * The one entry every door uses for a conversation flow (REST conversations, A2A, the OpenAI-compatible endpoint):
   * the message goes to the conversation of this flow that the door names `key` (created on first use), so each
   * surface fills the trigger the same way and a flow behaves the same whichever door a client uses.
   */
  async sendByKey(p: Principal, flowId: string, key: string, m: NewMessage & EntryOptions): Promise<SentMessage> {
    await this.flows.get(p.tenantId, flowId);
    const conversation = await this.conversations.forKey(p.tenantId, { flowId, key, userId: p.userId ?? m.userId ?? null, createdBy: p.keyId });
    return this.start(p, conversation, m);
  }

  /** Like sendByKey, in a new conversation: for clients that send the whole history with each call. */
  async sendOnce(p: Principal, flowId: string, m: NewMessage & EntryOptions): Promise<SentMessage> {
    const conversation = await this.create(p, { flowId, userId: m.userId, metadata: {} });
    return this.start(p, conversation, m);
  }

  private async start(p: Principal, conversation: ConversationRow, m: NewMessage & EntryOptions): Promise<SentMessage> {
    const id = conversation.id;
    const history = m.history ?? (await this.conversations.messages(p.tenantId, id, HISTORY_TURNS)).map((h) => ({ role: h.role, text: h.text }));
    const messageId = this.ids.uuid();
    // Every field of the message_received trigger is present (empty when unknown), so templates never miss one.
    const input = {
      content: m.text,
      conversationId: id,
      messageId,
      // A person's key speaks for that person: "my tasks" are theirs whatever the body or the conversation says.
      userId: p.userId ?? m.userId ?? conversation.userId ?? p.keyId,
      tenantId: p.tenantId,
      locale: m.locale ?? '',
      roles: [p.role === 'admin' ? 'admin' : 'client'],
      timezone: m.timezone ?? '',
      now: this.clock.now().toISOString(),
      history: history.slice(-HISTORY_TURNS),
    };
    const execution = await this.executions.start(p.tenantId, conversation.flowId, input as Json, {
      conversationId: id,
      ...(m.version === undefined ? {} : { version: m.version }),
      extra: (tx, row) => this.conversations.addMessage(tx, p.tenantId, id, { id: messageId, role: 'user', text: m.text, executionId: row.id }).then(() => undefined),
    });
    return { conversationId: id, messageId, executionId: execution.id };
  }

  async timeline(tenantId: string, id: string) {
    await this.row(tenantId, id);
    return { events: await this.conversations.timeline(tenantId, id), messages: await this.conversations.messages(tenantId, id) };
  }

  private async row(tenantId: string, id: string): Promise<ConversationRow> {
    assertExecutionId(id);
    const row = await this.conversations.get(tenantId, id);
    if (!row) throw SpineError.notFound(`no conversation '${id}'`);
    return row;
  }
}
