import { toJson } from '@bufbuild/protobuf';
import { ToolResultSchema, type StreamerInput } from '@spine/contracts';
import type { ChatMessage, GroundingSource, ToolCall } from '@spine/llm';

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

const KNOWLEDGE_SYSTEM = [
  'You answer a question of an ERP user from the numbered sources below, in the user language, and from nothing else.',
  'Quote or paraphrase only what the sources say and cite each statement with its number, e.g. [1]; end with the list of the sources you cited (number, title, document id).',
  'When the sources do not answer the question, say you do not know.',
].join(' ');

/** A knowledge question: the sources as numbered text the model must write from and cite. */
export function knowledgeMessages(input: StreamerInput, sources: readonly GroundingSource[]): ChatMessage[] {
  const listed = sources.map((s) => `[${s.n}] ${s.title} (${s.documentId}):\n${s.text}`).join('\n\n');
  return [
    { role: 'system', content: `${KNOWLEDGE_SYSTEM}\n\nSources:\n${listed}` },
    { role: 'user', content: input.userText },
  ];
}
