import { Injectable } from '@nestjs/common';
import { queryRows, type SqlRunner } from '@spine/persistence';

export interface Project { id: string; name: string; description: string }
export interface User { id: string; name: string; email: string }
export interface Task { id: string; title: string; projectId: string; project: string; dueAt: Date; assigneeId: string | null; priority: string; status: string; createdAt: Date; createdBy: string }
/** What updateTask may change; an absent field keeps its value. */
export interface TaskChange { title?: string; dueAt?: Date; assigneeId?: string; priority?: string }

export interface TaskFilter {
  projectId?: string | undefined;
  assigneeId?: string | undefined;
  /** The caller's own tasks: assigned to their tenant user, or created by them and assigned to nobody. */
  mine?: { userId: string; assigneeId?: string };
  /** Any of these `created_by` values. */
  createdBy?: string[] | undefined;
  status?: string | undefined;
  createdSince?: Date | undefined;
  createdTo?: Date | undefined;
  dueFrom?: Date | undefined;
  dueTo?: Date | undefined;
}
export interface CalendarEvent { id: string; title: string; startsAt: Date; endsAt: Date; attendeeIds: string[] }

/** A tenant's working hours (minutes after local midnight), working days (1 Monday … 7 Sunday) and buffer. */
export interface CalendarRules { workStartMinute: number; workEndMinute: number; workDays: number[]; bufferMinutes: number }

