import type { ExecutionView } from '../executions/executions.service.js';
import type { ChatMessage } from './openai.input.js';

/** OpenAI's usage block, summed over the execution's nodes (agents report theirs as int64 strings). */
export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function usageOf(execution: Pick<ExecutionView, 'nodes'>): CompletionUsage {
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  for (const node of execution.nodes) {
    const u = node.usage as Record<string, unknown> | null;
    if (!u) continue;
    usage.prompt_tokens += count(u['promptTokens']);
    usage.completion_tokens += count(u['completionTokens']);
    usage.total_tokens += count(u['totalTokens']);
  }
  return usage;
}

const count = (value: unknown): number => {
  const n = typeof value === 'string' || typeof value === 'number' ? Number(value) : 0;
  return Number.isFinite(n) && n > 0 ? n : 0;
};

/** What the flow hears: the last user message is the new turn, the user and assistant messages before it the history. */
export interface Turn {
  text: string;
  history: { role: 'user' | 'assistant'; text: string }[];
}

export function turnOf(messages: ChatMessage[]): Turn | undefined {
  const last = messages.at(-1);
  if (last?.role !== 'user' || !last.content?.trim()) return undefined;
  const history = messages
    .slice(0, -1)
    .filter((m): m is ChatMessage & { role: 'user' | 'assistant' } => (m.role === 'user' || m.role === 'assistant') && !!m.content?.trim())
    .map((m) => ({ role: m.role, text: m.content ?? '' }));
  return { text: last.content, history };
}

/** The `id` of a completion: the execution it ran, so a client can look it up (`GET /v1/executions/{id}`). */
export const completionId = (executionId: string) => `chatcmpl-${executionId}`;

export function completionOf(model: string, executionId: string, created: number, reply: string, usage: CompletionUsage) {
  return {
    id: completionId(executionId),
    object: 'chat.completion' as const,
    created,
    model,
    choices: [{ index: 0, message: { role: 'assistant' as const, content: reply, refusal: null }, finish_reason: 'stop' as const, logprobs: null }],
    usage,
    system_fingerprint: null,
  };
}

export function chunkOf(model: string, executionId: string, created: number, delta: { role?: 'assistant'; content?: string }, finish: 'stop' | null = null, usage?: CompletionUsage) {
  return {
    id: completionId(executionId),
    object: 'chat.completion.chunk' as const,
    created,
    model,
    choices: usage && !delta.role && delta.content === undefined && finish === null ? [] : [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    ...(usage ? { usage } : {}),
    system_fingerprint: null,
  };
}
