import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateExecutions1763930000000 implements MigrationInterface {
  name = 'CreateExecutions1763930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orchestrator.flows (
        tenant_id  text NOT NULL,
        id         text NOT NULL,
        version    integer NOT NULL CHECK (version > 0),
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id, version)
      )`);
    await q.query(`
      CREATE TABLE orchestrator.conversations (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id  text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE orchestrator.executions (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id        text NOT NULL,
        flow_id          text NOT NULL,
        flow_version     integer NOT NULL,
        conversation_id  uuid REFERENCES orchestrator.conversations (id),
        state            text NOT NULL,
        input            jsonb NOT NULL DEFAULT '{}',
        error            jsonb,
        cancel_requested boolean NOT NULL DEFAULT false,
        lease_owner      text,
        lease_expires_at timestamptz,
        fencing_token    bigint NOT NULL DEFAULT 0,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        finished_at      timestamptz,
        FOREIGN KEY (tenant_id, flow_id, flow_version) REFERENCES orchestrator.flows (tenant_id, id, version)
      )`);
    await q.query(`CREATE INDEX executions_runnable_idx ON orchestrator.executions (created_at) WHERE finished_at IS NULL`);
    await q.query(`CREATE INDEX executions_tenant_idx ON orchestrator.executions (tenant_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE orchestrator.messages (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id       text NOT NULL,
        conversation_id uuid NOT NULL REFERENCES orchestrator.conversations (id),
        role            text NOT NULL CHECK (role IN ('user', 'assistant')),
        text            text NOT NULL,
        execution_id    uuid REFERENCES orchestrator.executions (id),
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX messages_conversation_idx ON orchestrator.messages (conversation_id, created_at)`);
    await q.query(`
      CREATE TABLE orchestrator.node_runs (
        execution_id uuid NOT NULL REFERENCES orchestrator.executions (id),
        node_id      text NOT NULL,
        state        text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'skipped')),
        attempts     integer NOT NULL DEFAULT 0,
        input        jsonb,
        output       jsonb,
        error        jsonb,
        usage        jsonb,
        started_at   timestamptz,
        finished_at  timestamptz,
        PRIMARY KEY (execution_id, node_id)
      )`);
    // Append-only: rows are inserted with the next per-execution sequence and never updated.
    await q.query(`
      CREATE TABLE orchestrator.execution_events (
        execution_id uuid NOT NULL REFERENCES orchestrator.executions (id),
        seq          bigint NOT NULL,
        tenant_id    text NOT NULL,
        type         text NOT NULL,
        payload      jsonb NOT NULL,
        at           timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (execution_id, seq)
      )`);
    await q.query(`
      CREATE FUNCTION orchestrator.forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'execution_events is append-only'; END $$`);
    await q.query(`
      CREATE TRIGGER execution_events_append_only BEFORE UPDATE OR DELETE ON orchestrator.execution_events
      FOR EACH ROW EXECUTE FUNCTION orchestrator.forbid_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE orchestrator.execution_events, orchestrator.node_runs, orchestrator.messages, orchestrator.executions, orchestrator.conversations, orchestrator.flows`);
    await q.query(`DROP FUNCTION orchestrator.forbid_change()`);
  }
}
