import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A2A tasks: a task is an execution (same id); this row adds what A2A knows and the execution does not, its context
 * id, so GetTask answers the context the client sent and ListTasks filters and pages from Postgres on any replica.
 */
export class A2aTasks1764110000000 implements MigrationInterface {
  name = 'A2aTasks1764110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orchestrator.a2a_tasks (
        execution_id uuid PRIMARY KEY REFERENCES orchestrator.executions (id) ON DELETE CASCADE,
        tenant_id    text NOT NULL,
        flow_id      text NOT NULL,
        context_id   text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX a2a_tasks_flow_idx ON orchestrator.a2a_tasks (tenant_id, flow_id, created_at DESC)`);
    await q.query(`CREATE INDEX a2a_tasks_context_idx ON orchestrator.a2a_tasks (tenant_id, flow_id, context_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE orchestrator.a2a_tasks`);
  }
}
