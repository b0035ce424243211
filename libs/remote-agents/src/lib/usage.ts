import type { RemoteUsage } from './invoke.types.js';

/** Reads `usage` from an agent's JSON reply; accepts camelCase and snake_case, ignores anything else. */
export function usageOf(value: unknown): RemoteUsage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const u = value as Record<string, unknown>;
  const n = (a: string, b: string): number => {
    const v = u[a] ?? u[b];
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.trunc(v) : 0;
  };
  const usage: RemoteUsage = {
    promptTokens: n('promptTokens', 'prompt_tokens'),
    completionTokens: n('completionTokens', 'completion_tokens'),
    totalTokens: n('totalTokens', 'total_tokens'),
  };
  if (typeof u['model'] === 'string') usage.model = u['model'];
  return usage;
}
