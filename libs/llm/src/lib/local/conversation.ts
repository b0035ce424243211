import type { ChatMessage, Locale, NowContext, ToolDefinition } from '../llm.types.js';
import { timeOfDayIn, type TimeOfDay } from './dates.js';
import type { IntentClassifier, IntentMatch } from './intent.classifier.js';
import type { IntentDefinition } from './intent.examples.js';
import { toolKey } from './intent.classifier.js';
import { questionFor } from './questions.js';
import { extractArguments } from './slot-extractor.js';
import { slotsOf, toolObject } from './slot-kinds.js';

export interface ToolPlan {
  tool: ToolDefinition;
  args: Record<string, unknown>;
  missing: string[];
  /** The one question for the missing arguments; empty when nothing is missing. */
  question: string;
  match: IntentMatch;
}

/** Intents the caller's tools serve, plus each tool's own examples as an intent of its own. */
export function toolIntents(tools: readonly ToolDefinition[]): IntentDefinition[] {
  return tools
    .filter((t) => t.examples?.length)
    .map((t) => ({ intent: `tool:${t.name}`, route: 'FLOW_EXECUTION' as const, tools: [t.name], examples: { es: t.examples ?? [], en: [] } }));
}

export function toolFor(match: IntentMatch, tools: readonly ToolDefinition[]): ToolDefinition | undefined {
  const keys = new Set(match.tools.map(toolKey));
  return tools.find((t) => keys.has(toolKey(t.name)));
}

/** A confident match on a tool starts a request; a weaker one after a question is an answer. */
const ANCHOR_CONFIDENCE = 0.5;

/**
 * Finds the request the conversation is about and fills the tool's arguments from it and from the
 * answers after it: "crea una tarea…" → "¿En qué proyecto?" → "Website". Later answers win.
 */
export async function planToolCall(
  messages: readonly ChatMessage[],
  tools: readonly ToolDefinition[],
  classifier: IntentClassifier,
  ctx: { now: NowContext; locale: Locale; forced?: string },
): Promise<{ plan?: ToolPlan; last: IntentMatch }> {
  const users = messages.map((m, i) => ({ m, i })).filter((x) => x.m.role === 'user');
  const extra = toolIntents(tools);
  const last = users.at(-1);
  if (!last) return { last: { intent: 'unknown', route: 'UNKNOWN', tools: [], confidence: 0, nearest: '' } };
  const lastMatch = await classifier.classify(last.m.content, { extra });
  let anchorAt = -1;
  let match = lastMatch;
  let tool = ctx.forced ? tools.find((t) => t.name === ctx.forced) : lastMatch.confidence >= ANCHOR_CONFIDENCE ? toolFor(lastMatch, tools) : undefined;
  if (tool) anchorAt = users.length - 1;
  else if (!ctx.forced && lastMatch.route !== 'SMALL_TALK') {
    // An answer to our question: the request is the latest earlier message that named a tool.
    for (let u = users.length - 2; u >= 0 && !tool; u--) {
      const candidate = users[u];
      if (!candidate || !messages.slice(candidate.i + 1, last.i).some((m) => m.role === 'assistant')) continue;
      const earlier = await classifier.classify(candidate.m.content, { extra });
      const found = earlier.confidence >= ANCHOR_CONFIDENCE ? toolFor(earlier, tools) : undefined;
      if (found) {
        tool = found;
        match = earlier;
        anchorAt = u;
      }
    }
  }
  if (!tool || anchorAt < 0) return { last: lastMatch };
  const anchor = users[anchorAt];
  const before = messages.slice(0, anchor?.i ?? 0).filter((m) => m.role === 'user' || m.role === 'assistant');
  const sameTime = earlierTime(before.map((m) => m.content), ctx.now);
  const base = { now: ctx.now, locale: ctx.locale, toolName: tool.name, ...(sameTime ? { sameTime } : {}) };
  const first = extractArguments(anchor?.m.content ?? '', tool.parameters, base);
  let args = first.args;
  let dateWithoutTime = first.dateWithoutTime;
  for (const answer of users.slice(anchorAt + 1)) {
    const missing = slotsOf(tool.parameters).filter((s) => s.required && args[s.name] === undefined);
    const next = extractArguments(answer.m.content, tool.parameters, { ...base, ...(missing[0] ? { expecting: missing[0].name } : {}) });
    args = { ...args, ...next.args };
    dateWithoutTime = next.dateWithoutTime.length ? next.dateWithoutTime : dateWithoutTime.filter((n) => args[n] === undefined);
  }
  const missingSlots = slotsOf(tool.parameters).filter((s) => s.required && args[s.name] === undefined);
  const question = questionFor(missingSlots, toolObject(tool.name), ctx.locale, dateWithoutTime);
  return { plan: { tool, args, missing: missingSlots.map((s) => s.name), question, match }, last: lastMatch };
}

function earlierTime(texts: readonly string[], now: NowContext): TimeOfDay | undefined {
  for (const text of [...texts].reverse()) {
    const t = timeOfDayIn(text, now);
    if (t) return t;
  }
  return undefined;
}
