import { toJson } from '@bufbuild/protobuf';
import { ToolResultSchema, type StreamerInput } from '@spine/contracts';
import type { ChatMessage, ToolCall } from '@spine/llm';

const SYSTEM = [
  'You write the reply of an ERP assistant, in the user language, short and friendly.',
  'State only what the tool results say: quote the ids and values they returned; never claim an action no tool result shows.',
  'When a tool refused, explain why and offer its suggestion. Answer small talk briefly.',
].join(' ');

/** The conversation the model writes from: the user's words and the tool results as tool messages, nothing else. */
export function replyMessages(input: StreamerInput): ChatMessage[] {
  const messages: ChatMessage[] = [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: input.userText },
  ];
  if (input.toolResults.length === 0) return messages;
  const calls: ToolCall[] = input.toolResults.map((r, i) => ({ id: `call_${i}`, name: r.tool, arguments: {}, rawArguments: '{}' }));
  messages.push({ role: 'assistant', content: '', toolCalls: calls });
  input.toolResults.forEach((r, i) => messages.push({ role: 'tool', toolCallId: `call_${i}`, name: r.tool, content: JSON.stringify(toJson(ToolResultSchema, r)) }));
  return messages;
}
