import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAgentInstances1763900000000 implements MigrationInterface {
  name = 'CreateAgentInstances1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE registry.agent_instances (
        instance_id       text PRIMARY KEY,
        name              text NOT NULL,
        version           text NOT NULL,
        card              bytea NOT NULL,
        capabilities      text[] NOT NULL DEFAULT '{}',
        state             text NOT NULL CHECK (state IN ('healthy', 'unhealthy', 'gone')),
        in_flight         integer NOT NULL DEFAULT 0,
        registered_at     timestamptz NOT NULL DEFAULT now(),
        last_heartbeat_at timestamptz NOT NULL DEFAULT now(),
        state_changed_at  timestamptz NOT NULL DEFAULT now(),
        deregistered_at   timestamptz
      )`);
    await q.query(`CREATE INDEX agent_instances_name_idx ON registry.agent_instances (name)`);
    await q.query(`CREATE INDEX agent_instances_capabilities_idx ON registry.agent_instances USING gin (capabilities)`);
    await q.query(`CREATE INDEX agent_instances_sweep_idx ON registry.agent_instances (last_heartbeat_at) WHERE state <> 'gone'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE registry.agent_instances`);
  }
}
