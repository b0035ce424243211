import * as chrono from 'chrono-node';
import * as chronoEs from 'chrono-node/es';
import type { Locale, NowContext } from '../llm.types.js';
import { foldKeepLength } from './text.js';
import { durationSpans, hourRanges, type HourRange } from './time-ranges.js';
import { fromZoned, offsetMinutes, zonedParts, type ZonedParts } from './zoned-time.js';

/** One date or time expression found in a text, resolved against `NowContext`. */
export interface DateMention {
  /** Where it is in the original text (including words read around chrono's match). */
  index: number;
  length: number;
  start: Date;
  end?: Date;
  /** False for "mañana" or "el viernes": a day without a time of day. */
  hasTime: boolean;
  /** False for "a las 9" or "at 3pm": a time of day without a day. */
  hasDay: boolean;
  endHasTime?: boolean;
}

export interface TimeOfDay {
  hour: number;
  minute: number;
}

interface Mark {
  index: number;
  length: number;
  kind: 'plusDay' | 'pm' | 'am' | 'sameTime' | 'drop' | 'nextWeek';
}

/** "el viernes de la semana que viene", "el lunes de la próxima semana", "friday next week", "friday of next week" (folded text). */
const WEEKDAY_OF_NEXT_WEEK = /(?<=\b(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday))\s+(?:de\s+la\s+semana\s+que\s+viene|de\s+la\s+(?:proxima|siguiente)\s+semana|(?:of\s+)?next\s+week)\b/g;

/** Whether a weekday is said of next week ("el viernes de la semana que viene"): that day, not the whole week. */
export function saysWeekdayOfNextWeek(text: string): boolean {
  return new RegExp(WEEKDAY_OF_NEXT_WEEK.source).test(foldKeepLength(text));
}

