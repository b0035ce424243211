import type { DateMention } from './dates.js';
import type { Found } from './fields.js';

/**
 * Amounts of time and ranges of hours, which chrono misreads: "a 1 hour sync" is no "a la 1", "de 2h" no 2 o'clock,
 * and chrono's Spanish parser does not read "de 15 a 16:30". Both work on folded text (see `foldKeepLength`). Also the
 * length a range gives and the window a week names, for the slot extractor.
 */

/** A number and a unit of time: "45 min", "2 horas", "1h", "15-minute". */
const AMOUNT = /\b\d+(?:[.,]\d+)?\s*-?\s*(?:horas?|hours?|hrs?|minutos?|minutes?|mins?|h)\b/g;
/** Only these words make an amount of time an offset from now: "en 2 horas", "in 30 minutes". */
const OFFSET_LEAD = /\b(?:en|in|within|dentro de)\s*$/;
/** "1h" is a length after an article or a word of duration ("de 2h", "a 1h sync", "for 1h"), else a time ("13h"). */
const LENGTH_LEAD = /\b(?:an?|de|for|por|durante|of|lasting|una?)\s*$/;

/** Spans that say how long, never when: blanked before chrono reads the text (same length, so indexes hold). */
export function durationSpans(folded: string): Array<{ index: number; length: number }> {
  const spans: Array<{ index: number; length: number }> = [];
  for (const m of folded.matchAll(AMOUNT)) {
    const before = folded.slice(0, m.index);
    if (OFFSET_LEAD.test(before)) continue;
    // "de 9h a 11h" is a range of hours: neither "de 9h" nor "a 11h" is a length.
    const after = folded.slice(m.index + m[0].length);
    if (/\dh$/.test(m[0]) && (!LENGTH_LEAD.test(before) || /\d(?::\d\d|h)?\s+a\s*$/.test(before) || /^\s*(?:a|to|hasta|-)\s*(?:las?\s+)?\d/.test(after))) continue;
    // "de 1 a 2 horas", "30-45 minutes": the lower bound is a length too.
    const lower = /\d+(?:[.,]\d+)?\s*(?:a|to|-|o|or)\s*$/.exec(before);
    const index = lower ? lower.index : m.index;
    spans.push({ index, length: m.index + m[0].length - index });
  }
  return spans;
}

export interface HourRange {
  index: number;
  length: number;
  /** Minutes after midnight, wall clock. */
  start: number;
  end: number;
}

const HOUR = String.raw`(?:las?\s+)?(\d{1,2})(?::(\d{2})|:(?!\d))?(?:\s*(am|pm|h))?`;
const MONTH_NEXT = /^\s*(?:de\s+|of\s+)?(?:ene|feb|mar|abr|may|jun|jul|ago|sep|set|oct|nov|dic|jan|apr|aug|dec)\w*|^\s*(?:de\s+)?\d|^\s*\/|^\s*(?:personas|people|dias|days|horas?|hours?|hrs?|minutos?|minutes?|mins?)\b/;
const RANGE = new RegExp(String.raw`\b(?:de|desde|entre|from|between)\s+${HOUR}\s*(?:a|hasta|y|to|till|until|and|-)\s+${HOUR}(?![a-z0-9])`, 'g');

function minutesOf(hour: number, minute: number, meridiem: string | undefined, pm: boolean): number {
  let h = hour;
  if (meridiem === 'pm' || pm) h = h < 12 ? h + 12 : h;
  else if (meridiem === 'am') h = h === 12 ? 0 : h;
  // An hour from 1 to 6 with no am/pm is office hours, as for a single time.
  else if (h >= 1 && h <= 6) h += 12;
  return h * 60 + minute;
}

/**
 * "de 15 a 16:30", "from 3 to 4:30pm", "entre las 9 y las 11", "de 3 a 5 de la tarde" (`pmAfter` says where a
 * "de la tarde" was read): the start and end of each range of hours, wall clock, in minutes after midnight.
 */
export function hourRanges(folded: string, pmAt: (index: number) => boolean): HourRange[] {
  const ranges: HourRange[] = [];
  for (const m of folded.matchAll(RANGE)) {
    const end = m.index + m[0].length;
    if (MONTH_NEXT.test(folded.slice(end))) continue;
    const [h1, m1, mer1, h2, m2, mer2] = [Number(m[1]), Number(m[2] ?? 0), m[3], Number(m[4]), Number(m[5] ?? 0), m[6]];
    if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59) continue;
    const pm = pmAt(end);
    const last = minutesOf(h2, m2, mer2, pm);
    // "from 3 to 4:30pm": the end's pm is the start's too when that keeps the start before the end.
    const startPm = !mer1 && (mer2 === 'pm' || pm) && h1 < 12 && (h1 + 12) * 60 + m1 <= last;
    const first = minutesOf(h1, m1, mer1 === 'h' ? undefined : mer1, startPm);
    ranges.push({ index: m.index, length: m[0].length, start: first, end: last > first ? last : last + 24 * 60 });
  }
  return ranges;
}

/** "de 15 a 16:30", "from 3 to 4:30pm": a range of hours says how long, 90 minutes. */
export function rangeLength(dates: readonly DateMention[]): Found<number> | undefined {
  const range = dates.find((d) => d.hasTime && d.endHasTime && d.end && d.end.getTime() > d.start.getTime());
  const minutes = range?.end ? Math.round((range.end.getTime() - range.start.getTime()) / 60_000) : 0;
  return range && minutes < 24 * 60 ? { value: minutes, index: range.index, length: range.length } : undefined;
}
