import type { ToolSpec } from '@spine/tool-catalog';

const PRIORITY_WORDS: Record<string, string> = { high: 'high', alta: 'high', medium: 'medium', media: 'medium', low: 'low', baja: 'low' };
/** "… get high priority by default", "default priority … is high", "prioridad alta por defecto", "prioridad por defecto … alta". */
const DEFAULT_PRIORITY = [
  /\b(high|medium|low)\s+priority\b[^.]*\bby default\b|\bdefault priority\b[^.]*?\b(high|medium|low)\b/i,
  /\bprioridad\s+(alta|media|baja)\b[^.]*\bpor defecto\b|\bprioridad por defecto\b[^.]*?\b(alta|media|baja)\b/i,
];
const NAMES_A_PROJECT = /\b(project|proyecto)\b/i;

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

/**
 * Arguments the tenant's knowledge gives where the user gave none (the context pack retrieval found
 * for the message): a policy's default priority for a task, for the project the call names when the
 * sentence names one. Only a stated default, never a guess; what the user said always wins.
 */
export function contextFacts(tool: ToolSpec, args: Readonly<Record<string, unknown>>, context: readonly string[]): Record<string, unknown> {
  const props = (tool.parameters['properties'] ?? {}) as Record<string, unknown>;
  if (!('priority' in props) || args['priority'] !== undefined) return {};
  const project = typeof args['project'] === 'string' ? fold(args['project']) : '';
  for (const sentence of context.flatMap((c) => c.split(/(?<=[.!?])\s+|\n+/))) {
    const found = DEFAULT_PRIORITY.map((re) => re.exec(sentence)).find(Boolean);
    const word = found?.slice(1).find(Boolean);
    if (!word) continue;
    // A default stated for one project applies to that project only.
    if (NAMES_A_PROJECT.test(sentence) && !(project && fold(sentence).includes(project))) continue;
    return { priority: PRIORITY_WORDS[word.toLowerCase()] };
  }
  return {};
}
