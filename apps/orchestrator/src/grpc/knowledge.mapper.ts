import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { SpineError, type KnowledgeDocumentSchema, type ListKnowledgeDocumentsRequest, type PutKnowledgeDocumentRequest, type SearchKnowledgeRequest } from '@spine/contracts';
import { parseBody } from '../http/parse-body.js';
import { DOCUMENT_STATUSES, idFrom, jsonDocument, MAX_UPLOAD_BYTES, metadataSchema, searchBody } from '../knowledge/knowledge.input.js';
import { formatOf } from '../knowledge/knowledge.parse.js';
import type { DocumentStatus, KnowledgeDocumentRow } from '../knowledge/knowledge.repository.js';
import type { Submission } from '../knowledge/knowledge.service.js';

const MAX_PAGE = 100;

/** A PutKnowledgeDocument request as the knowledge service takes it, checked as POST /v1/knowledge/documents is. */
export function submissionOf(req: PutKnowledgeDocumentRequest): Submission {
  const language = req.language || 'es';
  if (req.content.case === 'file') {
    const format = formatOf(req.contentType, req.fileName);
    if (!format) throw SpineError.invalid(`cannot read ${req.contentType || req.fileName}: send text, Markdown, HTML, PDF or .docx`, { field: 'content_type' });
    if (req.content.value.length > MAX_UPLOAD_BYTES) throw SpineError.invalid(`the file is larger than ${MAX_UPLOAD_BYTES} bytes`, { field: 'file' });
    const title = req.title || req.fileName || 'document';
    const doc = parseBody(jsonDocument, { title, text: 'file', language, metadata: parseBody(metadataSchema, req.metadata), ...(req.documentId ? { documentId: req.documentId } : {}) });
    return { documentId: doc.documentId ?? idFrom(req.fileName || title), title: doc.title, language: doc.language, metadata: doc.metadata, contentType: req.contentType, format, body: Buffer.from(req.content.value) };
  }
  const doc = parseBody(jsonDocument, { title: req.title, text: req.content.case === 'text' ? req.content.value : '', language, metadata: req.metadata, ...(req.documentId ? { documentId: req.documentId } : {}) });
  return { documentId: doc.documentId ?? idFrom(doc.title), title: doc.title, language: doc.language, metadata: doc.metadata, contentType: 'text/markdown', format: 'markdown', body: Buffer.from(doc.text, 'utf8') };
}

export function listQueryOf(req: ListKnowledgeDocumentsRequest): { limit: number; metadata: Record<string, string>; after?: string; status?: DocumentStatus } {
  const limit = req.limit || 50;
  if (limit > MAX_PAGE) throw SpineError.invalid(`limit is at most ${MAX_PAGE}`, { field: 'limit' });
  if (req.status && !(DOCUMENT_STATUSES as readonly string[]).includes(req.status)) throw SpineError.invalid('status must be pending, indexed or failed', { field: 'status' });
  return { limit, metadata: req.metadata, ...(req.after ? { after: req.after } : {}), ...(req.status ? { status: req.status as DocumentStatus } : {}) };
}

export function searchQueryOf(req: SearchKnowledgeRequest) {
  return parseBody(searchBody, { query: req.query, limit: req.limit || 5, filter: req.filter, ...(req.userId ? { userId: req.userId } : {}) });
}

export function knowledgeDocumentOf(row: KnowledgeDocumentRow): MessageInitShape<typeof KnowledgeDocumentSchema> {
  return {
    documentId: row.documentId, title: row.title, kind: row.kind, language: row.language, metadata: row.metadata, contentType: row.contentType, bytes: row.bytes,
    status: row.status, reason: row.reason ?? '', chunks: row.chunks, version: row.revision, createdAt: timestampFromDate(new Date(row.createdAt)), updatedAt: timestampFromDate(new Date(row.updatedAt)),
  };
}
