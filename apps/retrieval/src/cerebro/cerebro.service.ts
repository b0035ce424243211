import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import type { InvokeContext } from '@spine/agent-kit';
import { SnippetSchema, SpineError, type ContextPackSchema, type Document, type RetrievalInput } from '@spine/contracts';
import { nodeModelSpec, type LlmProvider, type ModelRouter } from '@spine/llm';
import { tenantId, type Payload, type PayloadFilter, type SearchHit, type TenantId, type VectorStore } from '@spine/vector';
import { chunkLanguage, chunkSections, type Chunk } from './chunks.js';
import { loadPack } from './packs.js';

export const CEREBRO_MODELS = Symbol('spine.retrieval.models');
export const CEREBRO_STORE = Symbol('spine.retrieval.store');
export const CEREBRO_STARTER_PACK = Symbol('spine.retrieval.starter-pack');

const KINDS = new Set(['api-contract', 'flow', 'knowledge', 'summary']);
/** Kinds every user of a tenant sees; a summary is its user's only. */
const SHARED_KINDS = [...KINDS].filter((k) => k !== 'summary');
type EmbedOp = 'query' | 'upsert' | 'lookup';
const LANGUAGES = new Set(['es', 'en']);
const MAX_TEXT = 300_000;
const MAX_DOCUMENTS = 100;
type Pack = MessageInitShape<typeof ContextPackSchema>;

/** Cerebro: tenant-scoped knowledge; search returns snippets with citations, upsert and ingest write chunks. */
@Injectable()
export class CerebroService {
  private readonly logger = new Logger(CerebroService.name);
  /** Tenants whose starter pack is known to be in the store (or on its way), by this process. */
  private readonly packed = new Map<string, Promise<void>>();
  private readonly embedCalls: Counter<'op'>;
  private readonly embeddedTexts: Counter<'op'>;

  constructor(
    @Inject(CEREBRO_MODELS) private readonly models: ModelRouter,
    @Inject(CEREBRO_STORE) private readonly store: VectorStore,
    @Inject(CEREBRO_STARTER_PACK) private readonly starterPack: string,
    registry: Registry,
  ) {
    this.embedCalls = new Counter({ name: 'spine_retrieval_embed_calls_total', help: 'Embedding calls Cerebro made, by operation (query, upsert, lookup)', labelNames: ['op'], registers: [registry] });
    this.embeddedTexts = new Counter({ name: 'spine_retrieval_embedded_texts_total', help: 'Texts Cerebro embedded, by operation (query, upsert, lookup)', labelNames: ['op'], registers: [registry] });
  }

  /** Every embedding goes through here, so /metrics tells what each kind of work costs. */
  private async embed(embedder: LlmProvider, texts: string[], op: EmbedOp): Promise<number[][]> {
    this.embedCalls.inc({ op });
    this.embeddedTexts.inc({ op }, texts.length);
    const { vectors } = await embedder.embed(texts);
    return vectors as number[][];
  }

  async run(given: RetrievalInput, ctx: InvokeContext): Promise<Pack> {
    const input = withNodeSettings(given, ctx.context);
    const ops = [input.query.trim() !== '', input.upsert.length > 0, input.ingestPack !== '', input.deleteDocument !== '', input.documentChunks !== ''].filter(Boolean).length;
    if (ops !== 1) throw SpineError.invalid('give exactly one of query, upsert, ingest_pack, delete_document or document_chunks', { field: 'input' });
    const tenant = tenantId(ctx.tenantId);
    // A node that names no model searches with the store's own embedder: its vectors were made with it, so it is no
    // choice of the flow's, and allowedModels (the models a flow's nodes may name: seed 000 lists chat models) does not apply.
    const embedder = this.models.forNode(ctx.model ? nodeModelSpec(ctx.model, ctx.scope?.allowedModels ?? []) : {});
    if (input.query.trim()) {
      await this.ensureStarterPack(tenant, embedder);
      return this.search(tenant, embedder, input);
    }
    if (input.deleteDocument) {
      await this.store.delete(tenant, { filter: { documentId: checkId(input.deleteDocument, 'input.delete_document') } });
      return { snippets: [] };
    }
    if (input.documentChunks) return this.chunksOf(tenant, embedder, checkId(input.documentChunks, 'input.document_chunks'));
    const documents = input.ingestPack ? await loadPack(input.ingestPack) : input.upsert;
    return { snippets: [], upsertedChunks: await this.upsert(tenant, embedder, documents) };
  }

