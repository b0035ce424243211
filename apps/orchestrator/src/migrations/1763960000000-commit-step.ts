import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlFile } from './sql-file.js';

/** One executor step in one statement; the function and what it guarantees: 1763960000000-commit-step.sql. */
const COMMIT_STEP_SQL = new URL('./1763960000000-commit-step.sql', import.meta.url);

/** Exported so that the migration that replaced it can put it back on the way down. */
export const commitStepSql = (): string => sqlFile(COMMIT_STEP_SQL);

export class CommitStep1763960000000 implements MigrationInterface {
  name = 'CommitStep1763960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(commitStepSql());
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION orchestrator.commit_step(uuid, bigint, jsonb, boolean)`);
  }
}
