import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A conversation can be named by the door it came through (`a2a:<contextId>`, `openai:<user>`), so a client that does
 * not know Spine's conversation ids still continues its own conversation.
 */
export class ConversationKey1764105000000 implements MigrationInterface {
  name = 'ConversationKey1764105000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orchestrator.conversations ADD COLUMN external_key text`);
    await q.query(`CREATE UNIQUE INDEX conversations_external_key_idx ON orchestrator.conversations (tenant_id, flow_id, external_key) WHERE external_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX orchestrator.conversations_external_key_idx`);
    await q.query(`ALTER TABLE orchestrator.conversations DROP COLUMN external_key`);
  }
}
