import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAudit1764100000000 implements MigrationInterface {
  name = 'CreateAudit1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per ExecutionEvent; the key makes a redelivered event a no-op.
    await q.query(`
      CREATE TABLE event_logger.audit_events (
        tenant_id text NOT NULL,
        execution_id text NOT NULL,
        sequence bigint NOT NULL CHECK (sequence > 0),
        at timestamptz NOT NULL,
        kind text NOT NULL,
        state text NOT NULL DEFAULT '',
        node_id text NOT NULL DEFAULT '',
        agent text NOT NULL DEFAULT '',
        payload jsonb NOT NULL,
        logged_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT audit_events_key UNIQUE (tenant_id, execution_id, sequence)
      )`);
    // The outbox of Cerebro summaries: a row per DONE execution until its upsert succeeds.
    await q.query(`
      CREATE TABLE event_logger.summaries (
        tenant_id text NOT NULL,
        execution_id text NOT NULL,
        done_sequence bigint NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text NOT NULL DEFAULT '',
        indexed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, execution_id)
      )`);
    await q.query(`CREATE INDEX summaries_pending_idx ON event_logger.summaries (next_attempt_at) WHERE indexed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE event_logger.summaries, event_logger.audit_events`);
  }
}
