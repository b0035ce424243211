import { Injectable } from '@nestjs/common';
import { matchName } from '@spine/tool-catalog';
import { ErpRepository, type CalendarEvent, type CalendarRules } from './erp.repository.js';
import { iso, num, str, type ToolArgs, type ToolCallContext, type ToolOutput } from './tool-call.js';
import { closest, ToolFailure } from './tool-failure.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WEEK = 7 * DAY;
/** How far ahead the next valid slot is looked for. */
const SEARCH_DAYS = 14;
const view = (e: CalendarEvent) => ({ eventId: e.id, title: e.title, startsAt: iso(e.startsAt), endsAt: iso(e.endsAt) });

interface Attendee {
  id: string;
  name: string;
}

/** "martes, 8 de diciembre, 15:00" / "Tuesday, December 8, 15:00": local time in the user's zone, never an instant. */
export function localTime(instant: Date, c: Pick<ToolCallContext, 'timezone' | 'locale'>): string {
  return new Intl.DateTimeFormat(c.locale === 'en' ? 'en-US' : 'es-ES', { timeZone: c.timezone, weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Wall-clock parts of an instant in a zone: ISO weekday (1 Monday … 7 Sunday) and minutes after midnight. */
function wall(instant: Date, timezone: string): { weekday: number; minute: number; dayStart: Date } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(String(parts['weekday'])) + 1;
  const minute = Number(parts['hour']) * 60 + Number(parts['minute']);
  const dayStart = new Date(instant.getTime() - (minute * 60 + Number(parts['second'])) * 1000 - instant.getUTCMilliseconds());
  return { weekday, minute, dayStart };
}

/**
 * Calendar tools (seed 003 §2.2): events are found by id or title; attendees are users of the tenant; an event must
 * fit the tenant's working hours, and no two events of the owner or of any attendee overlap (with the tenant's
 * buffer between them). A refusal names the clash and the next valid slot, in the user's local time and language.
 */
@Injectable()
export class CalendarTools {
  constructor(private readonly erp: ErpRepository) {}

  async createCalendarEvent(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const start = new Date(str(args, 'startsAt')!);
    const length = (num(args, 'durationMinutes') ?? 60) * MINUTE;
    const attendees = await this.attendees(c, args['attendees']);
    await this.checkSlot(c, start, length, attendees);
    const event = await this.erp.insertEvent(
      c.db,
      c.tenantId,
      c.userId,
      str(args, 'title')!.trim(),
      start,
      new Date(start.getTime() + length),
      attendees.map((a) => a.id),
    );
    return { ...view(event), ...(attendees.length ? { attendees: attendees.map((a) => a.name) } : {}) };
  }

  async updateCalendarEvent(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const event = await this.resolve(c, str(args, 'event')!);
    const startsAt = str(args, 'startsAt');
    const start = startsAt ? new Date(startsAt) : event.startsAt;
    const minutes = num(args, 'durationMinutes') ?? (event.endsAt.getTime() - event.startsAt.getTime()) / MINUTE;
    const attendees = (await this.erp.usersByIds(c.db, c.tenantId, event.attendeeIds)).map((u) => ({ id: u.id, name: u.name }));
    if (startsAt || num(args, 'durationMinutes') !== undefined) await this.checkSlot(c, start, minutes * MINUTE, attendees, event.id);
    return view(await this.erp.updateEvent(c.db, c.tenantId, event.id, str(args, 'title')?.trim() ?? event.title, start, new Date(start.getTime() + minutes * MINUTE)));
  }

  async listCalendarEvents(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const from = str(args, 'from') ? new Date(str(args, 'from')!) : c.now;
    const to = str(args, 'to') ? new Date(str(args, 'to')!) : new Date(from.getTime() + WEEK);
    if (to <= from) throw new ToolFailure('INVALID_ARGUMENT', '"to" must be after "from"', 'swap the two instants', 'to');
    const events = await this.erp.eventsBetween(c.db, c.tenantId, c.userId, from, to);
    return { count: events.length, events: events.map(view) };
  }

  async deleteCalendarEvent(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const event = await this.resolve(c, str(args, 'event')!);
    await this.erp.deleteEvent(c.db, c.tenantId, event.id);
    return { deleted: true, ...view(event) };
  }

  /** Each attendee said ("Ana", "pedro", an email) as the one tenant user it names; anyone else is refused. */
  private async attendees(c: ToolCallContext, said: unknown): Promise<Attendee[]> {
    if (!Array.isArray(said) || said.length === 0) return [];
    const found: Attendee[] = [];
    const names = await this.erp.userNames(c.db, c.tenantId);
    for (const ref of said.filter((x): x is string => typeof x === 'string' && x.trim() !== '')) {
      const user = (await this.erp.user(c.db, c.tenantId, ref)) ?? (await this.byName(c, names, ref));
      if (!user) {
        const near = closest(names, ref);
        const es = c.locale === 'es';
        throw new ToolFailure(
          'NOT_FOUND',
          es ? `no encuentro a «${ref}» entre los usuarios de la empresa` : `I can't find "${ref}" among the company's users`,
          near.length ? (es ? `¿Te refieres a ${near.join(', ')}?` : `Did you mean ${near.join(', ')}?`) : es ? 'Un administrador puede darlo de alta.' : 'An admin can add them.',
          'attendees',
        );
      }
      if (!found.some((f) => f.id === user.id)) found.push({ id: user.id, name: user.name });
    }
    return found;
  }

  private async byName(c: ToolCallContext, names: readonly string[], ref: string) {
    const name = matchName(names, ref);
    return name === undefined ? undefined : this.erp.user(c.db, c.tenantId, name);
  }

  private async checkSlot(c: ToolCallContext, start: Date, length: number, attendees: readonly Attendee[], except?: string): Promise<void> {
    const es = c.locale === 'es';
    if (start.getTime() < c.now.getTime()) {
      throw new ToolFailure('FAILED_PRECONDITION', es ? `${localTime(start, c)} ya pasó` : `${localTime(start, c)} is in the past`, es ? 'Elige un momento a partir de ahora.' : 'Choose a time from now on.', 'startsAt');
    }
    const rules = await this.erp.calendarRules(c.db, c.tenantId);
    const people = [c.userId, ...attendees.map((a) => a.id)];
    const horizon = new Date(start.getTime() + SEARCH_DAYS * DAY);
    const events = await this.erp.busy(c.db, c.tenantId, people, new Date(start.getTime() - DAY), horizon, except);
    const outside = this.outsideHours(start, length, rules, c.timezone);
    const clash = events.find((e) => overlaps(e, start, length, rules.bufferMinutes));
    if (!outside && !clash) return;
    const next = this.nextValidSlot(events, start, length, rules, c.timezone);
    const suggestion = next ? (es ? `El siguiente hueco libre es el ${localTime(next, c)}.` : `The next free slot is ${localTime(next, c)}.`) : es ? `No hay huecos libres en los próximos ${SEARCH_DAYS} días.` : `There is no free slot in the next ${SEARCH_DAYS} days.`;
    if (outside) {
      const hours = `${hhmm(rules.workStartMinute)}–${hhmm(rules.workEndMinute)}`;
      throw new ToolFailure('FAILED_PRECONDITION', es ? `${localTime(start, c)} queda fuera del horario laboral (${hours}, días laborables)` : `${localTime(start, c)} is outside working hours (${hours}, working days)`, suggestion, 'startsAt');
    }
    const whose = clash!.ownerId === c.userId ? undefined : (attendees.find((a) => a.id === clash!.ownerId || clash!.attendeeIds.includes(a.id))?.name ?? undefined);
    const who = whose ? (es ? ` de ${whose}` : ` in ${whose}'s calendar`) : '';
    throw new ToolFailure(
      'FAILED_PRECONDITION',
      es ? `coincide con «${clash!.title}»${who} (${localTime(clash!.startsAt, c)})` : `it overlaps with "${clash!.title}"${who} (${localTime(clash!.startsAt, c)})`,
      suggestion,
      'startsAt',
    );
  }

  private outsideHours(start: Date, length: number, rules: CalendarRules, timezone: string): boolean {
    const w = wall(start, timezone);
    const endMinute = w.minute + length / MINUTE;
    return !rules.workDays.includes(w.weekday) || w.minute < rules.workStartMinute || endMinute > rules.workEndMinute;
  }

  /** The first start at or after `from` that fits working hours and clears every event (plus the buffer). */
  private nextValidSlot(events: readonly CalendarEvent[], from: Date, length: number, rules: CalendarRules, timezone: string): Date | undefined {
    let candidate = from.getTime();
    const until = from.getTime() + SEARCH_DAYS * DAY;
    for (let step = 0; step < 1000 && candidate < until; step++) {
      const at = new Date(candidate);
      const w = wall(at, timezone);
      const dayOpen = w.dayStart.getTime() + rules.workStartMinute * MINUTE;
      if (!rules.workDays.includes(w.weekday) || w.minute + length / MINUTE > rules.workEndMinute) {
        candidate = wall(new Date(w.dayStart.getTime() + DAY + 2 * 60 * MINUTE), timezone).dayStart.getTime() + rules.workStartMinute * MINUTE;
        continue;
      }
      if (w.minute < rules.workStartMinute) {
        candidate = dayOpen;
        continue;
      }
      const clash = events.find((e) => overlaps(e, at, length, rules.bufferMinutes));
      if (!clash) return at;
      candidate = clash.endsAt.getTime() + rules.bufferMinutes * MINUTE;
    }
    return undefined;
  }

  private async resolve(c: ToolCallContext, ref: string): Promise<CalendarEvent> {
    const event = await this.erp.event(c.db, c.tenantId, c.userId, ref);
    if (event) return event;
    const all = await this.erp.eventTitles(c.db, c.tenantId, c.userId);
    // "la reunión de presupuesto" is the user's one event titled so, whatever the case, accents or article.
    const title = matchName(all, ref.replace(/^(?:la|el|los|las|mi|the|my)\s+/i, ''));
    const found = title === undefined ? undefined : await this.erp.event(c.db, c.tenantId, c.userId, title);
    if (found) return found;
    const titles = closest(all, ref);
    const es = c.locale === 'es';
    throw new ToolFailure(
      'NOT_FOUND',
      es ? `no encuentro el evento «${ref}»` : `I can't find the event "${ref}"`,
      titles.length > 0 ? (es ? `Tus eventos: ${titles.join(', ')}.` : `Your events: ${titles.join(', ')}.`) : es ? 'Puedes pedirme que liste tus eventos.' : 'You can ask me to list your events.',
      'event',
    );
  }
}

function overlaps(e: CalendarEvent, start: Date, length: number, bufferMinutes: number): boolean {
  const buffer = bufferMinutes * MINUTE;
  return e.startsAt.getTime() < start.getTime() + length + buffer && e.endsAt.getTime() + buffer > start.getTime();
}
