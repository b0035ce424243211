import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `knowledge-editor` role (the knowledge API, nothing else an admin may do), and each knowledge document's
 * extracted text: what a reindex re-embeds and what a restart resumes a document left pending with.
 */
export class KnowledgeEditor1765500000000 implements MigrationInterface {
  name = 'KnowledgeEditor1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orchestrator.api_keys DROP CONSTRAINT api_keys_role_check`);
    await q.query(`ALTER TABLE orchestrator.api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('client', 'agent-publisher', 'admin', 'reviewer', 'knowledge-editor'))`);
    await q.query(`ALTER TABLE orchestrator.knowledge_documents ADD COLUMN text text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orchestrator.knowledge_documents DROP COLUMN text`);
    await q.query(`DELETE FROM orchestrator.api_keys WHERE role = 'knowledge-editor'`);
    await q.query(`ALTER TABLE orchestrator.api_keys DROP CONSTRAINT api_keys_role_check`);
    await q.query(`ALTER TABLE orchestrator.api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('client', 'agent-publisher', 'admin', 'reviewer'))`);
  }
}
