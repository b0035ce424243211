import type { JsonSchema, KnownNames, Locale, NowContext } from '../llm.types.js';
import { findDates, saysWeekdayOfNextWeek, type DateMention, type TimeOfDay } from './dates.js';
import { afterGreeting } from './greeting.js';
import * as f from './fields.js';
import { isKnown, knownAssignee, knownCreator, knownEvent, knownOwner, knownProject, knownTask, knownTaskByWords } from './known-names.js';
import { keptByCorrection } from './corrections.js';
import { claim, findEventReference, findEventTitle, type Claims } from './phrases.js';
import { findShift } from './shift.js';
import { rangeLength } from './time-ranges.js';
import { FREE_TEXT_KINDS, slotsOf, toolObject, toolVerb, type SlotSpec, type ToolObject, type ToolVerb } from './slot-kinds.js';
import { findTaskTitle } from './task-title.js';
import { foldKeepLength } from './text.js';
import { changedPriority, changedTaskReference, handedTo, renamedTask, shiftedByDays, targetDay } from './task-changes.js';
import { correctTypos, type Corrected } from './typos.js';
import { weekWindow, type WeekWindow } from './week-window.js';
import { formatDate, formatInstant, formatTime, fromZoned, zonedParts } from './zoned-time.js';

export interface ExtractContext {
  now: NowContext;
  locale?: Locale;
  /** The tool the arguments are for: its name tells the object ("createTask" → a task). */
  toolName?: string;
  /** Time of day mentioned earlier in the conversation, for "a la misma hora". */
  sameTime?: TimeOfDay;
  /** The argument the assistant just asked for: a bare answer ("Website") fills it. */
  expecting?: string;
  /** The tenant's names: a project, person or event said in any case, anywhere, is read as the one it names. */
  known?: KnownNames;
}

export interface Extraction {
  /** Only values read from the text; nothing is guessed or defaulted. */
  args: Record<string, unknown>;
  /** Required arguments the text did not give. */
  missing: string[];
  /** Arguments for which a day was said but no time ("el viernes"), so the question can ask for the hour. */
  dateWithoutTime: string[];
}

interface Scan {
  text: string;
  claims: Claims;
  dates: DateMention[];
  object: ToolObject;
  verb: ToolVerb;
  ctx: ExtractContext;
}

/** Reads each argument of a tool's JSON Schema from `text`, by the kind of the argument. */
export function extractArguments(message: string, parameters: JsonSchema, ctx: ExtractContext): Extraction {
  // "good morning! anything due today?": a greeting says no argument (its "morning" is no time).
  const said = afterGreeting(message) ?? message;
  // Keywords are read through their typos ("proyeto", "tomorow"); free text is given back in the user's own words.
  const corrected = correctTypos(said);
  const text = corrected.text;
  const slots = slotsOf(parameters);
  const scan: Scan = {
    text,
    claims: new Array<boolean>(text.length).fill(false),
    dates: monthsInTitles(findDates(text, ctx.now, { ...(ctx.locale ? { locale: ctx.locale } : {}), ...(ctx.sameTime ? { sameTime: ctx.sameTime } : {}) }), ctx.toolName),
    object: toolObject(ctx.toolName ?? ''),
    verb: toolVerb(ctx.toolName ?? ''),
    ctx,
  };
  for (const d of scan.dates) claim(scan.claims, d);
  // "para el lunes, bueno mejor el martes": the day taken back is still no title, but only the kept one is read.
  scan.dates = correctedDates(scan.dates, text);
  for (const e of f.findEmails(text)) claim(scan.claims, e);
  const args: Record<string, unknown> = {};
  const dateWithoutTime: string[] = [];
  // Structured kinds first, so the free-text ones (title, reference) stop where those begin.
  const order = [...slots].sort((a, b) => Number(FREE_TEXT_LAST.has(a.kind)) - Number(FREE_TEXT_LAST.has(b.kind)));
  for (const slot of order) {
    const value = ownWords(read(slot, scan), slot, said, corrected);
    if (value !== undefined && fits(value, slot.schema)) args[slot.name] = value;
    else if (isDateKind(slot) && scan.dates.length > 0 && (!scan.dates.some((d) => d.hasTime) || vagueDue(slot, scan))) dateWithoutTime.push(slot.name);
  }
  const expected = slots.find((s) => s.name === ctx.expecting);
  if (expected && args[expected.name] === undefined && FREE_TEXT_KINDS.has(expected.kind)) {
    const rest = ownWords(residual(text, scan.claims), expected, said, corrected);
    if (rest && fits(rest, expected.schema) && saysSomething(rest)) args[expected.name] = rest;
  }
  const missing = slots.filter((s) => s.required && args[s.name] === undefined).map((s) => s.name);
  return { args, missing, dateWithoutTime };
}

