// The evaluation cases (eval/assistant/*.jsonl) and how their relative instants resolve.
// Each file starts with a header line ({"header": true, "lang", "tz", "note"}); every other line is a case.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { foldName } from '@spine/tool-catalog';

export interface SetupEvent {
  title: string;
  start: string;
  minutes: number;
}

export interface BusyEvent extends SetupEvent {
  /** A user of the tenant (fixtures), whose calendar holds the event. */
  user: string;
}

export interface SetupTask {
  title: string;
  project: string;
  due: string;
  /** A user of the tenant (fixtures) who created it; default: the case's own user. */
  createdBy?: string;
}

export interface EvalCase {
  id: string;
  file: string;
  lang: 'es' | 'en';
  tz: string;
  /** What the user writes, one message per turn; the expectations are about the last one. */
  turns: string[];
  /** Expected route; FLOW_EXECUTION whenever a tool is expected. */
  route: string;
  tool?: string;
  /** Expected arguments as the tool stores them (names canonical, instants relative: see resolveInstant). */
  args?: Record<string, unknown>;
  /** Expected question: the fields it asks for. */
  ask?: string[];
  /** The request must be refused (a business rule or a permission), nothing stored. */
  refused?: boolean;
  as: 'admin' | 'client';
  setup: SetupEvent[];
  attendeeBusy: BusyEvent[];
  setupTasks: SetupTask[];
}

interface Header {
  lang?: string;
  tz?: string;
}

/** Every case of every *.jsonl in `dir`, `{tag}` replaced by `tag` (names unique per run). */
export function loadCases(dir: string, tag: string): EvalCase[] {
  const cases: EvalCase[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    let header: Header = {};
    const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l.trim());
    for (const line of lines) {
      const raw = JSON.parse(line.replaceAll('{tag}', tag)) as Record<string, unknown>;
      if (raw['header']) {
        header = raw as Header;
        continue;
      }
      const turns = Array.isArray(raw['turns']) ? (raw['turns'] as string[]) : [String(raw['say'])];
      const tool = raw['tool'] as string | undefined;
      cases.push({
        id: String(raw['id']),
        file,
        lang: ((raw['lang'] as string | undefined) ?? header.lang) === 'en' ? 'en' : 'es',
        tz: (raw['tz'] as string | undefined) ?? header.tz ?? 'Europe/Madrid',
        turns,
        route: (raw['route'] as string | undefined) ?? 'FLOW_EXECUTION',
        ...(tool ? { tool } : {}),
        ...(raw['args'] ? { args: raw['args'] as Record<string, unknown> } : {}),
        ...(raw['ask'] ? { ask: raw['ask'] as string[] } : {}),
        ...(raw['refused'] ? { refused: true } : {}),
        as: raw['as'] === 'client' ? 'client' : 'admin',
        setup: (raw['setup'] as SetupEvent[] | undefined) ?? [],
        attendeeBusy: (raw['attendeeBusy'] as BusyEvent[] | undefined) ?? [],
        setupTasks: (raw['setupTasks'] as SetupTask[] | undefined) ?? [],
      });
    }
  }
  assertNoCollisions(cases);
  return cases;
}

/**
 * Two cases that store the same project name or user email: the later one meets ALREADY_EXISTS and scores a miss the
 * assistant did not make (it happened three times when new sets were added). Refuse the set instead.
 */
