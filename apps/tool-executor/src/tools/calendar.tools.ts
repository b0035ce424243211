import { Injectable } from '@nestjs/common';
import { ErpRepository, type CalendarEvent } from './erp.repository.js';
import { iso, num, str, type ToolArgs, type ToolCallContext, type ToolOutput } from './tool-call.js';
import { closest, ToolFailure } from './tool-failure.js';

const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;
const view = (e: CalendarEvent) => ({ eventId: e.id, title: e.title, startsAt: iso(e.startsAt), endsAt: iso(e.endsAt) });

/** Calendar tools: events are found by id or title, and no two events of one user overlap. */
@Injectable()
export class CalendarTools {
  constructor(private readonly erp: ErpRepository) {}

  async createCalendarEvent(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const start = new Date(str(args, 'startsAt')!);
    const end = new Date(start.getTime() + (num(args, 'durationMinutes') ?? 60) * MINUTE);
    await this.checkSlot(c, start, end);
    return view(await this.erp.insertEvent(c.db, c.tenantId, c.userId, str(args, 'title')!.trim(), start, end));
  }

  async updateCalendarEvent(args: ToolArgs, c: ToolCallContext): Promise<ToolOutput> {
    const event = await this.resolve(c, str(args, 'event')!);
    const startsAt = str(args, 'startsAt');
    const start = startsAt ? new Date(startsAt) : event.startsAt;
    const minutes = num(args, 'durationMinutes') ?? (event.endsAt.getTime() - event.startsAt.getTime()) / MINUTE;
    const end = new Date(start.getTime() + minutes * MINUTE);
    await this.checkSlot(c, start, end, event.id);
    return view(await this.erp.updateEvent(c.db, c.tenantId, event.id, str(args, 'title')?.trim() ?? event.title, start, end));
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

  private async checkSlot(c: ToolCallContext, start: Date, end: Date, except?: string): Promise<void> {
    if (start.getTime() < c.now.getTime()) {
      throw new ToolFailure('FAILED_PRECONDITION', `${iso(start)} is in the past`, `choose a time after ${iso(c.now)}`, 'startsAt');
    }
    const clashes = await this.erp.overlapping(c.db, c.tenantId, c.userId, start, end, except);
    if (clashes.length === 0) return;
    const free = this.nextFreeSlot(await this.erp.eventsBetween(c.db, c.tenantId, c.userId, start, new Date(start.getTime() + WEEK)), start, end.getTime() - start.getTime(), except);
    throw new ToolFailure('FAILED_PRECONDITION', `overlaps with "${clashes[0]!.title}" (${iso(clashes[0]!.startsAt)} to ${iso(clashes[0]!.endsAt)})`, `the next free slot starts at ${iso(free)}`, 'startsAt');
  }

  /** The first start at or after `from` where an event of this length fits between the others. */
  private nextFreeSlot(events: CalendarEvent[], from: Date, lengthMs: number, except?: string): Date {
    let candidate = from.getTime();
    for (const e of events.filter((x) => x.id !== except)) {
      if (e.startsAt.getTime() >= candidate + lengthMs) break;
      if (e.endsAt.getTime() > candidate) candidate = e.endsAt.getTime();
    }
    return new Date(candidate);
  }

  private async resolve(c: ToolCallContext, ref: string): Promise<CalendarEvent> {
    const event = await this.erp.event(c.db, c.tenantId, c.userId, ref);
    if (event) return event;
    const titles = closest(await this.erp.eventTitles(c.db, c.tenantId, c.userId), ref);
    throw new ToolFailure('NOT_FOUND', `no event "${ref}"`, titles.length > 0 ? `your events: ${titles.join(', ')}` : 'list your events with listCalendarEvents', 'event');
  }
}
