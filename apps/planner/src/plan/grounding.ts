import { extractArguments, hourPhrase, slotKind, type JsonSchema, type KnownNames, type Locale, type NowContext } from '@spine/llm';

const FREE_TEXT = new Set(['title', 'project', 'person', 'name', 'description', 'reference', 'query', 'none']);

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

function words(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

export interface GroundingContext {
  /** Everything the user wrote in this request: the message and their earlier answers. */
  said: readonly string[];
  now: NowContext;
  locale: Locale;
  toolName: string;
  /** The tenant's names: a task the user named loosely ("lo de las facturas") is read as the known title it fits. */
  known?: KnownNames;
}

/**
 * Whether the user gave `value` for the argument `name`: free text must be made of the user's
 * own words, an email or id must appear as written, and dates, durations and enums must be
 * readable from what the user said. Whatever fails is the model's invention.
 */
export function isGrounded(name: string, value: unknown, schema: JsonSchema, ctx: GroundingContext): boolean {
  const kind = slotKind(name, schema);
  if (kind === 'person' && value === 'me') return ctx.said.some((s) => extractArguments(s, { type: 'object', properties: { [name]: schema } }, { now: ctx.now, locale: ctx.locale, toolName: ctx.toolName }).args[name] === 'me');
  if (FREE_TEXT.has(kind)) {
    if (typeof value !== 'string' && typeof value !== 'number') return false;
    if (kind === 'reference' && ctx.known?.tasks?.includes(String(value)) && readsAs(name, value, schema, ctx)) return true;
    const own = new Set(ctx.said.flatMap(words));
    const given = words(String(value));
    return given.length > 0 && given.every((w) => own.has(w));
  }
  if (kind === 'attendees' || kind === 'creator') {
    // Each person must be named in the user's own words ("me" stands for the caller and is always theirs to say).
    const own = new Set(ctx.said.flatMap(words));
    const people = Array.isArray(value) ? value : [value];
    return people.length > 0 && people.every((p) => typeof p === 'string' && (p === 'me' || words(p).every((w) => own.has(w))));
  }
  if (kind === 'email' || kind === 'id') {
    if (typeof value !== 'string' || !value) return false;
    return ctx.said.some((s) => fold(s).includes(fold(value)));
  }
  // Structured kinds: the local extractor must find a value for this argument in something the user said.
  const single = { type: 'object', properties: { [name]: schema } };
  // "¿A qué hora?" → "11": a bare number said for the hour reads as one.
  const texts = ctx.said.flatMap((s) => [s, hourPhrase(s, ctx.locale) ?? []].flat());
  if (texts.some((s) => extractArguments(s, single, { now: ctx.now, locale: ctx.locale, toolName: ctx.toolName }).args[name] !== undefined)) return true;
  return saidAsCounterpart(name, value, schema, ctx);
}

/** A creation window's edge and the due window's edge of the same name read the same words: "qué creé hoy" → "y ayer?". */
const COUNTERPART: Readonly<Record<string, string>> = { createdSince: 'dueFrom', createdTo: 'dueTo' };

/** Whether a follow-up's bare day ("y ayer?") gives exactly `value` for the counterpart of a creation window's edge. */
function saidAsCounterpart(name: string, value: unknown, schema: JsonSchema, ctx: GroundingContext): boolean {
  const other = COUNTERPART[name];
  if (!other || typeof value !== 'string') return false;
  const single = { type: 'object', properties: { [other]: schema } };
  const at = new Date(value).getTime();
  return ctx.said.some((s) => {
    const read = extractArguments(s, single, { now: ctx.now, locale: ctx.locale, toolName: ctx.toolName }).args[other];
    return typeof read === 'string' && new Date(read).getTime() === at;
  });
}

/** Whether the local extractor, knowing the tenant's names, reads `value` for the argument from something the user said. */
function readsAs(name: string, value: unknown, schema: JsonSchema, ctx: GroundingContext): boolean {
  const single = { type: 'object', properties: { [name]: schema } };
  const known = ctx.known ? { known: ctx.known } : {};
  return ctx.said.some((s) => extractArguments(s, single, { now: ctx.now, locale: ctx.locale, toolName: ctx.toolName, ...known }).args[name] === value);
}

/** The arguments the user gave; invented ones are left out (and so become missing when required). */
export function groundedArguments(args: Record<string, unknown>, parameters: JsonSchema, ctx: GroundingContext): { kept: Record<string, unknown>; dropped: string[] } {
  const props = (parameters['properties'] ?? {}) as Record<string, JsonSchema>;
  const kept: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(args)) {
    const schema = props[name];
    if (value === undefined || value === null || value === '') continue;
    if (schema && isGrounded(name, value, schema, ctx)) kept[name] = value;
    else dropped.push(name);
  }
  return { kept, dropped };
}