/** Words that carry nothing of their own: what "para el viernes" or "it's for intranet" leave once the day or project is read. */
const FUNCTION_WORDS = new Set(['el', 'la', 'los', 'las', 'lo', 'un', 'una', 'de', 'del', 'para', 'por', 'en', 'a', 'al', 'y', 'e', 'o', 'es', 'que', 'con', 'the', 'a', 'an', 'for', 'to', 'by', 'on', 'at', 'in', 'of', 'and', 'or', 'it', 'its', 'it s', 's', 'is', 'this', 'that', 'pls', 'please', 'porfa', 'ok', 'vale', 'si', 'yes', 'sure', 'claro', 'pues', 'bueno', 'entonces', 'so', 'well', 'then', 'hmm', 'eh', 'mm']);

/** Whether a residue holds a word of its own, so it can stand for a title or name. */
function saysSomething(rest: string): boolean {
  return rest.split(/[^\p{L}\p{N}]+/u).some((w) => w.length > 0 && !FUNCTION_WORDS.has(foldKeepLengthOf(w)));
}

/**
 * The dates a correction kept ("el lunes, perdón, el martes" → el martes). A new hour alone keeps the day said
 * before it: "el lunes a las 10, no, mejor a las 11" is Monday at 11.
 */
function correctedDates(dates: DateMention[], text: string): DateMention[] {
  const kept = keptByCorrection(dates, text);
  if (kept.length === dates.length || kept.some((d) => d.hasDay)) return kept;
  const day = dates.filter((d) => !kept.includes(d) && d.hasDay).at(-1);
  return day ? [...kept, { index: day.index, length: day.length, start: day.start, hasTime: false, hasDay: true }] : kept;
}

/**
 * "preparar la newsletter de enero para el viernes": a month said without a day, next to a day, names what the task
 * is about, not when it is due; it stays in the title.
 */
function monthsInTitles(dates: DateMention[], toolName: string | undefined): DateMention[] {
  if (toolName !== 'createTask' || !dates.some((d) => d.hasDay)) return dates;
  return dates.filter((d) => d.hasDay || d.hasTime || d.end !== undefined);
}

/** A free-text value read from the corrected text, as the user wrote it. */
function ownWords<T>(value: T, slot: SlotSpec, said: string, corrected: Corrected): T | string {
  // "me" stands for the caller: no words of the user's to give back ("porfa dime qué tareas tengo" is not "dime").
  if (typeof value !== 'string' || value === 'me' || corrected.text === said || !OWN_WORDS.has(slot.kind)) return value;
  const at = corrected.text.indexOf(value);
  if (at >= 0) {
    const span = corrected.originalSpan(at, at + value.length);
    return said.slice(span.from, span.to);
  }
  // A value joined from pieces of the text ("llamda de 45 minutos con Luis" → "llamda con Luis"): word by word.
  const words: string[] = [];
  let pos = 0;
  for (const word of value.split(' ')) {
    const i = corrected.text.indexOf(word, pos);
    if (i < 0) return value;
    const span = corrected.originalSpan(i, i + word.length);
    words.push(said.slice(span.from, span.to));
    pos = i + word.length;
  }
  return words.join(' ');
}

const OWN_WORDS = new Set(['title', 'reference', 'description', 'query', 'none', 'name', 'project', 'person']);

