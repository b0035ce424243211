import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiKeys1763920000000 implements MigrationInterface {
  name = 'CreateApiKeys1763920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orchestrator.api_keys (
        id           text PRIMARY KEY,
        tenant_id    text NOT NULL,
        role         text NOT NULL CHECK (role IN ('client', 'agent-publisher', 'admin')),
        name         text NOT NULL,
        secret_hash  bytea NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at   timestamptz
      )`);
    await q.query(`CREATE INDEX api_keys_tenant_idx ON orchestrator.api_keys (tenant_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE orchestrator.api_keys`);
  }
}
