import type { MessageInitShape } from '@bufbuild/protobuf';
import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ContextPackSchema, RetrievalInputSchema, SpineError, type ContextPack, type Snippet } from '@spine/contracts';
import { AgentClient, NATS_CONNECTION, ProtoClient } from '@spine/messaging';
import { randomUUID } from 'node:crypto';
import { textOf, type Format } from './knowledge.parse.js';
import { KnowledgeRepository, type KnowledgeDocumentRow } from './knowledge.repository.js';

/** Long enough for a large document's chunks to be embedded by the offline model on a busy machine. */
const RETRIEVAL_TIMEOUT_MS = 120_000;
/** What retrieval accepts in one document (its MAX_TEXT). */
const MAX_TEXT = 300_000;

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
export class KnowledgeService implements OnApplicationShutdown {
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
    const job = this.index(tenantId, row.revision, s).finally(() => this.running.delete(job));
    this.running.add(job);
    return row;
  }

  private async index(tenantId: string, revision: number, s: Submission): Promise<void> {
    let outcome: { status: 'indexed'; chunks: number } | { status: 'failed'; reason: string };
    try {
      const text = (await textOf(s.format, s.body)).trim();
      if (!text) throw SpineError.invalid('the document has no text', { field: 'file' });
      if (text.length > MAX_TEXT) throw SpineError.invalid(`the document's text is longer than ${MAX_TEXT} characters`, { field: 'file' });
      const pack = await this.call(tenantId, { upsert: [{ id: s.documentId, title: s.title, version: String(revision), kind: 'knowledge', language: s.language, text, metadata: s.metadata }] });
      outcome = { status: 'indexed', chunks: pack.upsertedChunks };
    } catch (err) {
      outcome = { status: 'failed', reason: (err as Error).message.slice(0, 500) };
    }
    try {
      await this.repo.settle(tenantId, s.documentId, revision, outcome);
      this.logger.log({ msg: 'knowledge.settled', documentId: s.documentId, revision, ...outcome });
    } catch (err) {
      this.logger.error({ msg: 'knowledge.settle_failed', documentId: s.documentId, err: (err as Error).message });
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
  async search(tenantId: string, q: { query: string; limit: number; filter: Record<string, string> }): Promise<Snippet[]> {
    return (await this.call(tenantId, { query: q.query, limit: q.limit, filter: q.filter })).snippets;
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
