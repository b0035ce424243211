import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Third-party (HTTP, gRPC) agents registered through the public API: one row per name, owned by a tenant, probed actively. */
export class CreateExternalAgents1763910000000 implements MigrationInterface {
  name = 'CreateExternalAgents1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE registry.external_agents (
        name               text PRIMARY KEY,
        tenant_id          text NOT NULL,
        version            text NOT NULL,
        card               bytea NOT NULL,
        capabilities       text[] NOT NULL DEFAULT '{}',
        retry_max_attempts integer NOT NULL DEFAULT 0,
        state              text NOT NULL DEFAULT 'unhealthy' CHECK (state IN ('healthy', 'unhealthy')),
        last_probe_error   text,
        last_probe_at      timestamptz,
        probe_owner        text,
        probe_lease_until  timestamptz,
        registered_at      timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        state_changed_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX external_agents_tenant_idx ON registry.external_agents (tenant_id)`);
    await q.query(`CREATE INDEX external_agents_probe_idx ON registry.external_agents (probe_lease_until)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE registry.external_agents`);
  }
}
