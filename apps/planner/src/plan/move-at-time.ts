import { findDates, findShift, formatInstant, type DateMention } from '@spine/llm';
import { matchName } from '@spine/tool-catalog';
import type { PlanRequest } from './plan.request.js';
import type { PlannedCall, SecondRound } from './round.types.js';

/** An event the first round listed. */
export interface ListedEvent {
  eventId: string;
  title: string;
  startsAt: string;
}

/** A move to an hour with no day said: which event (by name, and by its hour when one is said) and the new hour, "HH:mm". */
export interface MoveAtTime {
  ref: string;
  /** "mi call de las 3", "my 3pm call": the hour the event starts at now. */
  from?: string;
  to: string;
}

/** "… to 4", "… a las 4": an hour chrono leaves alone after the one that names the event ("my 3pm call to 4"). */
const BARE_TARGET = /\s(?:to|a las?|at)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?(?![\d:])/i;

const hhmm = (hour: number, minute: number) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
const wallTime = (instant: Date, timezone: string) => formatInstant(instant, timezone).slice(11, 16);

/**
 * "pasa la reunión de presupuesto a las 5", "push the budget review to 5pm", "mueve mi call de las 3 a las 4": an event
 * moved to an hour, no day said. The day stays the event's own (issue 16), so the event is looked up first (seed 000,
 * a second tool round). Undefined for anything else: a day said, a move by an amount, another tool.
 */
export function moveAtTime(calls: readonly PlannedCall[], req: PlanRequest): MoveAtTime | undefined {
  const ref = updatedEvent(calls, req);
  if (ref === undefined) return undefined;
  const dates = findDates(req.text, req.now, { locale: req.locale });
  // "push it to 4", "move the demo to 11": an hour alone, which chrono does not read as a time.
  if (dates.length === 0) return bareHour(req.text, ref);
  if (dates.some((d) => d.hasDay || !d.hasTime)) return undefined;
  return { ref, ...hoursOf(dates, req) };
}

function bareHour(text: string, ref: string): MoveAtTime | undefined {
  const target = BARE_TARGET.exec(text);
  return target ? { ref, to: hourOf(target) } : undefined;
}

/** The wall-clock hour a bare target says: with no am/pm, 1 to 6 is the afternoon (office hours). */
function hourOf(target: RegExpExecArray): string {
  let hour = Number(target[1]);
  const meridiem = target[3]?.toLowerCase();
  if (meridiem === 'pm' ? hour < 12 : meridiem !== 'am' && hour >= 1 && hour <= 6) hour += 12;
  return hhmm(hour, Number(target[2] ?? 0));
}

/** The event a lone updateCalendarEvent names, when the calendar can be listed and no move by an amount is said. */
function updatedEvent(calls: readonly PlannedCall[], req: PlanRequest): string | undefined {
  const update = calls.length === 1 ? calls.find((c) => c.tool === 'updateCalendarEvent') : undefined;
  const ref = update?.args['event'];
  return typeof ref === 'string' && req.allowedTools.has('listCalendarEvents') && findShift(req.text) === undefined ? ref : undefined;
}

/** The hour the event starts at now (when said) and the one it moves to, from the times said. */
function hoursOf(dates: readonly DateMention[], req: PlanRequest): { from?: string; to: string } {
  const tz = req.now.timezone;
  const first = dates[0]!;
  const from = wallTime(first.start, tz);
  if (dates.length > 1) return { from, to: wallTime(dates.at(-1)!.start, tz) };
  if (first.end && first.endHasTime) return { from, to: wallTime(first.end, tz) };
  const target = BARE_TARGET.exec(req.text.slice(first.index + first.length));
  return target ? { from, to: hourOf(target) } : { to: from };
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

/**
 * Round 2 of a move to an hour: the event the user named (at the hour they said it is, when they said one), moved to
 * the new hour on its own day, by its id (a daily shares its title with other days). Nothing that fits: the plan as it was.
 */
export function movedToTime(calls: readonly PlannedCall[], move: MoveAtTime, events: readonly ListedEvent[] | undefined, req: PlanRequest): SecondRound {
  if (!events?.length) return { kind: 'calls', calls: [...calls] };
  const tz = req.now.timezone;
  const titles = [...new Set(events.map((e) => e.title))];
  const named = matchName(titles, move.ref);
  const mentions = (e: ListedEvent) => fold(e.title).includes(fold(move.ref));
  let found = named === undefined ? events.filter(mentions) : events.filter((e) => e.title === named);
  if (move.from) {
    const atHour = events.filter((e) => wallTime(new Date(e.startsAt), tz) === move.from);
    const both = atHour.filter((e) => found.includes(e) || mentions(e));
    found = both.length ? both : found.length ? found : atHour;
  }
  if (new Set(found.map((e) => e.title)).size !== 1) return { kind: 'calls', calls: [...calls] };
  const event = [...found].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))[0]!;
  const on = formatInstant(new Date(event.startsAt), tz);
  const startsAt = `${on.slice(0, 11)}${move.to}:00${on.slice(19)}`;
  return {
    kind: 'calls',
    calls: calls.map((c) => {
      if (c.tool !== 'updateCalendarEvent') return c;
      // "de las 3 a las 4" says which event and where it goes, not how long it lasts.
      const { durationMinutes, ...rest } = c.args;
      return { ...c, args: { ...(move.from ? rest : { ...rest, ...(durationMinutes === undefined ? {} : { durationMinutes }) }), event: event.eventId, startsAt } };
    }),
  };
}

