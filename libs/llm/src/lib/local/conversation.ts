import type { ChatMessage, KnownNames, Locale, NowContext, ToolDefinition } from '../llm.types.js';
import { findDates, timeOfDayIn, type TimeOfDay } from './dates.js';
import type { IntentClassifier, IntentMatch } from './intent.classifier.js';
import type { IntentDefinition } from './intent.examples.js';
import { toolKey } from './intent.classifier.js';
import { answerArguments, answerWords, hourPhrase, namedCorrection, requestInstead, saysAFact, withCorrectedName } from './answers.js';
import { followUpCall } from './follow-up.js';
import { isCancel } from './cancel.js';
import { isStandaloneRequest } from './intent.mask.js';
import { newProjectTask, projectJustMade } from './project-and-task.js';
import { projectListing } from './project-listing.js';
import { twoRequests } from './two-requests.js';
import { questionFor } from './questions.js';
import { missingChange } from './task-changes.js';
import { extractArguments } from './slot-extractor.js';
import { slotsOf, toolObject } from './slot-kinds.js';
import { foldKeepLength } from './text.js';

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
  conversation: readonly ChatMessage[],
  tools: readonly ToolDefinition[],
  classifier: IntentClassifier,
  ctx: { now: NowContext; locale: Locale; forced?: string; known?: KnownNames },
): Promise<{ plan?: ToolPlan; last: IntentMatch }> {
  // "no, mejor un usuario: …": a request that replaces the one under way is read without its lead.
  const instead = new Set<number>();
  const messages = conversation.map((m, i) => {
    const request = m.role === 'user' ? requestInstead(m.content, ctx.locale) : undefined;
    if (request) instead.add(i);
    // Of two requests in one message, this plan is the first's; its facts are read from its own words.
    const content = request ?? m.content;
    const first = m.role === 'user' ? twoRequests(content)?.[0] : undefined;
    return first || request ? { ...m, content: first ?? content } : m;
  });
  const users = messages.map((m, i) => ({ m, i })).filter((x) => x.m.role === 'user');
  const extra = toolIntents(tools);
  const last = users.at(-1);
  if (!last) return { last: { intent: 'unknown', route: 'UNKNOWN', tools: [], confidence: 0, nearest: '' } };
  const lastMatch = await classifier.classify(last.m.content, { extra });
  // "olvídalo", "never mind": the request under way is dropped, nothing is planned.
  if (isCancel(last.m.content)) return { last: { ...lastMatch, intent: 'small_talk', route: 'SMALL_TALK', tools: [] } };
  // "tareas de Intranet" → "y de Website?": the listing again, with the project (or person, or day) said now.
  const followUp = ctx.forced ? undefined : await followUpCall(messages, tools, classifier, toolFor, ctx);
  if (followUp) return { plan: { ...followUp, missing: [], question: '' }, last: lastMatch };
  let anchorAt = -1;
  let match = lastMatch;
  let tool = ctx.forced ? tools.find((t) => t.name === ctx.forced) : undefined;
  if (tool) anchorAt = users.length - 1;
  else if (lastMatch.route !== 'SMALL_TALK' || !asked(messages.slice(0, last.i)) || saysAFact(last.m.content)) {
    // The request is the latest message that starts one; answers to our questions lead back to it
    // ("crea una tarea" → "¿…?" → "revisar presupuesto" → "¿…?" → "Website"), a finished reply does not.
    for (let u = users.length - 1; u >= 0 && !tool; u--) {
      const candidate = users[u];
      if (!candidate) break;
      const answering = asked(messages.slice(0, candidate.i));
      const m = u === users.length - 1 ? lastMatch : await classifier.classify(candidate.m.content, { extra });
      // After a question, a message starts a new request only when it says what to do and to what.
      const starts = m.confidence >= ANCHOR_CONFIDENCE && (!answering || isStandaloneRequest(candidate.m.content) || instead.has(candidate.i));
      const found = starts ? toolFor(m, tools) : undefined;
      if (found) {
        tool = found;
        match = m;
        anchorAt = u;
      } else if (!answering) break;
    }
  }
  if (!tool || anchorAt < 0) return { last: lastMatch };
  const anchor = users[anchorAt];
  tool = projectListing(anchor?.m.content ?? '', tool, tools, ctx.known) ?? tool;
  if (asksWhetherDone(anchor?.m.content ?? '', tool)) return { last: lastMatch };
  // "crea el proyecto Vega y una tarea" → "revisar requisitos, el lunes": the project is made; the answers are the task's.
  const projectTask = anchorAt < users.length - 1 ? newProjectTask(anchor?.m.content ?? '', tool, tools, ctx) : undefined;
  if (projectTask) tool = projectTask.tool;
  const anchorText = projectTask?.said ?? anchor?.m.content ?? '';
  const before = messages.slice(0, anchor?.i ?? 0).filter((m) => m.role === 'user' || m.role === 'assistant');
  const sameTime = earlierTime(before.map((m) => m.content), ctx.now);
  const base = { now: ctx.now, locale: ctx.locale, toolName: tool.name, ...(sameTime ? { sameTime } : {}), ...(ctx.known ? { known: ctx.known } : {}) };
  const first = extractArguments(anchorText, tool.parameters, base);
  // "crea el proyecto Tribeca" → "y una tarea para él: …": the task goes in the project just made.
  const justMade = tool.name === 'createTask' && first.args['project'] === undefined ? projectJustMade(anchorText, before.filter((m) => m.role === 'user').map((m) => m.content), tools, ctx) : undefined;
  let args = projectTask ? { ...first.args, project: projectTask.project } : justMade ? { ...first.args, project: justMade } : first.args;
  let dateWithoutTime = first.dateWithoutTime;
  let day = dateWithoutTime.length ? dayPhrase(anchorText, base) : undefined;
  for (const answer of users.slice(anchorAt + 1)) {
    const missing = slotsOf(tool.parameters).filter((s) => s.required && args[s.name] === undefined);
    // "book a call with john" → "sorry, I meant Pedro": the name said now takes the place of the one before.
    const corrected = namedCorrection(answer.m.content, ctx.known);
    if (corrected) args = ownArguments(withCorrectedName(args, corrected), tool);
    const answered = answerWords(corrected ? corrected.rest : answer.m.content);
    if (!answered.trim()) continue;
    // "el viernes" → "¿A qué hora?" → "11": a bare number answers the hour asked for.
    const said = (dateWithoutTime.length ? hourPhrase(answered, ctx.locale) : undefined) ?? answered;
    // "el viernes" → "¿A qué hora?" → "a las 9": the hour belongs to the day said before.
    const text = day && dateWithoutTime.length && timeOnly(said, base) ? `${day} ${said}` : said;
    const expecting = missing[0]?.name;
    const next = extractArguments(text, tool.parameters, { ...base, ...(expecting ? { expecting } : {}) });
    args = { ...args, ...answerArguments(args, next.args, text, expecting) };
    // "schedule a meeting" → "with pedro": the meeting's title is what the two say together ("meeting with pedro").
    if (/^(?:con|with)\s/i.test(answered.trim()) && (args['title'] === undefined || args['title'] === next.args['title'])) {
      const joined = extractArguments(`${anchorText} ${answered.trim()}`, tool.parameters, base).args['title'];
      if (typeof joined === 'string') args['title'] = joined;
    }
    if (next.dateWithoutTime.length) day = dayPhrase(text, base);
    dateWithoutTime = next.dateWithoutTime.length ? next.dateWithoutTime : dateWithoutTime.filter((n) => args[n] === undefined);
  }
  const changing = missingChange(tool.name, args, users.slice(anchorAt).map((u) => u.m.content).join(' '));
  const missingSlots = slotsOf(tool.parameters).filter((s) => (s.required && args[s.name] === undefined) || changing.includes(s.name));
  const question = questionFor(missingSlots, toolObject(tool.name), ctx.locale, dateWithoutTime);
  return { plan: { tool, args, missing: missingSlots.map((s) => s.name), question, match }, last: lastMatch };
}

