import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How far each execution's events have reached JetStream, so a replica can finish publishing what a dead one left. */
export class ExecutionOutbox1763940000000 implements MigrationInterface {
  name = 'ExecutionOutbox1763940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orchestrator.executions ADD COLUMN events_published bigint NOT NULL DEFAULT 0, ADD COLUMN last_seq bigint NOT NULL DEFAULT 0`);
    await q.query(`CREATE INDEX executions_unpublished_idx ON orchestrator.executions (updated_at) WHERE events_published < last_seq`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orchestrator.executions DROP COLUMN events_published, DROP COLUMN last_seq`);
  }
}
