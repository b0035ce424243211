import { QdrantClient } from '@qdrant/js-client-rest';
import { z } from 'zod';
import { EmbeddedVectorStore } from './embedded/embedded.store.js';
import { LanceVectorStore } from './lance/lance.store.js';
import { QdrantVectorStore } from './qdrant/qdrant.store.js';
import type { VectorStore } from './vector.types.js';

const schema = z
  .object({
    /**
     * embedded: LanceDB on local disk (the default); qdrant: a Qdrant server at QDRANT_URL;
     * json: the old one-JSON-file-per-tenant store (kept for comparison in bench:retrieval).
     */
    VECTOR_STORE: z.enum(['embedded', 'qdrant', 'json']).default('embedded'),
    /** Rows past which a tenant's embedded table gets an ANN index. */
    VECTOR_ANN_THRESHOLD: z.coerce.number().int().min(256).default(5_000),
    VECTOR_DIR: z.string().min(1).default('.spine/vectors'),
    VECTOR_COLLECTION: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .default('cerebro'),
    QDRANT_URL: z.url().optional(),
    QDRANT_API_KEY: z.string().min(1).optional(),
    /** Copies of each shard of the collection retrieval creates: 2+ on a Qdrant cluster, so one node can go. */
    QDRANT_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(16).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.VECTOR_STORE === 'qdrant' && !c.QDRANT_URL) ctx.addIssue({ code: 'custom', path: ['QDRANT_URL'], message: 'is required when VECTOR_STORE=qdrant' });
  });

export type VectorConfig = z.infer<typeof schema>;

export function loadVectorConfig(env: NodeJS.ProcessEnv = process.env): VectorConfig {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new Error(`vector: invalid configuration\n${lines.join('\n')}`);
}

/** The store the configuration names, for vectors of `dimensions` (the embedder's). */
export function createVectorStore(config: VectorConfig, dimensions: number): VectorStore {
  if (config.VECTOR_STORE === 'qdrant' && config.QDRANT_URL) {
    const client = new QdrantClient({ url: config.QDRANT_URL, ...(config.QDRANT_API_KEY ? { apiKey: config.QDRANT_API_KEY } : {}), checkCompatibility: false });
    // TLS: an https:// QDRANT_URL; a private CA through NODE_EXTRA_CA_CERTS (Node's fetch reads it).
    return new QdrantVectorStore(client, config.VECTOR_COLLECTION, dimensions, config.QDRANT_REPLICATION_FACTOR);
  }
  if (config.VECTOR_STORE === 'json') return new EmbeddedVectorStore({ dimensions, dir: config.VECTOR_DIR, collection: config.VECTOR_COLLECTION });
  return new LanceVectorStore({ dimensions, dir: config.VECTOR_DIR, collection: config.VECTOR_COLLECTION, annThreshold: config.VECTOR_ANN_THRESHOLD });
}