const FREE_TEXT_LAST = new Set(['title', 'reference', 'description', 'query', 'none']);

function isDateKind(slot: SlotSpec): boolean {
  return slot.kind === 'instant' || slot.kind === 'time';
}

function read(slot: SlotSpec, s: Scan): unknown {
  const found = readFound(slot, s);
  if (found === undefined) return undefined;
  if (typeof found === 'object' && 'index' in found) {
    claim(s.claims, found);
    return coerce(found.value, slot.schema);
  }
  return found;
}

type Read = f.Found<string | number> | string | string[] | undefined;

function readFound(slot: SlotSpec, s: Scan): Read {
  const { text } = s;
  switch (slot.kind) {
    case 'email':
      return slot.schema['type'] === 'array' ? nonEmpty(f.findEmails(text).map((e) => e.value)) : f.findEmails(text)[0];
    case 'instant':
    case 'since':
    case 'until':
    case 'date':
    case 'time':
      return changesTask(s) && shiftedByDays(foldKeepLength(text)) ? undefined : readDate(slot, s);
    case 'duration':
      // "retrasa la daily una hora" moves the event by an hour; its length stays.
      if (s.verb === 'update' && findShift(text) !== undefined) return undefined;
      return f.findDurations(text).find((d) => !s.claims[d.index]) ?? f.findBareHourAndHalf(text).find((d) => !s.claims[d.index]) ?? rangeLength(s.dates);
    case 'enum': {
      const allowed = (slot.schema['enum'] as unknown[]).filter((v): v is string => typeof v === 'string');
      if (/priori/i.test(slot.name)) return (changesTask(s) ? changedPriority(foldKeepLength(text), allowed) : undefined) ?? f.findPriority(text, allowed);
      if (/status|estado/i.test(slot.name)) return f.findStatus(text, allowed) ?? f.findEnumWord(text, allowed);
      return f.findEnumWord(text, allowed);
    }
    case 'attendees':
      // Not claimed: "reunión con Ana" is also the title.
      return f.findAttendees(text, s.claims);
    case 'creator':
      return f.findCreator(text) ?? knownCreator(text, s.ctx.known, s.claims);
    case 'project':
      return readProject(s);
    case 'person': {
      // "mis tareas", "what tasks do I have": the caller, whom the tool knows from the credentials.
      if (s.verb === 'read' && f.saysMine(text)) return 'me';
      if (changesTask(s) && s.ctx.known) return handedTo(text, foldKeepLength(text), s.ctx.known.users, s.claims);
      const known = s.verb === 'read' ? knownOwner(text, s.ctx.known, s.claims) : knownAssignee(text, s.ctx.known, s.claims);
      const said = known ?? (s.verb === 'read' ? f.findWorker(text) : undefined) ?? f.findAssignee(text, s.claims) ?? (s.verb === 'create' ? f.findDelegate(text) : undefined);
      // "tareas de Website": a project of the tenant is no assignee.
      return said && s.ctx.known && isKnown(s.ctx.known.projects, said.value) && !isKnown(s.ctx.known.users, said.value) ? undefined : said;
    }
    case 'name':
      if (s.object === 'project') return f.findProjectName(text);
      if (s.object === 'user') return f.findPersonName(text);
      return f.findQuoted(text) ?? f.findLabelled(text, ['nombre', 'name']);
    case 'title':
      return readTitle(s);
    case 'reference':
      if (s.object === 'task' && changesTask(s)) return f.findUuid(text) ?? knownTask(text, s.ctx.known, s.claims) ?? changedTaskReference(text, foldKeepLength(text), s.ctx.known?.tasks ?? [], s.claims, () => f.findTaskReference(text));
      return f.findUuid(text) ?? (s.object === 'task' ? (knownTask(text, s.ctx.known, s.claims) ?? knownTaskByWords(text, s.ctx.known, s.claims) ?? f.findTaskReference(text)) : (knownEvent(text, s.ctx.known, s.claims) ?? findEventReference(text, s.claims)));
    case 'description':
      return f.findLabelled(text, ['descripcion', 'description', 'detalles', 'details', 'notas', 'notes']) ?? (s.object === 'project' ? f.findPurposeAfterName(text, s.claims) : undefined);
    case 'query':
      return text.trim() || undefined;
    case 'id':
      return f.findUuid(text);
    case 'none':
      return f.findLabelled(text, [slot.name.toLowerCase()]);
  }
}

