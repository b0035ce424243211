import { describe, expect, it } from 'vitest';
import { EmbeddedVectorStore } from './embedded/embedded.store.js';
import { tenantId } from './tenant.js';

describe('tenant ids', () => {
  it('accepts ordinary ids and refuses empty, path-like or odd ones', () => {
    expect(tenantId('acme')).toBe('acme');
    expect(tenantId('tenant-1.eu:prod')).toBe('tenant-1.eu:prod');
    for (const bad of ['', ' ', '../etc', 'a/b', 'x'.repeat(200), 'acme corp']) expect(() => tenantId(bad)).toThrow();
  });

  it('makes leaving the tenant out a type error', async () => {
    const store = new EmbeddedVectorStore({ dimensions: 2 });
    const t = tenantId('acme');
    // @ts-expect-error a plain string is not a TenantId: it has to go through tenantId()
    await expect(store.search('acme', { vector: [1, 0] })).resolves.toEqual([]);
    // @ts-expect-error the tenant is not optional
    await expect(store.search({ vector: [1, 0] })).rejects.toThrow();
    // @ts-expect-error a filter cannot name the tenant
    await expect(store.search(t, { vector: [1, 0], filter: { tenant: 'other' } })).rejects.toThrow();
    // @ts-expect-error nor can a payload
    await expect(store.upsert(t, [{ id: '1', vector: [1, 0], payload: { tenant: 'other' } }])).rejects.toThrow();
  });
});