/** Only the arguments the tool takes. */
function ownArguments(args: Record<string, unknown>, tool: ToolDefinition): Record<string, unknown> {
  const properties = (tool.parameters['properties'] ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(args).filter(([k]) => k in properties));
}

/** "is the pricing page done?", "¿ya está lo del informe?": a question about a task, not a request to finish it ("¿puedes marcar … como hecha?" is one). */
function asksWhetherDone(text: string, tool: ToolDefinition): boolean {
  if (tool.name !== 'completeTask' || !/\?\s*$/.test(text)) return false;
  return !/\b(?:marca\w*|mark|completa|completala|completar|complete|termina|terminar|cierra|cerrar|close|finish|acaba|acabar)\b/.test(foldKeepLength(text));
}

/** The words of the first day said without a time ("el viernes"), to read a later bare hour against. */
function dayPhrase(text: string, ctx: { now: NowContext; locale: Locale }): string | undefined {
  const mention = findDates(text, ctx.now, { locale: ctx.locale }).find((d) => !d.hasTime && d.hasDay);
  return mention ? text.slice(mention.index, mention.index + mention.length) : undefined;
}

/** A time of day and no day in it: "a las 9", "at 3pm". */
function timeOnly(text: string, ctx: { now: NowContext; locale: Locale }): boolean {
  const dates = findDates(text, ctx.now, { locale: ctx.locale });
  return dates.length > 0 && dates.every((d) => d.hasTime && !d.hasDay);
}

/** Whether the assistant's last turn in `turns` asked something (the planner's questions all carry a "?"). */
function asked(turns: readonly ChatMessage[]): boolean {
  const reply = [...turns].reverse().find((m) => m.role === 'assistant' || m.role === 'user');
  return reply?.role === 'assistant' && reply.content.includes('?');
}

function earlierTime(texts: readonly string[], now: NowContext): TimeOfDay | undefined {
  for (const text of [...texts].reverse()) {
    const t = timeOfDayIn(text, now);
    if (t) return t;
  }
  return undefined;
}
