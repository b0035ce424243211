import { foldKeepLength } from './text.js';
import { fromZoned, zonedParts } from './zoned-time.js';

export interface WeekWindow {
  /** Monday 00:00 of the week said. */
  monday: Date;
  /** Sunday 23:59:59 of the week said. */
  sunday: Date;
  /** Whether it is the current week ("esta semana"), as opposed to the next ("next week") or the last ("la semana pasada"). */
  current: boolean;
}

const NEXT_WEEK = /\b(?:(?:la|a la) semana que viene|(?:la )?proxima semana|(?:la )?semana (?:que viene|proxima)|la otra semana|next week)\b/;
const LAST_WEEK = /\b(?:(?:la )?semana pasad[ao]|(?:la )?semana anterior|last week|past week|previous week|last week's)\b/;
const THIS_WEEK = /\b(?:esta semana|(?:de|en|para|durante) (?:la|esta) semana|(?:this|the) week|this week's|week's|this wk)\b/;

const DAY_MS = 24 * 3600_000;

/**
 * The week a task filter speaks of: "esta semana", "de la semana", "this week", "this week's", "la semana que
 * viene", "next week"; weeks run Monday to Sunday in the user's zone. Chrono reads none of the Spanish ones.
 */
export function weekWindow(text: string, now: Date, timezone: string): WeekWindow | undefined {
  const folded = foldKeepLength(text);
  const next = NEXT_WEEK.test(folded);
  const last = !next && LAST_WEEK.test(folded);
  if (!next && !last && !THIS_WEEK.test(folded)) return undefined;
  const today = zonedParts(now, timezone);
  // Noon of the zoned day, so adding whole days never crosses a DST edge into the wrong date.
  const noon = fromZoned({ ...today, hour: 12, minute: 0, second: 0 }, timezone);
  const weekday = (new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay() + 6) % 7;
  const mondayNoon = new Date(noon.getTime() - weekday * DAY_MS + (next ? 7 * DAY_MS : last ? -7 * DAY_MS : 0));
  const sundayNoon = new Date(mondayNoon.getTime() + 6 * DAY_MS);
  return { monday: edge(mondayNoon, timezone, 'start'), sunday: edge(sundayNoon, timezone, 'end'), current: !next && !last };
}

/** 00:00 or 23:59:59 of the zoned day of `instant`. */
export function edge(instant: Date, timezone: string, at: 'start' | 'end'): Date {
  const p = zonedParts(instant, timezone);
  return fromZoned(at === 'start' ? { ...p, hour: 0, minute: 0, second: 0 } : { ...p, hour: 23, minute: 59, second: 59 }, timezone);
}
