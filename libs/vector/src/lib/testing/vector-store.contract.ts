import { ErrorCode } from '@spine/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tenantId } from '../tenant.js';
import type { PayloadFilter, TenantId, VectorStore } from '../vector.types.js';

/** A unit vector along axis `i`, plus a little of axis `j` (to rank hits). */
export function axis(dimensions: number, i: number, j = -1, tilt = 0): number[] {
  const v = new Array<number>(dimensions).fill(0);
  v[i] = 1;
  if (j >= 0) v[j] = tilt;
  return v;
}

/**
 * What every VectorStore must do, run against each adapter. The canaries: tenants A and B store
 * points with the same ids and the same vectors; A must never see B's, whatever it asks.
 */
export function vectorStoreContract(name: string, make: () => Promise<VectorStore>, dimensions = 8): void {
  describe(`${name}: VectorStore contract`, () => {
    let store: VectorStore;
    let a: TenantId;
    let b: TenantId;

    beforeEach(async () => {
      store = await make();
      const run = Math.random().toString(36).slice(2, 8);
      a = tenantId(`tenant-a-${run}`);
      b = tenantId(`tenant-b-${run}`);
      await store.upsert(a, [
        { id: 'doc-1', vector: axis(dimensions, 0), payload: { owner: 'A', kind: 'policy', tags: ['hr', 'es'] } },
        { id: 'doc-2', vector: axis(dimensions, 0, 1, 0.5), payload: { owner: 'A', kind: 'event' } },
      ]);
      await store.upsert(b, [
        { id: 'doc-1', vector: axis(dimensions, 0), payload: { owner: 'B', kind: 'policy', canary: 'B-SECRET' } },
        { id: 'doc-9', vector: axis(dimensions, 0), payload: { owner: 'B', kind: 'event', canary: 'B-SECRET' } },
      ]);
    });

    afterEach(async () => {
      await store.close();
    });

    it("never returns another tenant's documents (canaries)", async () => {
      const hits = await store.search(a, { vector: axis(dimensions, 0), limit: 100 });
      expect(hits.map((h) => h.id).sort()).toEqual(['doc-1', 'doc-2']);
      expect(hits.every((h) => h.payload['owner'] === 'A')).toBe(true);
      expect(JSON.stringify(hits)).not.toContain('B-SECRET');
      const bHits = await store.search(b, { vector: axis(dimensions, 0), limit: 100 });
      expect(bHits.every((h) => h.payload['owner'] === 'B')).toBe(true);
    });

    it('ranks by cosine similarity and honours limit and minScore', async () => {
      const hits = await store.search(a, { vector: axis(dimensions, 0), limit: 1 });
      expect(hits).toEqual([{ id: 'doc-1', score: expect.closeTo(1, 4), payload: { owner: 'A', kind: 'policy', tags: ['hr', 'es'] } }]);
      const close = await store.search(a, { vector: axis(dimensions, 1), minScore: 0.3 });
      expect(close.map((h) => h.id)).toEqual(['doc-2']);
    });

    it('filters on payload fields: equality, any-of, and array fields', async () => {
      expect((await store.search(a, { vector: axis(dimensions, 0), filter: { kind: 'event' } })).map((h) => h.id)).toEqual(['doc-2']);
      expect((await store.search(a, { vector: axis(dimensions, 0), filter: { kind: ['event', 'policy'] } })).length).toBe(2);
      expect((await store.search(a, { vector: axis(dimensions, 0), filter: { tags: 'hr' } })).map((h) => h.id)).toEqual(['doc-1']);
      expect(await store.search(a, { vector: axis(dimensions, 0), filter: { canary: 'B-SECRET' } })).toEqual([]);
    });

    it('upserts in place and deletes within the tenant only', async () => {
      await store.upsert(a, [{ id: 'doc-1', vector: axis(dimensions, 0), payload: { owner: 'A', kind: 'policy', version: 2 } }]);
      expect((await store.search(a, { vector: axis(dimensions, 0), filter: { version: 2 } })).map((h) => h.id)).toEqual(['doc-1']);
      await store.delete(a, { ids: ['doc-1', 'doc-9'] });
      expect((await store.search(a, { vector: axis(dimensions, 0) })).map((h) => h.id)).toEqual(['doc-2']);
      expect((await store.search(b, { vector: axis(dimensions, 0) })).map((h) => h.id).sort()).toEqual(['doc-1', 'doc-9']);
      await store.delete(a, { filter: { kind: 'event' } });
      expect(await store.search(a, { vector: axis(dimensions, 0) })).toEqual([]);
      expect(await store.search(b, { vector: axis(dimensions, 0) })).toHaveLength(2);
    });

    it('refuses a call without a valid tenant, and a filter or payload naming the tenant', async () => {
      const v = axis(dimensions, 0);
      await expect(store.search(undefined as unknown as TenantId, { vector: v })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      await expect(store.search('' as TenantId, { vector: v })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      await expect(store.search(a, { vector: v, filter: { tenant: b } as unknown as PayloadFilter })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      await expect(store.upsert(a, [{ id: 'x', vector: v, payload: JSON.parse('{"tenant":"other"}') as never }])).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      await expect(store.upsert(a, [{ id: 'x', vector: [1, 2] }])).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      await expect(store.delete(a, { filter: {} })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      expect((await store.search(b, { vector: v })).length).toBe(2);
    });
  });
}