/** An event named by its day ("la reunión de mañana", "tomorrow's call") and, for a move, the day it goes to. */
export interface DayReference {
  ref: string | undefined;
  /** The window that lists the event's day; none when only the event's name says which ("mueve el comité al viernes"). */
  from?: string;
  to?: string;
  /** "… al viernes", "… to friday": the new day (same hour), "YYYY-MM-DD" and its zone offset. */
  target?: { date: string; offset: string };
}

/**
 * "mueve la reunión de mañana al viernes", "move tomorrow's meeting to friday", "rename tomorrow's call to …": an
 * update whose event is named by its day, no hour said. That day's events are looked up first (seed 000, a second
 * round); a move keeps the event's hour (issue 16).
 */
export function dayReference(calls: readonly PlannedCall[], req: PlanRequest): DayReference | undefined {
  const update = calls.length === 1 ? calls.find((c) => c.tool === 'updateCalendarEvent') : undefined;
  const dates = update && req.allowedTools.has('listCalendarEvents') && findShift(req.text) === undefined ? daysOnly(req) : undefined;
  if (!update || !dates) return undefined;
  const [day, target] = dates;
  const ref = typeof update.args['event'] === 'string' ? update.args['event'] : undefined;
  // One day said: it names the event only as "tomorrow's …" or "… de mañana"; else it is where the named event goes.
  if (!target && !namesItsDay(req.text, day!)) return ref && !GENERIC.test(fold(ref).trim()) ? { ref, target: dayOf(day!.start, req) } : undefined;
  if (!target && update.args['title'] === undefined) return undefined;
  const on = formatInstant(day!.start, req.now.timezone);
  const reference: DayReference = { ref, from: `${on.slice(0, 10)}T00:00:00${on.slice(19)}`, to: `${on.slice(0, 10)}T23:59:59${on.slice(19)}` };
  if (target) reference.target = dayOf(target.start, req);
  return reference;
}

/** One or two days said, no hour and no range: "de mañana al viernes", "al jueves". */
function daysOnly(req: PlanRequest): DateMention[] | undefined {
  // "pásala al jueves a la misma hora", "to thursday at the same time": the event's own hour, so a day alone.
  const dates = findDates(req.text, req.now, { locale: req.locale }).map((d) => (SAME_TIME.test(fold(req.text.slice(d.index, d.index + d.length))) ? { ...d, hasTime: false } : d));
  return dates.length === 0 || dates.length > 2 || dates.some((d) => d.hasTime || !d.hasDay || d.end) ? undefined : dates;
}

const SAME_TIME = /\b(?:a la misma hora|(?:at )?the same time)\b/;

