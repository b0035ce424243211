import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { InvokeContext } from '@spine/agent-kit';
import { SnippetSchema, SpineError, type ContextPackSchema, type Document, type RetrievalInput } from '@spine/contracts';
import { nodeModelSpec, type LlmProvider, type ModelRouter } from '@spine/llm';
import { tenantId, type Payload, type PayloadFilter, type TenantId, type VectorStore } from '@spine/vector';
import { chunkText } from './chunks.js';
import { loadPack } from './packs.js';

export const CEREBRO_MODELS = Symbol('spine.retrieval.models');
export const CEREBRO_STORE = Symbol('spine.retrieval.store');

const KINDS = new Set(['api-contract', 'flow', 'knowledge', 'summary']);
const LANGUAGES = new Set(['es', 'en']);
const MAX_TEXT = 100_000;
const MAX_DOCUMENTS = 100;
type Pack = MessageInitShape<typeof ContextPackSchema>;

/** Cerebro: tenant-scoped knowledge; search returns snippets with citations, upsert and ingest write chunks. */
@Injectable()
export class CerebroService {
  private readonly logger = new Logger(CerebroService.name);

  constructor(
    @Inject(CEREBRO_MODELS) private readonly models: ModelRouter,
    @Inject(CEREBRO_STORE) private readonly store: VectorStore,
  ) {}

  async run(given: RetrievalInput, ctx: InvokeContext): Promise<Pack> {
    const input = withNodeSettings(given, ctx.context);
    const ops = [input.query.trim() !== '', input.upsert.length > 0, input.ingestPack !== ''].filter(Boolean).length;
    if (ops !== 1) throw SpineError.invalid('give exactly one of query, upsert or ingest_pack', { field: 'input' });
    const tenant = tenantId(ctx.tenantId);
    const embedder = this.models.forNode(nodeModelSpec(ctx.model, ctx.scope?.allowedModels ?? []));
    if (input.query.trim()) return this.search(tenant, embedder, input);
    const documents = input.ingestPack ? await loadPack(input.ingestPack) : input.upsert;
    return { snippets: [], upsertedChunks: await this.upsert(tenant, embedder, documents) };
  }

  private async search(tenant: TenantId, embedder: LlmProvider, input: RetrievalInput & { minScore: number }): Promise<Pack> {
    const limit = input.limit === 0 ? 5 : Math.min(input.limit, 20);
    const { vectors } = await embedder.embed([input.query]);
    const filter: PayloadFilter = { ...input.filter };
    const found = await this.store.search(tenant, { vector: vectors[0]!, limit, filter });
    const hits = found.filter((h) => h.score >= input.minScore);
    return {
      context: hits.map((h) => String((h.payload as Record<string, unknown>)['text'])).join('\n\n'),
      snippets: hits.map((h) => {
        const p = h.payload as Record<string, string | number | Record<string, string>>;
        return create(SnippetSchema, {
          documentId: String(p.documentId), title: String(p.title), version: String(p.version), chunk: Number(p.chunk), text: String(p.text),
          score: Math.round(h.score * 1000) / 1000, kind: String(p.kind), language: String(p.language), metadata: (p.metadata ?? {}) as Record<string, string>,
        });
      }),
    };
  }

  /** Replaces each document's chunks: a new version leaves none of the old ones behind. */
  private async upsert(tenant: TenantId, embedder: LlmProvider, documents: readonly Document[]): Promise<number> {
    if (documents.length > MAX_DOCUMENTS) throw SpineError.invalid(`at most ${MAX_DOCUMENTS} documents per call`, { field: 'input.upsert' });
    documents.forEach(check);
    let written = 0;
    for (const doc of documents) {
      const chunks = chunkText(doc.text);
      const { vectors } = await embedder.embed(chunks);
      await this.store.delete(tenant, { filter: { documentId: doc.id } });
      await this.store.upsert(
        tenant,
        chunks.map((text, chunk) => ({ id: `${doc.id}#${chunk}`, vector: vectors[chunk]!, payload: payloadOf(doc, chunk, text) })),
      );
      written += chunks.length;
    }
    this.logger.log({ msg: 'cerebro.upserted', documents: documents.length, chunks: written });
    return written;
  }
}

function payloadOf(doc: Document, chunk: number, text: string): Payload {
  return { documentId: doc.id, title: doc.title, version: doc.version, chunk, text, kind: doc.kind, language: doc.language, metadata: { ...doc.metadata } };
}

function check(doc: Document, i: number): void {
  const at = `input.upsert[${i}]`;
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(doc.id)) throw SpineError.invalid(`${at}.id must be 1-128 letters, digits, '.', '_', ':' or '-'`, { field: `${at}.id` });
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
  return { ...input, query: fromTrigger ? (trigger['content'] as string) : input.query, limit: topK, minScore };
}
