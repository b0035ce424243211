import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Human-in-the-loop tasks: one per (execution, node), opened by the replica running the execution, decided once
 * (the `state = 'open'` guard of every UPDATE makes a second decision lose), expired by whichever replica sweeps
 * first after `deadline_at` (the database's clock, not a replica's). Also the `reviewer` role for API keys.
 */
export class HumanTasks1764100000000 implements MigrationInterface {
  name = 'HumanTasks1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orchestrator.human_tasks (
        id             uuid PRIMARY KEY,
        tenant_id      text NOT NULL,
        execution_id   uuid NOT NULL,
        node_id        text NOT NULL,
        flow_id        text NOT NULL,
        prompt         text NOT NULL,
        data           jsonb NOT NULL,
        decisions      text[] NOT NULL,
        edit_schema    jsonb,
        assignee_role  text NOT NULL,
        deadline_at    timestamptz,
        default_action text NOT NULL,
        state          text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'decided', 'expired', 'closed')),
        decision       text,
        decided_data   jsonb,
        comment        text,
        decided_by     text,
        created_at     timestamptz NOT NULL DEFAULT now(),
        decided_at     timestamptz,
        UNIQUE (execution_id, node_id)
      )`);
    await q.query(`CREATE INDEX human_tasks_open_idx ON orchestrator.human_tasks (tenant_id, created_at) WHERE state = 'open'`);
    await q.query(`CREATE INDEX human_tasks_deadline_idx ON orchestrator.human_tasks (deadline_at) WHERE state = 'open' AND deadline_at IS NOT NULL`);
    await q.query(`ALTER TABLE orchestrator.api_keys DROP CONSTRAINT api_keys_role_check`);
    await q.query(`ALTER TABLE orchestrator.api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('client', 'agent-publisher', 'admin', 'reviewer'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM orchestrator.api_keys WHERE role = 'reviewer'`);
    await q.query(`ALTER TABLE orchestrator.api_keys DROP CONSTRAINT api_keys_role_check`);
    await q.query(`ALTER TABLE orchestrator.api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('client', 'agent-publisher', 'admin'))`);
    await q.query(`DROP TABLE orchestrator.human_tasks`);
  }
}
