import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16 (seed 003 §2.2): an event's attendees (users of the tenant, whose calendars are checked too), and each
 * tenant's working hours and buffer between events. A tenant with no row gets Monday–Friday 09:00–18:00, no buffer.
 * Tasks get a status, so they can be completed and filtered by it.
 */
export class CalendarRules1765070000000 implements MigrationInterface {
  name = 'CalendarRules1765070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE erp.calendar_events ADD COLUMN attendee_ids text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX calendar_events_attendees_idx ON erp.calendar_events USING gin (attendee_ids)`);
    await q.query(`
      CREATE TABLE erp.calendar_rules (
        tenant_id text PRIMARY KEY,
        work_start_minute integer NOT NULL DEFAULT 540 CHECK (work_start_minute BETWEEN 0 AND 1439),
        work_end_minute integer NOT NULL DEFAULT 1080 CHECK (work_end_minute BETWEEN 1 AND 1440),
        work_days integer[] NOT NULL DEFAULT '{1,2,3,4,5}',
        buffer_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_minutes BETWEEN 0 AND 240),
        CHECK (work_end_minute > work_start_minute)
      )`);
    await q.query(`ALTER TABLE erp.tasks ADD COLUMN status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done'))`);
    await q.query(`ALTER TABLE erp.tasks ADD COLUMN completed_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE erp.tasks DROP COLUMN completed_at, DROP COLUMN status`);
    await q.query(`DROP TABLE erp.calendar_rules`);
    await q.query(`ALTER TABLE erp.calendar_events DROP COLUMN attendee_ids`);
  }
}