  /** Shared kinds for everyone; summaries only of the asking user (two filtered searches, merged by score). */
  private async search(tenant: TenantId, embedder: LlmProvider, input: RetrievalInput & { minScore: number }): Promise<Pack> {
    const limit = input.limit === 0 ? 5 : Math.min(input.limit, 20);
    const [vector] = await this.embed(embedder, [input.query], 'query');
    const { kind, ...rest } = input.filter;
    const kinds = kind ? [kind] : [...KINDS];
    const shared = kinds.filter((k) => SHARED_KINDS.includes(k));
    const searches: Promise<SearchHit[]>[] = [];
    if (shared.length > 0) searches.push(this.store.search(tenant, { vector: vector!, limit, filter: { ...rest, kind: shared } satisfies PayloadFilter }));
    if (input.userId && kinds.includes('summary')) searches.push(this.store.search(tenant, { vector: vector!, limit, filter: { ...rest, kind: 'summary', userId: input.userId } satisfies PayloadFilter }));
    const found = (await Promise.all(searches)).flat().sort((a, b) => b.score - a.score).slice(0, limit);
    const hits = found.filter((h) => h.score >= input.minScore);
    return { context: hits.map((h) => String((h.payload as Record<string, unknown>)['text'])).join('\n\n'), snippets: hits.map(snippetOf) };
  }

  /**
   * Every tenant gets the starter pack (how the assistant works, every tool's API contract, the
   * business rules) before its first search: a tenant with no API contract in the store is new.
   */
  private ensureStarterPack(tenant: TenantId, embedder: LlmProvider): Promise<void> {
    if (!this.starterPack) return Promise.resolve();
    let done = this.packed.get(tenant);
    if (!done) {
      done = (async () => {
        const [vector] = await this.embed(embedder, ['api-contract'], 'lookup');
        const found = await this.store.search(tenant, { vector: vector!, limit: 1, filter: { kind: 'api-contract' }, exact: true });
        if (found.length > 0) return;
        const chunks = await this.upsert(tenant, embedder, await loadPack(this.starterPack));
        this.logger.log({ msg: 'cerebro.starter_pack', pack: this.starterPack, chunks });
      })();
      // A failed ingest is tried again by the next search.
      done.catch(() => this.packed.delete(tenant));
      this.packed.set(tenant, done);
    }
    return done;
  }

  /** Every chunk of one document, in order: an exact search that the filter limits to its chunks. */
  private async chunksOf(tenant: TenantId, embedder: LlmProvider, documentId: string): Promise<Pack> {
    const [vector] = await this.embed(embedder, [documentId], 'lookup');
    const hits = await this.store.search(tenant, { vector: vector!, limit: 1000, filter: { documentId }, exact: true });
    return { snippets: hits.map((h) => ({ ...snippetOf(h), score: 0 })).sort((a, b) => a.chunk - b.chunk) };
  }

