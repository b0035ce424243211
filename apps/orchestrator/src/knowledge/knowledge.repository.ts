import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows } from '@spine/persistence';
import { DataSource } from 'typeorm';

export type DocumentStatus = 'pending' | 'indexed' | 'failed';

export interface KnowledgeDocumentRow {
  documentId: string;
  title: string;
  kind: string;
  language: string;
  metadata: Record<string, string>;
  contentType: string;
  bytes: number;
  status: DocumentStatus;
  reason: string | null;
  chunks: number;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A document with its tenant and kept text (null: its text was never read). */
export type TextRow = KnowledgeDocumentRow & { tenantId: string; text: string | null };

const COLUMNS = `document_id AS "documentId", title, kind, language, metadata, content_type AS "contentType", bytes, status, reason, chunks, revision, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Knowledge documents per tenant: every statement names the tenant. */
@Injectable()
export class KnowledgeRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A new document, or a new revision of one (pending again): the revision fences the indexing of older ones. */
  async accept(tenantId: string, d: { documentId: string; title: string; kind: string; language: string; metadata: Record<string, string>; contentType: string; bytes: number }): Promise<KnowledgeDocumentRow> {
    const rows = await queryRows<KnowledgeDocumentRow>(
      this.db,
      `INSERT INTO orchestrator.knowledge_documents (tenant_id, document_id, title, kind, language, metadata, content_type, bytes, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending')
       ON CONFLICT (tenant_id, document_id) DO UPDATE SET title = EXCLUDED.title, kind = EXCLUDED.kind, language = EXCLUDED.language,
         metadata = EXCLUDED.metadata, content_type = EXCLUDED.content_type, bytes = EXCLUDED.bytes, status = 'pending', reason = NULL,
         revision = knowledge_documents.revision + 1, updated_at = now()
       RETURNING ${COLUMNS}`,
      [tenantId, d.documentId, d.title, d.kind, d.language, JSON.stringify(d.metadata), d.contentType, d.bytes],
    );
    return rows[0]!;
  }

  /** Records how indexing of `revision` ended; false when a newer revision has replaced it meanwhile. */
  async settle(tenantId: string, documentId: string, revision: number, outcome: { status: 'indexed'; chunks: number } | { status: 'failed'; reason: string }): Promise<boolean> {
    const rows = await queryRows<{ documentId: string }>(
      this.db,
      `UPDATE orchestrator.knowledge_documents SET status = $4, chunks = $5, reason = $6, updated_at = now()
       WHERE tenant_id = $1 AND document_id = $2 AND revision = $3 RETURNING document_id AS "documentId"`,
      [tenantId, documentId, revision, outcome.status, outcome.status === 'indexed' ? outcome.chunks : 0, outcome.status === 'failed' ? outcome.reason : null],
    );
    return rows.length === 1;
  }

  /** The text read from revision `revision`, kept for a reindex and for resuming after a crash. */
  async saveText(tenantId: string, documentId: string, revision: number, text: string): Promise<void> {
    await this.db.query(`UPDATE orchestrator.knowledge_documents SET text = $4 WHERE tenant_id = $1 AND document_id = $2 AND revision = $3`, [tenantId, documentId, revision, text]);
  }

  /** Every pending document of every tenant: on start, those a crash left pending (text null: never read). */
  async pending(limit: number): Promise<TextRow[]> {
    return queryRows<TextRow>(this.db, `SELECT tenant_id AS "tenantId", ${COLUMNS}, text FROM orchestrator.knowledge_documents WHERE status = 'pending' ORDER BY updated_at LIMIT $1`, [limit]);
  }

  /** Every document of the tenant whose text is kept goes pending as a new revision, to be embedded again. */
  async reopenAll(tenantId: string): Promise<TextRow[]> {
    return queryRows<TextRow>(
      this.db,
      `UPDATE orchestrator.knowledge_documents SET status = 'pending', reason = NULL, revision = revision + 1, updated_at = now()
       WHERE tenant_id = $1 AND text IS NOT NULL RETURNING tenant_id AS "tenantId", ${COLUMNS}, text`,
      [tenantId],
    );
  }

  async byId(tenantId: string, documentId: string): Promise<KnowledgeDocumentRow | undefined> {
    return (await queryRows<KnowledgeDocumentRow>(this.db, `SELECT ${COLUMNS} FROM orchestrator.knowledge_documents WHERE tenant_id = $1 AND document_id = $2`, [tenantId, documentId]))[0];
  }

  /** A page ordered by document id, after `after`, of documents whose metadata contains `metadata`. */
  async list(tenantId: string, q: { after?: string; limit: number; metadata: Record<string, string>; status?: DocumentStatus }): Promise<KnowledgeDocumentRow[]> {
    return queryRows<KnowledgeDocumentRow>(
      this.db,
      `SELECT ${COLUMNS} FROM orchestrator.knowledge_documents
       WHERE tenant_id = $1 AND document_id > $2 AND metadata @> $3::jsonb AND ($4::text IS NULL OR status = $4)
       ORDER BY document_id LIMIT $5`,
      [tenantId, q.after ?? '', JSON.stringify(q.metadata), q.status ?? null, q.limit],
    );
  }

  async remove(tenantId: string, documentId: string): Promise<boolean> {
    return (await queryRows(this.db, `DELETE FROM orchestrator.knowledge_documents WHERE tenant_id = $1 AND document_id = $2 RETURNING 1`, [tenantId, documentId])).length === 1;
  }
}