/** The project named, among the tenant's or after the word; one the user took back is claimed too, so no title holds it. */
function readProject(s: Scan): Read {
  const { text } = s;
  const known = knownProject(text, s.ctx.known, s.claims);
  for (const back of known?.takenBack ?? []) claim(s.claims, back);
  const said = known ?? f.findProject(text) ?? (s.object === 'task' ? f.findProjectLoose(text, s.claims) : undefined);
  // "tareas de Ana": a user of the tenant, not a project, in a list that can filter by either.
  return said && s.verb === 'read' && s.ctx.known && isKnown(s.ctx.known.users, said.value) && !isKnown(s.ctx.known.projects, said.value) ? undefined : said;
}

function readTitle(s: Scan): f.Found | undefined {
  const explicit = f.findLabelled(s.text, ['titulo', 'title', 'asunto', 'subject']) ?? (changesTask(s) ? renamedTask(s.text, foldKeepLength(s.text), s.claims) : undefined) ?? renamedTo(s.text);
  if (explicit || s.verb === 'update') return explicit;
  const quoted = f.findQuoted(s.text);
  if (quoted && !s.claims[quoted.index]) return quoted;
  if (s.object === 'event') return findEventTitle(s.text, s.claims);
  return findTaskTitle(s.text, s.claims);
}

/** "cambia el título a Planificación", "rename it to Planning". */
function renamedTo(text: string): f.Found | undefined {
  // "cambia el título de la demo con cliente a Demo final", "rename the client demo to Final demo": the new title follows
  // the first "a"/"to" after the word of naming, past the words that say which event.
  const m = /\b(?:(?:titulo|title|nombre|name)\b(?:\s+\S+){0,6}?\s+(?:a|to|por)|renombra\w*(?:\s+\S+){0,5}?\s+(?:a|como)|rename\w*(?:\s+\S+){0,5}?\s+(?:to|as))\s+(.+?)(?=[,.;!?]|$)/.exec(foldKeepCase(text));
  if (!m?.[1]) return undefined;
  const start = m.index + m[0].length - m[1].length;
  return { value: text.slice(start, start + m[1].length).trim(), index: m.index, length: m[0].length };
}

function foldKeepCase(text: string): string {
  return Array.from(text, (ch) => ch.normalize('NFD').replace(/\p{M}+/gu, '').slice(0, 1) || ch)
    .join('')
    .toLowerCase();
}