// Spans chrono misreads; each is blanked (same length, so indexes hold) and applied afterwards.
const MARKS: ReadonlyArray<{ re: RegExp; kind: Mark['kind'] }> = [
  { re: /\bpasado(?=\s+manana\b)/g, kind: 'plusDay' },
  { re: /\b(?:the )?day after(?= tomorrow\b)/g, kind: 'plusDay' },
  { re: /\bde la (?:tarde|noche)\b/g, kind: 'pm' },
  { re: /\bde la manana\b/g, kind: 'am' },
  { re: /\b(?:a la misma hora|(?:at )?the same time)\b/g, kind: 'sameTime' },
  // "cancel tomorrow's 10am", "friday's 3pm": the day and the hour are one mention.
  { re: /(?<=\b(?:tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday))['’]s(?=\s+\d)/g, kind: 'drop' },
  // "next friday", "el próximo viernes", "this friday": the next such day (issue 16: the reply states the date, so the
  // user can correct it). People split on whether "next friday" said on a Monday is this week's or next week's.
  { re: /\b(?:proximo|proxima|este|esta|next|this)(?=\s+(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)/g, kind: 'drop' },
  // "el viernes de la semana que viene", "friday next week": that weekday of next week.
  { re: WEEKDAY_OF_NEXT_WEEK, kind: 'nextWeek' },
];

const DURATION_LEAD = /^(?:por|durante|for|during|lasting)\s/;
// "3 días", "21313d" (an id's digits) are amounts too: only "en/in …" makes them a date.
const BARE_AMOUNT = /^(?:de\s+|of\s+)?(?:\d+(?:[.,]\d+)?|una?|an?|media|(?:an?\s+)?half(?:\s+an?)?)\s*-?\s*(?:minutos?|mins?|minutes?|horas?|hrs?|hours?|h|d|dias?|days?|semanas?|weeks?|w)\b/;
const OFFSET_LEAD = /(?:\b(?:en|in|within|dentro de)\s*)$/;
const NAMED_TIMES = /mediodia|medianoche|noon|midnight/;

const blank = (text: string, span: { index: number; length: number }) => text.slice(0, span.index) + ' '.repeat(span.length) + text.slice(span.index + span.length);

function mark(text: string): { blanked: string; marks: Mark[]; ranges: HourRange[] } {
  const folded = foldKeepLength(text);
  const marks: Mark[] = [];
  for (const { re, kind } of MARKS) for (const m of folded.matchAll(re)) marks.push({ index: m.index, length: m[0].length, kind });
  let blanked = text;
  for (const m of marks) blanked = blank(blanked, m);
  // "a 1 hour sync", "de 2h", "15 minute event" say how long: chrono must not read "a 1" or "2h" as a time (issue 16).
  for (const d of durationSpans(folded)) blanked = blank(blanked, d);
  blanked = spelledTimes(blanked);
  const ranges = hourRanges(foldKeepLength(blanked), (end) => marks.some((m) => m.kind === 'pm' && m.index >= end && m.index <= end + 2));
  for (const r of ranges) blanked = blank(blanked, r);
  return { blanked, marks, ranges };
}

const HOUR_WORDS: Record<string, number> = { una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, once: 11, doce: 12 };
const EN_HOUR_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12 };
const EN_HOUR = String.raw`(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b`;
const hourOf = (said: string) => EN_HOUR_WORDS[said] ?? Number(said);
/** The hour before `h` on a 12-hour clock: "quarter to one" is 12:45. */
const hourBefore = (h: number) => (h === 1 ? 12 : h === 0 ? 23 : h - 1);

/**
 * Times chrono does not read, rewritten in place with the same length so indexes hold: "a las diez" → "a las 10  ",
 * "9 y media" → "9:30    ", "13h" → "13 ".
 */
function spelledTimes(text: string): string {
  const pad = (s: string, length: number) => s + ' '.repeat(Math.max(0, length - s.length));
  return foldKeepLength(text)
    .replace(/\b(a las?|at)\s+(una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce)\b/g, (m, lead: string, word: string) => pad(`${lead} ${HOUR_WORDS[word] ?? word}`, m.length))
    .replace(/\b(\d{1,2})\s+y\s+(media|cuarto)\b/g, (m, h: string, part: string) => pad(`${h}:${part === 'media' ? '30' : '15'}`, m.length))
    // "las 9 menos cuarto" is 8:45; "quarter past 2", "half past ten", "quarter to 5" (issue 16).
    // "no wait, make it 11": the corrected hour.
    .replace(/\bmake it\s+(?=\d)/g, (m) => `${' '.repeat(m.length - 3)}at `)
    .replace(/\b(\d{1,2})\s+menos\s+cuarto\b/g, (m, h: string) => pad(`${hourBefore(Number(h))}:45`, m.length))
    .replace(new RegExp(String.raw`\b(?:a\s+)?(quarter|half)\s+past\s+${EN_HOUR}`, 'g'), (m, part: string, h: string) => pad(`${hourOf(h)}:${part === 'half' ? '30' : '15'}`, m.length))
    .replace(new RegExp(String.raw`\b(?:a\s+)?quarter\s+(?:to|til)\s+${EN_HOUR}`, 'g'), (m, h: string) => pad(`${hourBefore(hourOf(h))}:45`, m.length))
    // "17:30h": the "h" belongs to the time read, not to what follows it.
    .replace(/\b(\d{1,2}:\d{2})h\b/g, (m, t: string) => pad(t, m.length))
    .replace(/\b(\d{1,2})h\b/g, (m, h: string) => pad(`${h}:00`.slice(0, m.length), m.length))
    .split('')
    .map((ch, i) => (/[a-z0-9: ]/.test(ch) && foldKeepLength(text[i] ?? '') !== ch ? ch : (text[i] ?? ch)))
    .join('');
}

function parsersFor(locale?: Locale): chrono.Chrono[] {
  if (locale === 'en') return [chrono.casual, chronoEs.casual];
  return [chronoEs.casual, chrono.casual];
}

/** Wall clock of a chrono result: chrono applies the offset of now, even across a DST change. */
function partsAtOffset(instant: Date, offset: number): ZonedParts {
  const d = new Date(instant.getTime() + offset * 60_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/**
 * Every date and time expression in `text`, in Spanish or English, relative to `ctx.now` in
 * `ctx.timezone`. "a la misma hora" takes `sameTime` (a time mentioned earlier in the conversation)
 * or else the time of now; an hour from 1 to 6 with no am/pm is read as afternoon (office hours).
 */
const NON_ASCII_LETTER = /(?![a-z])\p{L}/iu;

export function findDates(text: string, ctx: NowContext, opts: { locale?: Locale; sameTime?: TimeOfDay } = {}): DateMention[] {
  const { blanked: marked, marks, ranges } = mark(text);
  const weekdayNumbered = weekdayNumbers(marked, ctx);
  let blanked = marked;
  for (const d of weekdayNumbered) blanked = blank(blanked, d);
  const numbered = [...weekdayNumbered, ...dayNumbers(blanked, ctx), ...monthEnds(blanked, ctx)];
  for (const d of numbered) blanked = blank(blanked, d);
  const refOffset = offsetMinutes(ctx.now, ctx.timezone);
  const reference = { instant: ctx.now, timezone: refOffset };
  // Both languages parse; the longest reading of each span wins ("the day after tomorrow at 9am", not "9am").
  const candidates = parsersFor(opts.locale).flatMap((parser, rank) => parser.parse(blanked, reference, { forwardDate: true }).map((r) => ({ r, rank })));
  candidates.sort((a, b) => b.r.text.length - a.r.text.length || a.rank - b.rank);
  const taken: boolean[] = new Array<boolean>(text.length).fill(false);
  const mentions: DateMention[] = [];
  for (const { r } of candidates) {
    // "por 30 minutos", "for an hour" say how long, not when; so does a bare "45 minute call" or "de 45 minutos":
    // only "en 45 minutos", "in 2 hours", "dentro de…" make an amount of time an offset from now (issue 16).
    if (DURATION_LEAD.test(foldKeepLength(r.text))) continue;
    if (BARE_AMOUNT.test(foldKeepLength(r.text).trim()) && !OFFSET_LEAD.test(foldKeepLength(blanked.slice(0, r.index)))) continue;
    // "send the minutes to Pedro": the minutes of a meeting, not the present minute.
    if (/^(?:(?:the|this|these|el|la|los|las|este|esta)\s+)?(?:minutes?|seconds?|minutos?|segundos?)$/.test(foldKeepLength(r.text).trim())) continue;
    if (taken.slice(r.index, r.index + r.text.length).some(Boolean)) continue;
    // "the month-end close", "la semana-tipo": a date word joined to the next by a hyphen is part of a compound noun.
    if (/^-\p{L}/u.test(blanked.slice(r.index + r.text.length))) continue;
    // One word of digits and letters that is no time or ordinal ("21313d", "23d58d" in a code) says no date.
    if (/^(?=\S*\d)(?=\S*[a-z])[0-9a-z]+$/i.test(r.text) && !/^\d{1,2}(?::\d\d)?(?:am|pm|h|st|nd|rd|th)$/i.test(r.text)) continue;
    // Inside a word: chrono's word edges are ASCII, so "María" reads as "Mar[zo]" and a name's first letters as a month or weekday.
    if (NON_ASCII_LETTER.test(blanked[r.index + r.text.length] ?? '') || NON_ASCII_LETTER.test(blanked[r.index - 1] ?? '')) continue;
    for (let i = r.index; i < r.index + r.text.length; i++) taken[i] = true;
    const mention = resolve(text, r, marks, ctx, refOffset, opts.sameTime);
    // A rewritten time ("diez" → "10  ") is claimed whole: the padding's letters belong to the mention.
    let end = mention.index + mention.length;
    while (end < text.length && blanked[end] === ' ' && text[end] !== ' ') end++;
    mention.length = end - mention.index;
    mentions.push(mention);
  }
  for (const r of ranges) mentions.push(rangeMention(r, marks, ctx));
  mentions.push(...numbered);
  return mentions.sort((a, b) => a.index - b.index);
}

const WEEKDAY_NUMBERS: Record<string, number> = { domingo: 0, lunes: 1, martes: 2, miercoles: 3, jueves: 4, viernes: 5, sabado: 6, sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };
/** "el viernes 18", "friday the 18th", "el jueves día 14": a weekday and a day of the month, which chrono reads as the weekday alone. */
const WEEKDAY_NUMBER = /\b(lunes|martes|miercoles|jueves|viernes|sabado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+(the\s+|dia\s+)?(\d{1,2})(st|nd|rd|th)?\b/g;
/** What may follow the number for it to be a day rather than an hour ("el martes 10 con Ana" may be 10 o'clock). */
const DAY_NUMBER_THEN = /^\s*(?:[,.;!?]|$|(?:,\s*)?(?:a las?|at|a la|de la manana|por la|in the|from|de \d|desde)\b)/;

/**
 * A weekday with a day of the month (issue 16): the next date with that day number that falls on that weekday
 * within three months, else the next date with that number (the reply states the date, so the user can correct it).
 * Wall-clock noon, no time of day: an hour said apart joins it later.
 */
function weekdayNumbers(blanked: string, ctx: NowContext): DateMention[] {
  const folded = foldKeepLength(blanked);
  const today = zonedParts(ctx.now, ctx.timezone);
  const found: DateMention[] = [];
  for (const m of folded.matchAll(WEEKDAY_NUMBER)) {
    const [, weekday = '', lead, number = '', ordinal] = m;
    const day = Number(number);
    const end = m.index + m[0].length;
    if (day < 1 || day > 31 || (!lead && !ordinal && !DAY_NUMBER_THEN.test(folded.slice(end)))) continue;
    const candidates = Array.from({ length: 13 }, (_, k) => new Date(Date.UTC(today.year, today.month - 1 + k, day, 12))).filter((d) => d.getUTCDate() === day && (d.getUTCMonth() !== today.month - 1 || d.getUTCFullYear() !== today.year || day >= today.day));
    const within = candidates.slice(0, 4).find((d) => d.getUTCDay() === WEEKDAY_NUMBERS[weekday]);
    const chosen = within ?? candidates[0];
    if (!chosen) continue;
    const start = fromZoned({ year: chosen.getUTCFullYear(), month: chosen.getUTCMonth() + 1, day, hour: 12, minute: 0, second: 0 }, ctx.timezone);
    found.push({ index: m.index, length: m[0].length, start, hasTime: false, hasDay: true });
  }
  return found;
}

/** "el día 15", "el 16 a las 10", "on the 15th", "the 3rd at 9": a day of the month without its month or weekday. */
const DAY_NUMBER = /\b(?:(?:el|the|on(?:\s+the)?)\s+)(dia\s+)?(\d{1,2})(st|nd|rd|th)?\b/g;
const MONTH_AFTER = /^\s*(?:de|of|del)?\s*(?:ene|feb|mar|abr|may|jun|jul|ago|sep|set|oct|nov|dic|jan|apr|aug|dec|mes|month)|^\s*(?:[/%.:-]\s*\d|de\s+\d{4})/;

/**
 * A day of the month said alone (issue 16): the next date with that number, today included, at wall-clock noon and
 * without a time of day (an hour said apart joins it later), like `weekdayNumbers`. Without "día" or an ordinal the
 * number must stand where a day does ("el 16 a las 10", "el 16?"), so "el 2 de 3" or "el 10%" say no day.
 */
function dayNumbers(blanked: string, ctx: NowContext): DateMention[] {
  const folded = foldKeepLength(blanked);
  const today = zonedParts(ctx.now, ctx.timezone);
  const found: DateMention[] = [];
  for (const m of folded.matchAll(DAY_NUMBER)) {
    const [, dia, number = '', ordinal] = m;
    const day = Number(number);
    const after = folded.slice(m.index + m[0].length);
    if (day < 1 || day > 31 || MONTH_AFTER.test(after) || (!dia && !ordinal && !DAY_NUMBER_THEN.test(after))) continue;
    const chosen = Array.from({ length: 13 }, (_, k) => new Date(Date.UTC(today.year, today.month - 1 + k, day, 12))).find(
      (d) => d.getUTCDate() === day && (d.getUTCMonth() !== today.month - 1 || d.getUTCFullYear() !== today.year || day >= today.day),
    );
    if (!chosen) continue;
    const start = fromZoned({ year: chosen.getUTCFullYear(), month: chosen.getUTCMonth() + 1, day, hour: 12, minute: 0, second: 0 }, ctx.timezone);
    found.push({ index: m.index, length: m[0].length, start, hasTime: false, hasDay: true });
  }
  return found;
}

/** "el último día del mes", "a final de mes", "on the last day of the month", "end of the month": this month's last day. */
const MONTH_END = /\b(?:(?:el\s+)?ultimo\s+dia\s+del?\s+mes|(?:a\s+|para\s+)?(?:final(?:es)?|fin)\s+de(?:l)?\s+mes|(?:on\s+)?(?:the\s+)?(?:last\s+day|end)\s+of\s+(?:the|this)\s+month|(?:at|by)\s+month[\s-]end)\b/g;

function monthEnds(blanked: string, ctx: NowContext): DateMention[] {
  const today = zonedParts(ctx.now, ctx.timezone);
  const last = new Date(Date.UTC(today.year, today.month, 0)).getUTCDate();
  const start = fromZoned({ year: today.year, month: today.month, day: last, hour: 12, minute: 0, second: 0 }, ctx.timezone);
  return [...foldKeepLength(blanked).matchAll(MONTH_END)].map((m) => ({ index: m.index, length: m[0].length, start, hasTime: false, hasDay: true }));
}

/** A range of hours said without a day ("de 15 a 16:30"): the next such start, and its end; the day said apart joins it later. */
function rangeMention(r: HourRange, marks: readonly Mark[], ctx: NowContext): DateMention {
  const pm = marks.find((m) => m.kind === 'pm' && m.index >= r.index + r.length && m.index <= r.index + r.length + 2);
  const today = zonedParts(ctx.now, ctx.timezone);
  let start = fromZoned({ ...today, hour: Math.floor(r.start / 60), minute: r.start % 60, second: 0 }, ctx.timezone);
  if (start.getTime() <= ctx.now.getTime()) start = fromZoned({ ...today, day: today.day + 1, hour: Math.floor(r.start / 60), minute: r.start % 60, second: 0 }, ctx.timezone);
  const length = (pm ? pm.index + pm.length : r.index + r.length) - r.index;
  return { index: r.index, length, start, end: new Date(start.getTime() + (r.end - r.start) * 60_000), hasTime: true, hasDay: false, endHasTime: true };
}

function resolve(text: string, r: chrono.ParsedResult, marks: readonly Mark[], ctx: NowContext, refOffset: number, sameTime?: TimeOfDay): DateMention {
  let index = r.index;
  let end = r.index + r.text.length;
  // Marks touching the match belong to it: "pasado [mañana]", "[a las 3] de la tarde".
  const near = marks.filter((m) => m.index + m.length >= index - 2 && m.index <= end + 2);
  for (const m of near) {
    index = Math.min(index, m.index);
    end = Math.max(end, m.index + m.length);
  }
  const kinds = new Set(near.map((m) => m.kind));
  const matched = foldKeepLength(text.slice(index, end));
  let hasTime = r.start.isCertain('hour') || NAMED_TIMES.test(matched);
  const parts = partsAtOffset(r.start.date(), refOffset);
  if (kinds.has('plusDay')) parts.day += 1;
  if (kinds.has('sameTime')) {
    const t = sameTime ?? zonedParts(ctx.now, ctx.timezone);
    parts.hour = t.hour;
    parts.minute = t.minute;
    parts.second = 0;
    hasTime = true;
  } else if (kinds.has('pm') && parts.hour < 12) parts.hour += 12;
  else if (hasTime && !kinds.has('am') && !r.start.isCertain('meridiem') && parts.hour >= 1 && parts.hour <= 6) parts.hour += 12;
  if (!hasTime) Object.assign(parts, { hour: 12, minute: 0, second: 0 });
  const hasDay = r.start.isCertain('day') || r.start.isCertain('weekday') || kinds.has('plusDay');
  // A weekday alone ("el lunes", "on Monday") is the next such day, never today (issue 16).
  // A range ("from monday to friday") keeps today as its first day.
  if (r.start.isCertain('weekday') && !r.start.isCertain('day') && !kinds.has('plusDay') && !r.end) {
    const today = zonedParts(ctx.now, ctx.timezone);
    if (parts.year === today.year && parts.month === today.month && parts.day === today.day) parts.day += 7;
  }
  if (kinds.has('nextWeek') && r.start.isCertain('weekday') && !r.start.isCertain('day')) Object.assign(parts, inNextWeek(parts, ctx));
  const start = fromZoned(parts, ctx.timezone);
  const mention: DateMention = { index, length: end - index, start, hasTime, hasDay };
  if (r.end) {
    mention.end = fromZoned(partsAtOffset(r.end.date(), refOffset), ctx.timezone);
    mention.endHasTime = r.end.isCertain('hour');
  }
  return mention;
}

/** The weekday read (the next such day) moved into next week (Monday to Sunday) when it falls in this one. */
function inNextWeek(parts: ZonedParts, ctx: NowContext): Pick<ZonedParts, 'year' | 'month' | 'day'> {
  const today = zonedParts(ctx.now, ctx.timezone);
  const dayNumber = (y: number, m: number, d: number) => Math.floor(Date.UTC(y, m - 1, d) / 86_400_000);
  const todayNumber = dayNumber(today.year, today.month, today.day);
  const isoWeekday = ((new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay() + 6) % 7) + 1;
  const nextMonday = todayNumber + 8 - isoWeekday;
  const said = dayNumber(parts.year, parts.month, parts.day);
  const moved = new Date((said < nextMonday ? said + 7 : said) * 86_400_000);
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** The first time of day said in `text`, for "a la misma hora" in a later message. */
export function timeOfDayIn(text: string, ctx: NowContext): TimeOfDay | undefined {
  const withTime = findDates(text, ctx).find((d) => d.hasTime);
  if (!withTime) return undefined;
  const p = zonedParts(withTime.start, ctx.timezone);
  return { hour: p.hour, minute: p.minute };
}