function assertNoCollisions(cases: readonly EvalCase[]): void {
  const seen = new Map<string, string>();
  for (const c of cases) {
    const value = c.tool === 'createProject' ? c.args?.['name'] : c.tool === 'createUser' ? c.args?.['email'] : undefined;
    if (typeof value !== 'string' || c.refused) continue;
    const key = `${c.tool}:${foldName(value)}`;
    const other = seen.get(key);
    if (other) throw new Error(`eval cases ${other} and ${c.id} both store ${c.tool === 'createProject' ? 'the project' : 'the user'} ${value}: give one a name of its own`);
    seen.set(key, c.id);
  }
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Wall {
  y: number;
  m: number;
  d: number;
  hour: number;
  minute: number;
}

function wallOf(instant: Date, tz: string): Wall & { weekday: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23', weekday: 'short' })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return { y: Number(parts['year']), m: Number(parts['month']), d: Number(parts['day']), hour: Number(parts['hour']), minute: Number(parts['minute']), weekday: WEEKDAYS.indexOf(String(parts['weekday']).toLowerCase().slice(0, 3)) };
}

/** The instant at a wall-clock time in `tz` (day overflow allowed: d = 32 rolls over). */
export function fromWall(w: Wall, tz: string): Date {
  const utc = Date.UTC(w.y, w.m - 1, w.d, w.hour, w.minute);
  let guess = utc;
  for (let i = 0; i < 3; i++) {
    const seen = wallOf(new Date(guess), tz);
    guess += utc - Date.UTC(seen.y, seen.m - 1, seen.d, seen.hour, seen.minute);
  }
  return new Date(guess);
}

/**
 * An expected instant, relative to `now` in `tz`:
 * "D+1 10:00" (days from today), "WD:fri 09:00" (the next Friday, after today; "WD:mon+6 23:59" six days after the next
 * Monday, i.e. next week's Sunday), "WD-:mon 00:00" (the last Monday,
 * today included), "MD:01-20 23:59" (the next 20 January, today included), "NEXT 09:00" (the next 9:00),
 * "WEEKEND 23:59" (the coming Sunday, today included), "DOM:15 10:00" (the next 15th of a month, today included),
 * "EOM 12:00" (the last day of this month).
 */
export function resolveInstant(spec: string, now: Date, tz: string): Date {
  const today = wallOf(now, tz);
  const m = /^(\S+)\s+(\d{1,2}):(\d{2})$/.exec(spec.trim());
  if (!m) throw new Error(`bad instant spec ${JSON.stringify(spec)}`);
  const [, day = '', hh = '0', mm = '0'] = m;
  const time = { hour: Number(hh), minute: Number(mm) };
  const at = (offset: number) => fromWall({ y: today.y, m: today.m, d: today.d + offset, ...time }, tz);
  let r: RegExpExecArray | null;
  if ((r = /^D([+-]\d+)$/.exec(day))) return at(Number(r[1]));
  if ((r = /^WD:(\w{3})(?:\+(\d+))?$/.exec(day))) return at((((WEEKDAYS.indexOf(r[1]!) - today.weekday + 7) % 7) || 7) + Number(r[2] ?? 0));
  if ((r = /^WD-:(\w{3})$/.exec(day))) return at(-((today.weekday - WEEKDAYS.indexOf(r[1]!) + 7) % 7));
  if (day === 'WEEKEND') return at((7 - today.weekday) % 7);
  if (day === 'NEXT') {
    const t = at(0);
    return t.getTime() > now.getTime() ? t : at(1);
  }
  if ((r = /^DOM:(\d{1,2})$/.exec(day))) {
    const date = Number(r[1]);
    return date >= today.d ? fromWall({ y: today.y, m: today.m, d: date, ...time }, tz) : fromWall({ y: today.y, m: today.m + 1, d: date, ...time }, tz);
  }
  if (day === 'EOM') return fromWall({ y: today.y, m: today.m + 1, d: 0, ...time }, tz);
  if ((r = /^MD:(\d{2})-(\d{2})$/.exec(day))) {
    const [month, date] = [Number(r[1]), Number(r[2])];
    const thisYear = fromWall({ y: today.y, m: month, d: date, ...time }, tz);
    const passed = month < today.m || (month === today.m && date < today.d);
    return passed ? fromWall({ y: today.y + 1, m: month, d: date, ...time }, tz) : thisYear;
  }
  throw new Error(`bad instant spec ${JSON.stringify(spec)}`);
}