function readDate(slot: SlotSpec, s: Scan): string | undefined {
  const { timezone } = s.ctx.now;
  if (s.object === 'event' && s.verb === 'read' && (slot.kind === 'since' || slot.kind === 'until')) {
    // "this week": the calendar's own window (the next 7 days) already is it; "next week": its Monday to Sunday.
    const week = saysWeekdayOfNextWeek(s.text) ? undefined : weekWindow(s.text, s.ctx.now.now, timezone);
    if (week) return week.current ? undefined : formatInstant(slot.kind === 'since' ? week.monday : week.sunday, timezone);
    const part = partOfDayWindow(s);
    if (part) return formatInstant(slot.kind === 'since' ? part.from : part.to, timezone);
  }
  const [first, second] = s.dates;
  const format = slot.schema['format'];
  const asString = (d: Date): string => (format === 'date' ? formatDate(d, timezone) : format === 'time' ? formatTime(d, timezone) : formatInstant(d, timezone));
  const taskFilter = s.object === 'task' && s.verb === 'read';
  // "qué tareas creé hoy" is about when they were made; "qué tareas vencen hoy", "mis tareas de hoy" about when due.
  const created = CREATED.test(foldKeepLengthOf(s.text));
  if (/^created/i.test(slot.name) !== created && /^(?:created|due)/i.test(slot.name) && taskFilter) return undefined;
  if (taskFilter && slot.kind === 'until') {
    // "tareas vencidas", "overdue tasks": due before today (findStatus reads the same words as still open).
    if (/^due/i.test(slot.name) && !s.dates.length && OVERDUE.test(foldKeepCase(s.text))) return asString(new Date(dayEdge(s.ctx.now.now, timezone, 'start').getTime() - 1000));
    // Created "hoy", "esta semana", "desde el lunes": a window still open has no end; created "ayer", "last week" one that closed.
    if (/^created/i.test(slot.name) && !createdWindowClosed(s)) return undefined;
  }
  const week = taskFilter && (slot.kind === 'since' || slot.kind === 'until') ? weekWindow(s.text, s.ctx.now.now, timezone) : undefined;
  if (week) return asString(weekBound(week, slot, s.ctx.now.now, timezone));
  if (!first) return undefined;
  switch (slot.kind) {
    case 'date':
      return formatDate(first.start, timezone);
    case 'since':
      // "desde el lunes": a window that starts in the past, the last such day.
      if (/^created/i.test(slot.name) && dayEdge(first.start, timezone, 'start').getTime() > s.ctx.now.now.getTime() && !first.hasTime) return asString(dayEdge(new Date(first.start.getTime() - 7 * 24 * 3600_000), timezone, 'start'));
      return asString(first.hasTime ? first.start : dayEdge(first.start, timezone, 'start'));
    case 'until': {
      // Created "el lunes", "on monday": the last such day, like the window's start.
      if (/^created/i.test(slot.name) && !first.end && !second && !first.hasTime) return asString(dayEdge(pastDay(first.start, s.ctx.now), timezone, 'end'));
      if (first.end) return asString(first.endHasTime ? first.end : dayEdge(first.end, timezone, 'end'));
      if (second) return asString(second.hasTime ? second.start : dayEdge(second.start, timezone, 'end'));
      // One day said for a window ("mañana"): the window closes at the end of that day.
      return first.hasTime || /^end/i.test(slot.name) ? undefined : asString(dayEdge(first.start, timezone, 'end'));
    }
    default: {
      if (vagueDue(slot, s)) return undefined;
      // "move it from thursday to friday at 2pm": where it goes is the range's end.
      const toEnd = s.verb === 'update' ? s.dates.find((d) => !d.hasTime && d.end && d.endHasTime) : undefined;
      if (toEnd?.end) return asString(toEnd.end);
      const corrected = correctedTime(s);
      if (corrected) return asString(corrected);
      const withTime = s.dates.find((d) => d.hasTime);
      // "a las 18h mañana", "at 3pm on friday": the day and the time said apart are one instant.
      const dayApart = s.dates.find((d) => d.hasDay && !d.hasTime);
      if (withTime && !withTime.hasDay && dayApart) return asString(onDayOf(dayApart.start, withTime.start, timezone));
      if (withTime) return asString(withTime.start);
      // A due date needs no time of day: "para el 20 de enero" is due at the end of that day (issue 16).
      const day = (changesTask(s) ? targetDay(s.dates, foldKeepLength(s.text)) : undefined) ?? s.dates.find((d) => d.hasDay);
      return day && isDueSlot(slot) ? asString(dayEdge(day.start, timezone, 'end')) : undefined;
    }
  }
}

/** Parts of the day as windows of wall-clock hours: an afternoon runs to the end of the working day. */
const PART_WINDOWS: ReadonlyArray<{ re: RegExp; from: number; to: number }> = [
  { re: /\b(?:por la manana|en la manana|de la manana|(?:this|tomorrow|in the) morning|morning)\b/, from: 0, to: 12 * 60 },
  { re: /\b(?:por la tarde|en la tarde|de la tarde|esta tarde|(?:this|tomorrow|in the) afternoon|afternoon)\b/, from: 12 * 60, to: 18 * 60 },
  { re: /\b(?:por la noche|esta noche|de la noche|(?:this|tomorrow|in the) evening|evening|tonight)\b/, from: 18 * 60, to: 23 * 60 + 59 },
];

