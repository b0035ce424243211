import type { MigrationInterface, QueryRunner } from 'typeorm';

/** MCP servers a tenant registered: endpoint, AES-256-GCM sealed headers, and the tools its last probe listed. */
export class McpServers1765600000000 implements MigrationInterface {
  name = 'McpServers1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orchestrator.mcp_servers (
        tenant_id   text NOT NULL,
        name        text NOT NULL,
        url         text NOT NULL,
        sealed      bytea,
        tools       jsonb NOT NULL DEFAULT '[]',
        status      text NOT NULL DEFAULT 'healthy',
        checked_at  timestamptz NOT NULL DEFAULT now(),
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, name)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE orchestrator.mcp_servers`);
  }
}
