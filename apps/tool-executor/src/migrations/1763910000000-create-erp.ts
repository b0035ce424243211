import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateErp1763910000000 implements MigrationInterface {
  name = 'CreateErp1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE erp.projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id text NOT NULL,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX projects_tenant_name_key ON erp.projects (tenant_id, lower(name))`);
    await q.query(`
      CREATE TABLE erp.users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id text NOT NULL,
        name text NOT NULL,
        email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_tenant_email_key ON erp.users (tenant_id, lower(email))`);
    await q.query(`
      CREATE TABLE erp.tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id text NOT NULL,
        project_id uuid NOT NULL REFERENCES erp.projects (id),
        title text NOT NULL,
        due_at timestamptz NOT NULL,
        assignee_id uuid REFERENCES erp.users (id),
        priority text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX tasks_tenant_project_idx ON erp.tasks (tenant_id, project_id)`);
    await q.query(`
      CREATE TABLE erp.calendar_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id text NOT NULL,
        owner_id text NOT NULL,
        title text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX calendar_events_owner_idx ON erp.calendar_events (tenant_id, owner_id, starts_at)`);
    // The idempotency ledger: one row per tool call, written in the transaction of its effect.
    await q.query(`
      CREATE TABLE erp.tool_calls (
        idempotency_key text PRIMARY KEY,
        tenant_id text NOT NULL,
        tool text NOT NULL,
        ok boolean NOT NULL,
        result jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE erp.tool_calls, erp.calendar_events, erp.tasks, erp.users, erp.projects`);
  }
}