/**
 * "am I free tomorrow afternoon?", "¿qué tengo el jueves por la mañana?": a listing of a part of a day, without a clock
 * time, is the window of that part (morning to 12:00, afternoon 12:00–18:00, evening to the day's end).
 */
function partOfDayWindow(s: Scan): { from: Date; to: Date } | undefined {
  const text = foldKeepCase(s.text);
  const window = PART_WINDOWS.find((w) => w.re.test(text));
  if (!window || s.dates.some((d) => /\d|mediodia|\bnoon\b/.test(foldKeepCase(s.text.slice(d.index, d.index + d.length))))) return undefined;
  const day = s.dates.find((d) => d.hasDay)?.start ?? (/\b(?:this|esta|tonight)\b/.test(text) ? s.ctx.now.now : undefined);
  if (!day) return undefined;
  const { timezone } = s.ctx.now;
  const at = (minutes: number) => fromZoned({ ...zonedParts(day, timezone), hour: Math.floor(minutes / 60), minute: minutes % 60, second: minutes === 23 * 60 + 59 ? 59 : 0 }, timezone);
  return { from: at(window.from), to: at(window.to) };
}

/** "mañana a las 10, no perdón, a las 11", "tomorrow at 10, no wait, make it 11": what follows the correction wins. */
const CORRECTION = /\b(?:no,?\s+(?:perdon|perdona|espera|mejor)|mejor dicho|perdon|no wait|wait|actually|i mean|sorry|make it|rather)\b/;

/** The time said after a correction, on the day said before it when it names none (issue 16). */
function correctedTime(s: Scan): Date | undefined {
  const said = CORRECTION.exec(foldKeepCase(s.text));
  if (!said) return undefined;
  const after = s.dates.filter((d) => d.hasTime && d.index >= said.index).at(-1);
  const before = s.dates.find((d) => d.hasDay && d.index < said.index);
  if (!after || !s.dates.some((d) => d.hasTime && d.index < said.index)) return undefined;
  return !after.hasDay && before ? onDayOf(before.start, after.start, s.ctx.now.timezone) : after.start;
}

/** Overdue: "vencidas", "atrasadas", "overdue", "past due", "late tasks". */
const OVERDUE = /\b(?:vencid[ao]s?|atrasad[ao]s?|retrasad[ao]s?|fuera de plazo|overdue|past due|late (?:tasks|to-?dos|ones))\b/;
const SINCE_WORDS = /\b(?:desde|since|a partir|from|after|despues de)\b/;

/** Whether the creation window said is over: a past day ("ayer", "el lunes pasado") or a past week, not one running since. */
function createdWindowClosed(s: Scan): boolean {
  const text = foldKeepCase(s.text);
  if (SINCE_WORDS.test(text)) return false;
  const week = weekWindow(s.text, s.ctx.now.now, s.ctx.now.timezone);
  if (week) return !week.current && week.sunday.getTime() < s.ctx.now.now.getTime();
  const [first] = s.dates;
  if (!first) return false;
  // "entre el lunes y el miércoles", "from monday to wednesday": a window with its own end.
  if (first.end || s.dates.length > 1) return true;
  return !first.hasTime && dayEdge(pastDay(first.start, s.ctx.now), s.ctx.now.timezone, 'end').getTime() < dayEdge(s.ctx.now.now, s.ctx.now.timezone, 'start').getTime();
}

/** A day said for something already done ("creé el lunes"): the last such day when the words named the next one. */
function pastDay(day: Date, now: NowContext): Date {
  return dayEdge(day, now.timezone, 'start').getTime() > now.now.getTime() ? new Date(day.getTime() - 7 * 24 * 3600_000) : day;
}

const CREATED = /\b(?:cree|creo|crearon|creadas?|creados?|he creado|ha creado|create|created|made|make|added|anadi|anadid[ao]s?)\b/;
const foldKeepLengthOf = (text: string) => foldKeepCase(text);