export const DEFAULT_CALENDAR_RULES: CalendarRules = { workStartMinute: 9 * 60, workEndMinute: 18 * 60, workDays: [1, 2, 3, 4, 5], bufferMinutes: 0 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A reference is an id when it looks like one, otherwise a name (case-insensitive). */
const byRef = (idColumn: string, nameColumn: string, ref: string) =>
  UUID.test(ref) ? `${idColumn} = $2::uuid` : `lower(${nameColumn}) = lower($2)`;

const TASK = `t.id, t.title, t.project_id AS "projectId", p.name AS project, t.due_at AS "dueAt", t.assignee_id AS "assigneeId", t.priority, t.status, t.created_at AS "createdAt", t.created_by AS "createdBy"`;
const EVENT = `id, title, starts_at AS "startsAt", ends_at AS "endsAt", attendee_ids AS "attendeeIds"`;

/** ERP tables of the tool-executor, always scoped by tenant; every method runs on the caller's transaction. */
@Injectable()
export class ErpRepository {
  async project(db: SqlRunner, tenant: string, ref: string): Promise<Project | undefined> {
    return (await queryRows<Project>(db, `SELECT id, name, description FROM erp.projects WHERE tenant_id = $1 AND ${byRef('id', 'name', ref)}`, [tenant, ref]))[0];
  }

  async projectNames(db: SqlRunner, tenant: string, limit = 200): Promise<string[]> {
    return (await queryRows<{ name: string }>(db, `SELECT name FROM erp.projects WHERE tenant_id = $1 ORDER BY name LIMIT $2`, [tenant, limit])).map((r) => r.name);
  }

  async insertProject(db: SqlRunner, tenant: string, name: string, description: string): Promise<Project> {
    const rows = await queryRows<Project>(db, `INSERT INTO erp.projects (tenant_id, name, description) VALUES ($1, $2, $3) RETURNING id, name, description`, [tenant, name, description]);
    return rows[0]!;
  }

  async user(db: SqlRunner, tenant: string, ref: string): Promise<User | undefined> {
    const where = ref.includes('@') ? 'lower(email) = lower($2)' : byRef('id', 'name', ref);
    return (await queryRows<User>(db, `SELECT id, name, email FROM erp.users WHERE tenant_id = $1 AND ${where}`, [tenant, ref]))[0];
  }

  async userNames(db: SqlRunner, tenant: string, limit = 200): Promise<string[]> {
    return (await queryRows<{ name: string }>(db, `SELECT name FROM erp.users WHERE tenant_id = $1 ORDER BY name LIMIT $2`, [tenant, limit])).map((r) => r.name);
  }

  async insertUser(db: SqlRunner, tenant: string, name: string, email: string): Promise<User> {
    return (await queryRows<User>(db, `INSERT INTO erp.users (tenant_id, name, email) VALUES ($1, $2, $3) RETURNING id, name, email`, [tenant, name, email]))[0]!;
  }

  async insertTask(db: SqlRunner, tenant: string, t: { projectId: string; title: string; dueAt: Date; assigneeId: string | null; priority: string; createdBy: string }): Promise<string> {
    const rows = await queryRows<{ id: string }>(
      db,
      `INSERT INTO erp.tasks (tenant_id, project_id, title, due_at, assignee_id, priority, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [tenant, t.projectId, t.title, t.dueAt, t.assigneeId, t.priority, t.createdBy],
    );
    return rows[0]!.id;
  }

  async tasks(db: SqlRunner, tenant: string, f: TaskFilter): Promise<Task[]> {
    return queryRows<Task>(
      db,
      `SELECT ${TASK} FROM erp.tasks t JOIN erp.projects p ON p.id = t.project_id
       WHERE t.tenant_id = $1 AND ($2::uuid IS NULL OR t.project_id = $2) AND ($3::uuid IS NULL OR t.assignee_id = $3)
         AND ($4::timestamptz IS NULL OR t.created_at >= $4)
         AND ($5::text IS NULL OR t.assignee_id::text = $6 OR (t.created_by = $5 AND t.assignee_id IS NULL))
         AND ($7::text[] IS NULL OR t.created_by = ANY($7::text[]))
         AND ($8::text IS NULL OR t.status = $8)
         AND ($9::timestamptz IS NULL OR t.due_at >= $9) AND ($10::timestamptz IS NULL OR t.due_at <= $10)
         AND ($11::timestamptz IS NULL OR t.created_at <= $11)
       ORDER BY t.due_at LIMIT 100`,
      [
        tenant,
        f.projectId ?? null,
        f.assigneeId ?? null,
        f.createdSince ?? null,
        f.mine?.userId ?? null,
        f.mine?.assigneeId ?? null,
        f.createdBy ?? null,
        f.status ?? null,
        f.dueFrom ?? null,
        f.dueTo ?? null,
        f.createdTo ?? null,
      ],
    );
  }

  async taskByRef(db: SqlRunner, tenant: string, ref: string): Promise<Task | undefined> {
    const rows = await queryRows<Task>(db, `SELECT ${TASK} FROM erp.tasks t JOIN erp.projects p ON p.id = t.project_id WHERE t.tenant_id = $1 AND ${byRef('t.id', 't.title', ref)} ORDER BY t.status = 'open' DESC, t.created_at DESC LIMIT 1`, [
      tenant,
      ref,
    ]);
    return rows[0];
  }

  async openTaskTitles(db: SqlRunner, tenant: string): Promise<string[]> {
    return (await queryRows<{ title: string }>(db, `SELECT DISTINCT title FROM erp.tasks WHERE tenant_id = $1 AND status = 'open' LIMIT 500`, [tenant])).map((r) => r.title);
  }

  /** Distinct titles of the tenant's open tasks, the newest first. */
  async recentOpenTaskTitles(db: SqlRunner, tenant: string, limit: number): Promise<string[]> {
    const rows = await queryRows<{ title: string }>(db, `SELECT title FROM erp.tasks WHERE tenant_id = $1 AND status = 'open' GROUP BY title ORDER BY max(created_at) DESC LIMIT $2`, [tenant, limit]);
    return rows.map((r) => r.title);
  }

  async completeTask(db: SqlRunner, tenant: string, id: string, at: Date): Promise<void> {
    await db.query(`UPDATE erp.tasks SET status = 'done', completed_at = $3 WHERE tenant_id = $1 AND id = $2`, [tenant, id, at]);
  }

  async updateTask(db: SqlRunner, tenant: string, id: string, ch: TaskChange): Promise<void> {
    await db.query(
      `UPDATE erp.tasks SET title = COALESCE($3, title), due_at = COALESCE($4, due_at), assignee_id = COALESCE($5::uuid, assignee_id), priority = COALESCE($6, priority) WHERE tenant_id = $1 AND id = $2`,
      [tenant, id, ch.title ?? null, ch.dueAt ?? null, ch.assigneeId ?? null, ch.priority ?? null],
    );
  }

  async deleteTask(db: SqlRunner, tenant: string, id: string): Promise<void> {
    await db.query(`DELETE FROM erp.tasks WHERE tenant_id = $1 AND id = $2`, [tenant, id]);
  }

  async event(db: SqlRunner, tenant: string, owner: string, ref: string): Promise<CalendarEvent | undefined> {
    const rows = await queryRows<CalendarEvent>(
      db,
      `SELECT ${EVENT} FROM erp.calendar_events WHERE tenant_id = $1 AND ${byRef('id', 'title', ref)} AND owner_id = $3 ORDER BY starts_at DESC LIMIT 1`,
      [tenant, ref, owner],
    );
    return rows[0];
  }

  async eventTitles(db: SqlRunner, tenant: string, owner: string): Promise<string[]> {
    return (await queryRows<{ title: string }>(db, `SELECT title FROM erp.calendar_events WHERE tenant_id = $1 AND owner_id = $2 ORDER BY starts_at LIMIT 200`, [tenant, owner])).map((r) => r.title);
  }

  /** Distinct titles of the owner's events that end at or after `since`, soonest first. */
  async eventTitlesSince(db: SqlRunner, tenant: string, owner: string, since: Date, limit: number): Promise<string[]> {
    const rows = await queryRows<{ title: string }>(
      db,
      `SELECT title FROM erp.calendar_events WHERE tenant_id = $1 AND owner_id = $2 AND ends_at >= $3 GROUP BY title ORDER BY min(starts_at) LIMIT $4`,
      [tenant, owner, since, limit],
    );
    return rows.map((r) => r.title);
  }

  /** Events of the owner overlapping [start, end), locked so two bookings cannot both pass the check. */
  async overlapping(db: SqlRunner, tenant: string, owner: string, start: Date, end: Date, except?: string): Promise<CalendarEvent[]> {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext($1 || ':' || $2))`, [tenant, owner]);
    return queryRows<CalendarEvent>(
      db,
      `SELECT ${EVENT} FROM erp.calendar_events
       WHERE tenant_id = $1 AND owner_id = $2 AND starts_at < $4 AND ends_at > $3 AND ($5::uuid IS NULL OR id <> $5) ORDER BY starts_at`,
      [tenant, owner, start, end, except ?? null],
    );
  }

  async eventsBetween(db: SqlRunner, tenant: string, owner: string, from: Date, to: Date): Promise<CalendarEvent[]> {
    return queryRows<CalendarEvent>(
      db,
      `SELECT ${EVENT} FROM erp.calendar_events WHERE tenant_id = $1 AND owner_id = $2 AND starts_at < $4 AND ends_at > $3 ORDER BY starts_at LIMIT 200`,
      [tenant, owner, from, to],
    );
  }

  async insertEvent(db: SqlRunner, tenant: string, owner: string, title: string, start: Date, end: Date, attendeeIds: readonly string[] = []): Promise<CalendarEvent> {
    return (
      await queryRows<CalendarEvent>(db, `INSERT INTO erp.calendar_events (tenant_id, owner_id, title, starts_at, ends_at, attendee_ids) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${EVENT}`, [
        tenant,
        owner,
        title,
        start,
        end,
        [...attendeeIds],
      ])
    )[0]!;
  }

  async calendarRules(db: SqlRunner, tenant: string): Promise<CalendarRules> {
    const [row] = await queryRows<CalendarRules>(
      db,
      `SELECT work_start_minute AS "workStartMinute", work_end_minute AS "workEndMinute", work_days AS "workDays", buffer_minutes AS "bufferMinutes" FROM erp.calendar_rules WHERE tenant_id = $1`,
      [tenant],
    );
    return row ?? DEFAULT_CALENDAR_RULES;
  }

  /**
   * Events in [from, to) of any of `people` (owned or attended), each person locked first so two bookings
   * cannot both pass the check. People are calendar owner ids (the conversation's user) or tenant user ids.
   */
  async busy(db: SqlRunner, tenant: string, people: readonly string[], from: Date, to: Date, except?: string): Promise<(CalendarEvent & { ownerId: string })[]> {
    for (const p of [...people].sort()) await db.query(`SELECT pg_advisory_xact_lock(hashtext($1 || ':' || $2))`, [tenant, p]);
    return queryRows<CalendarEvent & { ownerId: string }>(
      db,
      `SELECT ${EVENT}, owner_id AS "ownerId" FROM erp.calendar_events
       WHERE tenant_id = $1 AND (owner_id = ANY($2::text[]) OR attendee_ids && $2::text[]) AND starts_at < $4 AND ends_at > $3 AND ($5::uuid IS NULL OR id <> $5)
       ORDER BY starts_at LIMIT 500`,
      [tenant, [...people], from, to, except ?? null],
    );
  }

  async usersByIds(db: SqlRunner, tenant: string, ids: readonly string[]): Promise<{ id: string; name: string }[]> {
    return queryRows<{ id: string; name: string }>(db, `SELECT id::text AS id, name FROM erp.users WHERE tenant_id = $1 AND id::text = ANY($2::text[])`, [tenant, [...ids]]);
  }

  async updateEvent(db: SqlRunner, tenant: string, id: string, title: string, start: Date, end: Date): Promise<CalendarEvent> {
    return (await queryRows<CalendarEvent>(db, `UPDATE erp.calendar_events SET title = $3, starts_at = $4, ends_at = $5 WHERE tenant_id = $1 AND id = $2 RETURNING ${EVENT}`, [tenant, id, title, start, end]))[0]!;
  }

  async deleteEvent(db: SqlRunner, tenant: string, id: string): Promise<void> {
    await db.query(`DELETE FROM erp.calendar_events WHERE tenant_id = $1 AND id = $2`, [tenant, id]);
  }
}