  /** Replaces each document's chunks: a new version leaves none of the old ones behind. Every chunk of the call is embedded in one batch. */
  private async upsert(tenant: TenantId, embedder: LlmProvider, documents: readonly Document[]): Promise<number> {
    if (documents.length > MAX_DOCUMENTS) throw SpineError.invalid(`at most ${MAX_DOCUMENTS} documents per call`, { field: 'input.upsert' });
    documents.forEach(check);
    const chunked = documents.map((doc) => ({ doc, chunks: chunkSections(doc.text) }));
    // The section's headings go into what is embedded (a chunk under "Vacaciones" is about holidays), not into the cited text.
    const texts = chunked.flatMap(({ chunks }) => chunks.map((c) => (c.section ? `${c.section}\n${c.text}` : c.text)));
    const vectors = texts.length > 0 ? await this.embed(embedder, texts, 'upsert') : [];
    let written = 0;
    for (const { doc, chunks } of chunked) {
      await this.store.delete(tenant, { filter: { documentId: doc.id } });
      await this.store.upsert(
        tenant,
        chunks.map((c, chunk) => ({ id: `${doc.id}#${chunk}`, vector: vectors[written + chunk]!, payload: payloadOf(doc, chunk, c) })),
      );
      written += chunks.length;
    }
    this.logger.log({ msg: 'cerebro.upserted', documents: documents.length, chunks: written });
    return written;
  }
}

function payloadOf(doc: Document, chunk: number, c: Chunk): Payload {
  const metadata = c.section ? { ...doc.metadata, section: c.section } : { ...doc.metadata };
  // A summary's user is a top-level field, so the search's filter on it is pushed down to the store.
  const payload = { documentId: doc.id, title: doc.title, version: doc.version, chunk, text: c.text, kind: doc.kind, language: chunkLanguage(c.text, doc.language), metadata };
  return doc.kind === 'summary' ? { ...payload, userId: doc.metadata['userId'] ?? '' } : payload;
}

function snippetOf(h: SearchHit) {
  const p = h.payload as Record<string, string | number | Record<string, string>>;
  return create(SnippetSchema, {
    documentId: String(p.documentId), title: String(p.title), version: String(p.version), chunk: Number(p.chunk), text: String(p.text),
    score: Math.round(h.score * 1000) / 1000, kind: String(p.kind), language: String(p.language), metadata: (p.metadata ?? {}) as Record<string, string>,
  });
}

const DOCUMENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function checkId(id: string, field: string): string {
  if (!DOCUMENT_ID.test(id)) throw SpineError.invalid(`${field} must be 1-128 letters, digits, '.', '_', ':' or '-'`, { field });
  return id;
}

function check(doc: Document, i: number): void {
  const at = `input.upsert[${i}]`;
  if (!DOCUMENT_ID.test(doc.id)) throw SpineError.invalid(`${at}.id must be 1-128 letters, digits, '.', '_', ':' or '-'`, { field: `${at}.id` });
  if (!doc.title.trim() || !doc.text.trim()) throw SpineError.invalid(`${at} needs a title and a text`, { field: at });
  if (doc.text.length > MAX_TEXT) throw SpineError.invalid(`${at}.text is longer than ${MAX_TEXT} characters`, { field: `${at}.text` });
  if (!KINDS.has(doc.kind)) throw SpineError.invalid(`${at}.kind must be one of ${[...KINDS].join(', ')}`, { field: `${at}.kind` });
  if (!LANGUAGES.has(doc.language)) throw SpineError.invalid(`${at}.language must be es or en`, { field: `${at}.language` });
}

/**
 * A seed `rag` node writes no query and carries its settings as node config (`topK`, `minScore`): the query is then
 * the trigger's content, `topK` the limit, and snippets under `minScore` are left out.
 */
function withNodeSettings(input: RetrievalInput, context: Record<string, unknown>): RetrievalInput & { minScore: number } {
  const config = (context['config'] ?? {}) as Record<string, unknown>;
  const trigger = (context['trigger'] ?? {}) as Record<string, unknown>;
  const fromTrigger = input.query.trim() === '' && input.upsert.length === 0 && input.ingestPack === '' && typeof trigger['content'] === 'string';
  const topK = typeof config['topK'] === 'number' && input.limit === 0 ? config['topK'] : input.limit;
  const minScore = typeof config['minScore'] === 'number' ? config['minScore'] : 0;
  const userId = input.userId || (typeof trigger['userId'] === 'string' ? trigger['userId'] : '');
  return { ...input, query: fromTrigger ? (trigger['content'] as string) : input.query, limit: topK, minScore, userId };
}
