import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A key may authenticate a person (issue 16): `user_id` is who they are in the ERP (their email or user id). Their
 * messages act for that user whatever a request body says, so "my tasks" and "my meetings" are theirs. Null: a
 * service key, whose callers name the user in the body.
 */
export class ApiKeyUser1765400000000 implements MigrationInterface {
  name = 'ApiKeyUser1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orchestrator.api_keys ADD COLUMN user_id text CHECK (user_id IS NULL OR length(user_id) BETWEEN 1 AND 200)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orchestrator.api_keys DROP COLUMN user_id`);
  }
}
