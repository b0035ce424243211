export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** True when the runtime knows the IANA zone. */
export function isValidTimezone(timezone: string): boolean {
  try {
    formatter(timezone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of `instant` in `timezone`. */
export function zonedParts(instant: Date, timezone: string): ZonedParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timezone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts['year'] ?? 0, month: parts['month'] ?? 1, day: parts['day'] ?? 1, hour: parts['hour'] ?? 0, minute: parts['minute'] ?? 0, second: parts['second'] ?? 0 };
}

/** Minutes east of UTC in `timezone` at `instant` (-360 for UTC-6). */
export function offsetMinutes(instant: Date, timezone: string): number {
  const p = zonedParts(instant, timezone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant whose wall clock in `timezone` reads `parts` (day overflow allowed: day 32 → next month). */
export function fromZoned(parts: ZonedParts, timezone: string): Date {
  const guess = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const first = guess - offsetMinutes(new Date(guess), timezone) * 60_000;
  // A second pass settles instants near a DST change, where the offset of the guess is not the answer's.
  return new Date(guess - offsetMinutes(new Date(first), timezone) * 60_000);
}

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');

/** ISO 8601 with the zone's offset: "2026-01-27T10:00:00-06:00". */
export function formatInstant(instant: Date, timezone: string): string {
  const p = zonedParts(instant, timezone);
  const off = offsetMinutes(instant, timezone);
  const sign = off < 0 ? '-' : '+';
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.trunc(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/** "2026-01-27" in the zone. */
export function formatDate(instant: Date, timezone: string): string {
  const p = zonedParts(instant, timezone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** "10:00" in the zone. */
export function formatTime(instant: Date, timezone: string): string {
  const p = zonedParts(instant, timezone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}
