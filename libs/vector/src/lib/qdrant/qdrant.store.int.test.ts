import { QdrantClient } from '@qdrant/js-client-rest';
import { randomUUID } from 'node:crypto';
import { afterAll, describe } from 'vitest';
import { vectorStoreContract } from '../testing/vector-store.contract.js';
import { QdrantVectorStore } from './qdrant.store.js';

const url = process.env['QDRANT_URL'];
const collection = `spine_test_${randomUUID().slice(0, 8)}`;

// Needs a running Qdrant: set QDRANT_URL (e.g. http://127.0.0.1:6333) to run it; skipped otherwise.
describe.skipIf(!url)('QdrantVectorStore against a real server (skipped: QDRANT_URL is not set)', () => {
  const client = new QdrantClient({ url: url ?? 'http://127.0.0.1:6333', checkCompatibility: false });
  vectorStoreContract('QdrantVectorStore (real server)', () => Promise.resolve(new QdrantVectorStore(client, collection, 8)));
  afterAll(async () => {
    // Best-effort cleanup: a test may have failed before creating it.
    await client.deleteCollection(collection).catch(() => undefined);
  });
});