const PART_OF_DAY = /\b(?:(?:por|en|de|a) la (?:manana|tarde|noche)|(?:esta|this|tomorrow|in the) (?:manana|tarde|noche|morning|afternoon|evening)|morning|afternoon|evening|tonight|temprano|first thing)\b/;
const CLOCK = /\d|\b(?:mediodia|medianoche|noon|midnight)\b/;

/**
 * "mañana por la mañana", "friday afternoon": a due date with a part of the day but no hour. Neither the end of the
 * day nor a guessed hour is what was meant, so the question asks for the time.
 */
function vagueDue(slot: SlotSpec, s: Scan): boolean {
  if (!isDueSlot(slot) || !PART_OF_DAY.test(foldKeepCase(s.text))) return false;
  return !s.dates.some((d) => CLOCK.test(foldKeepCase(s.text.slice(d.index, d.index + d.length))));
}

/**
 * The edge of a week a task filter takes: created "esta semana" means since its Monday; due "esta semana" means
 * from today (what is still ahead) to its Sunday; "next week" is Monday to Sunday.
 */
function weekBound(week: WeekWindow, slot: SlotSpec, now: Date, timezone: string): Date {
  if (slot.kind === 'until') return week.sunday;
  return week.current && !/^created/i.test(slot.name) ? dayEdge(now, timezone, 'start') : week.monday;
}

/** A deadline ("dueAt", "deadline", "vence"), as opposed to a start that needs its hour. */
function isDueSlot(slot: SlotSpec): boolean {
  return /due|deadline|vence|vencimiento/i.test(slot.name);
}

/** The day of `day` at the time of day of `time`, in `timezone`. */
function onDayOf(day: Date, time: Date, timezone: string): Date {
  const t = zonedParts(time, timezone);
  return fromZoned({ ...zonedParts(day, timezone), hour: t.hour, minute: t.minute, second: 0 }, timezone);
}

function dayEdge(instant: Date, timezone: string, edge: 'start' | 'end'): Date {
  const p = zonedParts(instant, timezone);
  return fromZoned(edge === 'start' ? { ...p, hour: 0, minute: 0, second: 0 } : { ...p, hour: 23, minute: 59, second: 59 }, timezone);
}

function coerce(value: string | number, schema: JsonSchema): unknown {
  const type = schema['type'];
  if (type === 'integer') return typeof value === 'number' ? Math.round(value) : Number.parseInt(value, 10);
  if (type === 'number') return Number(value);
  if (type === 'array') return [value];
  return typeof value === 'number' ? String(value) : value;
}

function nonEmpty<T>(values: T[]): T[] | undefined {
  return values.length ? values : undefined;
}

/** Values the schema would refuse are left out rather than cut or bent to fit. */
function fits(value: unknown, schema: JsonSchema): boolean {
  if (typeof value === 'number' && Number.isNaN(value)) return false;
  const max = schema['maxLength'];
  if (typeof value === 'string' && typeof max === 'number' && value.length > max) return false;
  const min = schema['minimum'];
  const maximum = schema['maximum'];
  if (typeof value === 'number' && ((typeof min === 'number' && value < min) || (typeof maximum === 'number' && value > maximum))) return false;
  return true;
}

const CONNECTORS = /^(?:(?:es|el|la|los|las|un|una|de|del|para|en|a|al|con|it's|it is|the|a|an|for|in|to|with)\s+)+/i;

/** The answer itself: the text without what other arguments took and without leading filler. */
function residual(text: string, claims: Claims): string | undefined {
  const kept = Array.from(text, (ch, i) => (claims[i] ? ' ' : ch)).join('');
  const value = kept
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[¿¡"'«“]+|[?!.,"'»”]+$/g, '')
    .replace(CONNECTORS, '')
    .trim();
  return /\p{L}/u.test(value) ? value : undefined;
}

/** updateTask and deleteTask: a task that exists, named loosely, and what changes in it (task-changes.ts). */
function changesTask(s: Scan): boolean {
  return s.object === 'task' && (s.verb === 'update' || s.verb === 'delete');
}
