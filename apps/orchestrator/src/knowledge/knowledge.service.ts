import type { MessageInitShape } from '@bufbuild/protobuf';
import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ContextPackSchema, RetrievalInputSchema, SpineError, type ContextPack, type Snippet } from '@spine/contracts';
import { AgentClient, NATS_CONNECTION, ProtoClient } from '@spine/messaging';
import { randomUUID } from 'node:crypto';
import { textOf, type Format } from './knowledge.parse.js';
import { KnowledgeRepository, type KnowledgeDocumentRow, type TextRow } from './knowledge.repository.js';

/** Long enough for a large document's chunks to be embedded by the offline model on a busy machine. */
const RETRIEVAL_TIMEOUT_MS = 120_000;
/** What retrieval accepts in one document (its MAX_TEXT). */
const MAX_TEXT = 300_000;
/** Pending documents resumed per start. */
const RESUME_LIMIT = 10_000;
export const INTERRUPTED = 'interrupted: the orchestrator stopped before the document was read; upload it again';

export interface Submission {
  documentId: string;
  title: string;
  language: string;
  metadata: Record<string, string>;
  contentType: string;
  format: Format;
  body: Buffer;
}

export type ChunkView = Pick<Snippet, 'chunk' | 'text' | 'language'> & { section: string };

/**
 * The knowledge API's work: documents are parsed here (the upload arrives here), then sent to the
 * retrieval agent over NATS, which owns the vector store (chunking, embedding, storing); what was
 * sent and how it went is kept in Postgres. Indexing runs after the request has been answered.
 */
@Injectable()
export class KnowledgeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(KnowledgeService.name);
  private readonly agents: AgentClient;
  private readonly running = new Set<Promise<void>>();

  constructor(
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    private readonly repo: KnowledgeRepository,
  ) {
    this.agents = new AgentClient(new ProtoClient(nc, RETRIEVAL_TIMEOUT_MS));
  }

  /** Records the document as pending and indexes it in the background. */
  async submit(tenantId: string, s: Submission): Promise<KnowledgeDocumentRow> {
    const row = await this.repo.accept(tenantId, { documentId: s.documentId, title: s.title, kind: 'knowledge', language: s.language, metadata: s.metadata, contentType: s.contentType, bytes: s.body.length });
    this.track(this.read(tenantId, row, s));
    return row;
  }

  /** Re-embeds every document of the tenant whose text is kept (after an embedding model change); returns how many. */
  async reindex(tenantId: string): Promise<number> {
    const rows = await this.repo.reopenAll(tenantId);
    this.track(this.indexAll(rows));
    this.logger.log({ msg: 'knowledge.reindex', tenant: tenantId, documents: rows.length });
    return rows.length;
  }

  /** Documents a crash left pending: indexed again from their kept text, or failed with the reason when none was read. */
  async onApplicationBootstrap(): Promise<void> {
    const pending = await this.repo.pending(RESUME_LIMIT);
    if (pending.length === 0) return;
    this.logger.log({ msg: 'knowledge.resume', documents: pending.length });
    for (const row of pending.filter((r) => r.text === null)) await this.settle(row.tenantId, row.documentId, row.revision, { status: 'failed', reason: INTERRUPTED });
    this.track(this.indexAll(pending));
  }

  private track(job: Promise<void>): void {
    const tracked = job.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** One at a time: a reindex of a large tenant does not flood the retrieval agent. */
  private async indexAll(rows: TextRow[]): Promise<void> {
    for (const row of rows) if (row.text !== null) await this.index(row.tenantId, row, row.text);
  }

  /** Reads the upload's text (kept for reindex and resume), then indexes it. */
  private async read(tenantId: string, row: KnowledgeDocumentRow, s: Submission): Promise<void> {
    let text: string;
    try {
      text = (await textOf(s.format, s.body)).trim();
      if (!text) throw SpineError.invalid('the document has no text', { field: 'file' });
      if (text.length > MAX_TEXT) throw SpineError.invalid(`the document's text is longer than ${MAX_TEXT} characters`, { field: 'file' });
      await this.repo.saveText(tenantId, row.documentId, row.revision, text);
    } catch (err) {
      return this.settle(tenantId, row.documentId, row.revision, { status: 'failed', reason: (err as Error).message.slice(0, 500) });
    }
    await this.index(tenantId, row, text);
  }

  private async index(tenantId: string, row: Pick<KnowledgeDocumentRow, 'documentId' | 'title' | 'language' | 'metadata' | 'revision' | 'kind'>, text: string): Promise<void> {
    let outcome: { status: 'indexed'; chunks: number } | { status: 'failed'; reason: string };
    try {
      const pack = await this.call(tenantId, { upsert: [{ id: row.documentId, title: row.title, version: String(row.revision), kind: row.kind, language: row.language, text, metadata: row.metadata }] });
      outcome = { status: 'indexed', chunks: pack.upsertedChunks };
    } catch (err) {
      outcome = { status: 'failed', reason: (err as Error).message.slice(0, 500) };
    }
    await this.settle(tenantId, row.documentId, row.revision, outcome);
  }

  private async settle(tenantId: string, documentId: string, revision: number, outcome: { status: 'indexed'; chunks: number } | { status: 'failed'; reason: string }): Promise<void> {
    try {
      await this.repo.settle(tenantId, documentId, revision, outcome);
      this.logger.log({ msg: 'knowledge.settled', documentId, revision, ...outcome });
    } catch (err) {
      this.logger.error({ msg: 'knowledge.settle_failed', documentId, err: (err as Error).message });
    }
  }

  list(tenantId: string, q: Parameters<KnowledgeRepository['list']>[1]): Promise<KnowledgeDocumentRow[]> {
    return this.repo.list(tenantId, q);
  }

  async get(tenantId: string, documentId: string): Promise<{ document: KnowledgeDocumentRow; chunks: ChunkView[] }> {
    const document = await this.repo.byId(tenantId, documentId);
    if (!document) throw SpineError.notFound(`no knowledge document ${documentId}`);
    const pack = await this.call(tenantId, { documentChunks: documentId });
    return { document, chunks: pack.snippets.map((s) => ({ chunk: s.chunk, text: s.text, language: s.language, section: s.metadata['section'] ?? '' })) };
  }

  async remove(tenantId: string, documentId: string): Promise<void> {
    if (!(await this.repo.byId(tenantId, documentId))) throw SpineError.notFound(`no knowledge document ${documentId}`);
    await this.call(tenantId, { deleteDocument: documentId });
    await this.repo.remove(tenantId, documentId);
  }

  /** The query the retrieval agent runs for a knowledge question. */
  async search(tenantId: string, q: { query: string; limit: number; filter: Record<string, string>; userId?: string | undefined }): Promise<Snippet[]> {
    return (await this.call(tenantId, { query: q.query, limit: q.limit, filter: q.filter, userId: q.userId ?? '' })).snippets;
  }

  private async call(tenantId: string, input: MessageInitShape<typeof RetrievalInputSchema>): Promise<ContextPack> {
    const { error, output } = await this.agents.invoke('retrieval', { input: RetrievalInputSchema, output: ContextPackSchema }, input, { executionId: randomUUID(), nodeId: 'knowledge-api', tenantId });
    if (error) throw error;
    return output!;
  }

  /** Lets indexing in flight finish before the connection closes. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
