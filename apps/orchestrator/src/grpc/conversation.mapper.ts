import type { DescMessage, JsonObject, MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { ConversationSchema, CreateConversationRequest, SendMessageRequest } from '@spine/contracts';
import { newConversationInput, newMessageInput } from '../conversations/conversation.input.js';
import type { ConversationRow, MessageRow } from '../conversations/conversations.repository.js';
import type { NewConversation, NewMessage } from '../conversations/conversations.service.js';
import { parseBody } from '../http/parse-body.js';

type Init<T extends DescMessage> = MessageInitShape<T>;

// proto3 has no "unset" for strings: empty means absent.
const optional = (s: string) => (s.trim() === '' ? undefined : s);

export function newConversationOf(req: CreateConversationRequest): NewConversation {
  return parseBody(newConversationInput, { flowId: optional(req.flowId), userId: optional(req.userId), metadata: req.metadata });
}

export function messageInputOf(req: SendMessageRequest): NewMessage {
  return parseBody(newMessageInput, { text: req.text, userId: optional(req.userId), locale: optional(req.locale), timezone: optional(req.timezone) });
}

export function conversationOf(c: ConversationRow & { messages: MessageRow[] }): Init<typeof ConversationSchema> {
  return {
    id: c.id,
    flowId: c.flowId,
    userId: c.userId ?? '',
    metadata: (typeof c.metadata === 'object' && c.metadata !== null && !Array.isArray(c.metadata) ? c.metadata : {}) as JsonObject,
    createdAt: timestampFromDate(new Date(c.createdAt)),
    messages: c.messages.map((m) => ({ id: m.id, role: m.role, text: m.text, executionId: m.executionId ?? '', createdAt: timestampFromDate(new Date(m.createdAt)) })),
  };
}
