import type { ChatMessage, Usage } from './llm.types.js';

const TOKEN = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

/** A rough token count (words and punctuation) for providers that report none. */
export function countTokens(text: string): number {
  return text.match(TOKEN)?.length ?? 0;
}

export function countMessageTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + countTokens(m.content) + 1, 0);
}

export function usageOf(provider: string, model: string, promptTokens: number, completionTokens: number, estimated = false): Usage {
  const usage: Usage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, model, provider };
  return estimated ? { ...usage, estimated } : usage;
}
