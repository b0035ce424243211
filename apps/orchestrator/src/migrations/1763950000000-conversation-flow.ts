import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A conversation runs one flow (the ERP assistant by default) for one user. */
export class ConversationFlow1763950000000 implements MigrationInterface {
  name = 'ConversationFlow1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orchestrator.conversations ADD COLUMN flow_id text NOT NULL DEFAULT 'erp-assistant', ADD COLUMN user_id text, ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX conversations_tenant_idx ON orchestrator.conversations (tenant_id, created_at DESC)`);
    await q.query(`CREATE INDEX executions_conversation_idx ON orchestrator.executions (conversation_id, created_at) WHERE conversation_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX orchestrator.executions_conversation_idx`);
    await q.query(`DROP INDEX orchestrator.conversations_tenant_idx`);
    await q.query(`ALTER TABLE orchestrator.conversations DROP COLUMN flow_id, DROP COLUMN user_id, DROP COLUMN metadata`);
  }
}
