import { describe, expect, it } from 'vitest';
import { tenantId } from '../tenant.js';
import { axis, vectorStoreContract } from '../testing/vector-store.contract.js';
import { FakeQdrant } from './fake-qdrant.js';
import { pointId, QdrantVectorStore } from './qdrant.store.js';

vectorStoreContract('QdrantVectorStore (fake client)', () => Promise.resolve(new QdrantVectorStore(new FakeQdrant().asApi(), 'cerebro', 8)));

describe('QdrantVectorStore requests', () => {
  it('creates the collection once, with the tenant as an is_tenant keyword index', async () => {
    const fake = new FakeQdrant();
    const store = new QdrantVectorStore(fake.asApi(), 'cerebro', 4);
    await store.search(tenantId('acme'), { vector: axis(4, 0) });
    await store.search(tenantId('acme'), { vector: axis(4, 0) });
    expect([...fake.collections]).toEqual(['cerebro']);
    expect(fake.indexes).toEqual([{ wait: true, field_name: 'tenant', field_schema: { type: 'keyword', is_tenant: true } }]);
  });

  it('creates the collection with the replication factor it is given, and the server default otherwise', async () => {
    const replicated = new FakeQdrant();
    await new QdrantVectorStore(replicated.asApi(), 'cerebro', 4, 2).search(tenantId('acme'), { vector: axis(4, 0) });
    expect(replicated.collectionParams.get('cerebro')).toEqual({ vectors: { size: 4, distance: 'Cosine' }, replication_factor: 2 });
    const plain = new FakeQdrant();
    await new QdrantVectorStore(plain.asApi(), 'cerebro', 4).search(tenantId('acme'), { vector: axis(4, 0) });
    expect(plain.collectionParams.get('cerebro')).toEqual({ vectors: { size: 4, distance: 'Cosine' } });
  });

  it('puts the tenant condition first in the filter of every search and delete', async () => {
    const fake = new FakeQdrant();
    const store = new QdrantVectorStore(fake.asApi(), 'cerebro', 4);
    const acme = tenantId('acme');
    await store.upsert(acme, [{ id: 'd1', vector: axis(4, 0), payload: { kind: 'policy' } }]);
    await store.search(acme, { vector: axis(4, 0), filter: { kind: 'policy' } });
    await store.delete(acme, { ids: ['d1'] });
    await store.delete(acme, { filter: { kind: 'policy' } });
    expect(fake.filters).toHaveLength(3);
    for (const f of fake.filters) expect((f as { must: unknown[] }).must[0]).toEqual({ key: 'tenant', match: { value: 'acme' } });
  });

  it('stores the tenant and the caller id in the payload under a per-tenant UUID', async () => {
    const fake = new FakeQdrant();
    const store = new QdrantVectorStore(fake.asApi(), 'cerebro', 4);
    await store.upsert(tenantId('acme'), [{ id: 'doc-1', vector: axis(4, 0) }]);
    const stored = fake.points.get(pointId('acme', 'doc-1'));
    expect(stored?.payload).toEqual({ tenant: 'acme', doc_id: 'doc-1' });
    expect(pointId('acme', 'doc-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pointId('acme', 'doc-1')).not.toBe(pointId('other', 'doc-1'));
  });
});
