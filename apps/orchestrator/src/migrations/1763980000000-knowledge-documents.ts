import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Documents a tenant loaded into Cerebro through the knowledge API: what was sent and how its indexing went. The chunks live in retrieval's store. */
export class KnowledgeDocuments1763980000000 implements MigrationInterface {
  name = 'KnowledgeDocuments1763980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orchestrator.knowledge_documents (
        tenant_id     text NOT NULL,
        document_id   text NOT NULL,
        title         text NOT NULL,
        kind          text NOT NULL,
        language      text NOT NULL,
        metadata      jsonb NOT NULL DEFAULT '{}',
        content_type  text NOT NULL,
        bytes         integer NOT NULL,
        status        text NOT NULL CHECK (status IN ('pending', 'indexed', 'failed')),
        reason        text,
        chunks        integer NOT NULL DEFAULT 0,
        revision      integer NOT NULL DEFAULT 1,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, document_id)
      )`);
    await q.query(`CREATE INDEX knowledge_documents_metadata_idx ON orchestrator.knowledge_documents USING gin (metadata jsonb_path_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE orchestrator.knowledge_documents`);
  }
}