/** "tomorrow's call", "la reunión de mañana": the day says which event rather than where it goes. */
function namesItsDay(text: string, day: DateMention): boolean {
  return /^['’]s\b/.test(text.slice(day.index + day.length)) || /\b(?:de|del|of|from)\s*$/i.test(text.slice(0, day.index));
}

function dayOf(instant: Date, req: PlanRequest): { date: string; offset: string } {
  const on = formatInstant(instant, req.now.timezone);
  return { date: on.slice(0, 10), offset: on.slice(19) };
}

/** Words that say "an event" and nothing of which one: "la reunión de", "tomorrow's meeting". */
const GENERIC = /^(?:(?:la|el|mi|my|the|tomorrow'?s|today'?s)\s+)*(?:reunion|meeting|llamada|call|evento|event|cita|appointment|cosa|thing)(?:\s+(?:de|del|of))?$/;

/** Round 2 of an update by day: the event of that day the user named (or the only one), changed; several, a question. */
export function changedOnDay(calls: readonly PlannedCall[], reference: DayReference, events: readonly ListedEvent[] | undefined, req: PlanRequest): SecondRound {
  if (!events) return { kind: 'calls', calls: [...calls] };
  const es = req.locale === 'es';
  if (events.length === 0 && !reference.from) return { kind: 'calls', calls: [...calls] };
  if (events.length === 0) return { kind: 'blocked', text: es ? 'No tienes ningún evento ese día.' : 'You have no event that day.' };
  const found = eventsNamed(reference.ref, events).sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  if (found.length === 0) return { kind: 'calls', calls: [...calls] };
  // Several of one title (a daily): the next one; several titles: which one.
  if (new Set(found.map((e) => e.title)).size > 1) return { kind: 'question', text: whichToChange(found, es) };
  const event = found[0]!;
  const hour = formatInstant(new Date(event.startsAt), req.now.timezone).slice(11, 19);
  const startsAt = reference.target ? `${reference.target.date}T${hour}${reference.target.offset}` : undefined;
  return {
    kind: 'calls',
    calls: calls.map((c) => (c.tool === 'updateCalendarEvent' ? { ...c, args: { ...c.args, event: event.eventId, ...(startsAt ? { startsAt } : {}) } } : c)),
  };
}

/**
 * The listed events a reference names: by title (or the one title holding the words said); a word that only says "an
 * event" still narrows ("tomorrow's call" among a call and a board meeting); no words, every event of the day.
 */
function eventsNamed(said: string | undefined, events: readonly ListedEvent[]): ListedEvent[] {
  const ref = said && !GENERIC.test(fold(said).trim()) ? said : undefined;
  if (ref !== undefined) {
    const titles = [...new Set(events.map((e) => e.title))];
    const holding = titles.filter((t) => fold(t).includes(fold(ref)));
    const named = matchName(titles, ref) ?? (holding.length === 1 ? holding[0] : undefined);
    return named === undefined ? [] : events.filter((e) => e.title === named);
  }
  const noun = said ? /(?:reunion|meeting|llamada|call|evento|event|cita|appointment)/.exec(fold(said))?.[0] : undefined;
  const kind = noun === undefined ? [] : events.filter((e) => fold(e.title).includes(noun));
  return kind.length ? kind : [...events];
}

function whichToChange(found: readonly ListedEvent[], es: boolean): string {
  const list = found.slice(0, 5).map((e) => `«${e.title}»`);
  const options = `${list.slice(0, -1).join(', ')} ${es ? 'o' : 'or'} ${list.at(-1) ?? ''}`;
  return es ? `Ese día tienes ${found.length} eventos: ¿cuál cambio, ${options}?` : `You have ${found.length} events that day: which one should I change, ${options}?`;
}

/** "30 min longer", "media hora más", "alarga … media hora", "shorten … by 15 minutes": minutes added to the length. */
const LONGER = /\b(?:longer|mas larg[ao]|alarga\w*|amplia\w*|extiende\w*|extend\w*|lengthen\w*|mas)\b/;
const SHORTER = /\b(?:shorter|mas cort[ao]|acorta\w*|shorten\w*|menos)\b/;
/** "alarga la reunión a 2 horas", "extend it to 90 minutes": a new length, not an amount more. */
const TO_LENGTH = /\b(?:a|to|hasta|until)\s+(?:\d+(?:[.,]\d+)?|una?|an?|media|half an)\s*-?\s*(?:horas?|hours?|hrs?|h|minutos?|minutes?|mins?)\b/;

/** The minutes a change adds to an event's length (negative: shorter); undefined when it says no amount more or less. */
export function resizeBy(calls: readonly PlannedCall[], req: PlanRequest): { ref: string; minutes: number } | undefined {
  const update = calls.length === 1 ? calls.find((c) => c.tool === 'updateCalendarEvent') : undefined;
  const ref = update?.args['event'];
  const text = fold(req.text);
  const amount = update?.args['durationMinutes'];
  if (typeof ref !== 'string' || typeof amount !== 'number' || !req.allowedTools.has('listCalendarEvents') || TO_LENGTH.test(text)) return undefined;
  if (SHORTER.test(text)) return { ref, minutes: -amount };
  return LONGER.test(text) ? { ref, minutes: amount } : undefined;
}

/** Round 2 of a change of length by an amount: the event's own length plus the amount. */
export function resized(calls: readonly PlannedCall[], change: { ref: string; minutes: number }, events: readonly EndedEvent[] | undefined): SecondRound {
  const titles = [...new Set((events ?? []).map((e) => e.title))];
  const named = matchName(titles, change.ref);
  const found = (events ?? []).filter((e) => e.title === named && e.endsAt !== undefined).sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const event = found[0];
  if (!event?.endsAt) return { kind: 'calls', calls: [...calls] };
  const minutes = Math.round((Date.parse(event.endsAt) - Date.parse(event.startsAt)) / 60_000) + change.minutes;
  return { kind: 'calls', calls: calls.map((c) => (c.tool === 'updateCalendarEvent' ? { ...c, args: { ...c.args, event: event.eventId, durationMinutes: minutes } } : c)) };
}

/** An event the first round listed, with its end when the listing gave it. */
export interface EndedEvent extends ListedEvent {
  endsAt?: string;
}

/** "cancela mi reunión de las 4", "cancel my 2pm": a cancellation naming its event by the hour it starts at, "HH:mm". */
export function cancelAtHour(calls: readonly PlannedCall[], req: PlanRequest): string | undefined {
  const remove = calls.length === 1 ? calls.find((c) => c.tool === 'deleteCalendarEvent') : undefined;
  const ref = remove?.args['event'];
  if (!remove || (typeof ref === 'string' && !GENERIC.test(fold(ref).trim())) || !req.allowedTools.has('listCalendarEvents')) return undefined;
  const dates = findDates(req.text, req.now, { locale: req.locale });
  if (dates.length !== 1 || dates[0]!.hasDay || !dates[0]!.hasTime || dates[0]!.end) return undefined;
  return wallTime(dates[0]!.start, req.now.timezone);
}

/** Round 2 of a cancellation by hour: the next listed event starting at that hour; none, it says so. */
export function cancelledAtHour(calls: readonly PlannedCall[], hour: string, events: readonly ListedEvent[] | undefined, req: PlanRequest): SecondRound {
  if (!events) return { kind: 'calls', calls: [...calls] };
  const at = events.filter((e) => wallTime(new Date(e.startsAt), req.now.timezone) === hour).sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const event = at[0];
  if (!event) return { kind: 'blocked', text: req.locale === 'es' ? `No encuentro ningún evento a las ${hour} en los próximos días.` : `I can't find any event at ${hour} in the coming days.` };
  return { kind: 'calls', calls: calls.map((c) => (c.tool === 'deleteCalendarEvent' ? { ...c, args: { ...c.args, event: event.eventId } } : c)) };
}

/** Round 1 of a calendar change that needs the event first (its day, its hour or its length), or undefined. */
export function calendarLookup(calls: readonly PlannedCall[], req: PlanRequest): PlannedCall | undefined {
  if (moveAtTime(calls, req) || resizeBy(calls, req)) return { tool: 'listCalendarEvents', args: {} };
  const byDay = dayReference(calls, req);
  if (byDay) return { tool: 'listCalendarEvents', args: byDay.from && byDay.to ? { from: byDay.from, to: byDay.to } : {} };
  return cancelAtHour(calls, req) ? { tool: 'listCalendarEvents', args: {} } : undefined;
}

/** Round 2 of such a change, resolved against the events round 1 listed; undefined when the plan is no such change. */
export function calendarRound(calls: readonly PlannedCall[], events: readonly EndedEvent[] | undefined, req: PlanRequest): SecondRound | undefined {
  const atTime = moveAtTime(calls, req);
  if (atTime) return movedToTime(calls, atTime, events, req);
  const byDay = dayReference(calls, req);
  if (byDay) return changedOnDay(calls, byDay, events, req);
  const hour = cancelAtHour(calls, req);
  if (hour) return cancelledAtHour(calls, hour, events, req);
  const longer = resizeBy(calls, req);
  return longer ? resized(calls, longer, events) : undefined;
}

