import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Signing secrets of third-party agents (the registry holds their cards): AES-256-GCM sealed, one per agent name. */
export class CreateAgentSecrets1763955000000 implements MigrationInterface {
  name = 'CreateAgentSecrets1763955000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orchestrator.agent_secrets (
        name        text PRIMARY KEY,
        tenant_id   text NOT NULL,
        sealed      bytea NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX agent_secrets_tenant_idx ON orchestrator.agent_secrets (tenant_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE orchestrator.agent_secrets`);
  }
}
