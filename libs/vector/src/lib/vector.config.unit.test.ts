import { describe, expect, it } from 'vitest';
import { EmbeddedVectorStore } from './embedded/embedded.store.js';
import { LanceVectorStore } from './lance/lance.store.js';
import { QdrantVectorStore } from './qdrant/qdrant.store.js';
import { createVectorStore, loadVectorConfig } from './vector.config.js';

describe('loadVectorConfig', () => {
  it('defaults to the embedded (LanceDB) store under .spine/vectors', () => {
    const config = loadVectorConfig({});
    expect(config).toMatchObject({ VECTOR_STORE: 'embedded', VECTOR_DIR: '.spine/vectors', VECTOR_COLLECTION: 'cerebro', VECTOR_ANN_THRESHOLD: 5_000 });
    expect(createVectorStore(config, 16)).toBeInstanceOf(LanceVectorStore);
  });

  it('still builds the old JSON-file store when asked for json', () => {
    expect(createVectorStore(loadVectorConfig({ VECTOR_STORE: 'json' }), 16)).toBeInstanceOf(EmbeddedVectorStore);
  });

  it('needs QDRANT_URL for qdrant and builds a Qdrant store with it', () => {
    expect(() => loadVectorConfig({ VECTOR_STORE: 'qdrant' })).toThrow(/QDRANT_URL/);
    const store = createVectorStore(loadVectorConfig({ VECTOR_STORE: 'qdrant', QDRANT_URL: 'http://127.0.0.1:6333' }), 16);
    expect(store).toBeInstanceOf(QdrantVectorStore);
    expect(store.dimensions).toBe(16);
  });

  it('reads QDRANT_REPLICATION_FACTOR as a positive integer', () => {
    expect(loadVectorConfig({ VECTOR_STORE: 'qdrant', QDRANT_URL: 'https://qdrant:6333', QDRANT_REPLICATION_FACTOR: '2' }).QDRANT_REPLICATION_FACTOR).toBe(2);
    expect(() => loadVectorConfig({ QDRANT_REPLICATION_FACTOR: '0' })).toThrow(/QDRANT_REPLICATION_FACTOR/);
  });
});
