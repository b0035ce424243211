import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An A2A task can span several executions: a follow-up message on an `input-required` conversation task starts the
 * conversation's next execution, and the task (still named by its first execution) now shows that one.
 */
export class A2aTaskRuns1765700000000 implements MigrationInterface {
  name = 'A2aTaskRuns1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orchestrator.a2a_tasks ADD COLUMN current_execution_id uuid REFERENCES orchestrator.executions (id) ON DELETE SET NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orchestrator.a2a_tasks DROP COLUMN current_execution_id`);
  }
}
