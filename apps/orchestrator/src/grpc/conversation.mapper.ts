import type { DescMessage, JsonObject, MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { ConversationSchema, CreateConversationRequest, SendMessageRequest } from '@spine/contracts';
import { z } from 'zod';
import type { ConversationRow, MessageRow } from '../conversations/conversations.repository.js';
import type { NewConversation, NewMessage } from '../conversations/conversations.service.js';
import { parseBody } from '../http/parse-body.js';

type Init<T extends DescMessage> = MessageInitShape<T>;

// Same limits as ConversationsController's bodies; proto3 has no "unset" for strings, so empty means absent.
const optional = (s: string) => (s.trim() === '' ? undefined : s);
const newConversation = z.object({ flowId: z.string().trim().min(1).max(128).default('erp-assistant'), userId: z.string().trim().min(1).max(200).optional(), metadata: z.record(z.string(), z.unknown()).default({}) });
const newMessage = z.object({
  text: z.string().trim().min(1, 'is empty').max(8_000),
  userId: z.string().trim().min(1).max(200).optional(),
  locale: z.enum(['es', 'en']).optional(),
  timezone: z.string().min(1).max(64).refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'is not an IANA time zone').optional(),
});

export function newConversationOf(req: CreateConversationRequest): NewConversation {
  return parseBody(newConversation, { flowId: optional(req.flowId), userId: optional(req.userId), metadata: req.metadata });
}

export function messageInputOf(req: SendMessageRequest): NewMessage {
  return parseBody(newMessage, { text: req.text, userId: optional(req.userId), locale: optional(req.locale), timezone: optional(req.timezone) });
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
