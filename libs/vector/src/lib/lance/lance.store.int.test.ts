import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskPersistence } from '../embedded/embedded.persistence.js';
import { EmbeddedVectorStore } from '../embedded/embedded.store.js';
import { tenantId } from '../tenant.js';
import { axis, vectorStoreContract } from '../testing/vector-store.contract.js';
import { LanceVectorStore } from './lance.store.js';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'spine-lance-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

vectorStoreContract('LanceVectorStore', async () => new LanceVectorStore({ dimensions: 8, dir: await freshDir() }));

/** Points spread over the 16 axes, so an ANN index has clusters to learn. */
function spread(n: number, dimensions: number, kind: (i: number) => string) {
  return Array.from({ length: n }, (_, i) => ({ id: `p${i}`, vector: axis(dimensions, i % dimensions, (i + 1) % dimensions, ((i * 7) % 10) / 20), payload: { kind: kind(i), n: i } }));
}

describe('LanceVectorStore on disk', () => {
  it('reads its data back after a restart', async () => {
    const dir = await freshDir();
    const acme = tenantId('acme');
    const first = new LanceVectorStore({ dimensions: 4, dir });
    await first.upsert(acme, [{ id: 'kept', vector: axis(4, 0), payload: { title: 'política de vacaciones', meta: { source: 'a.md' } } }]);
    await first.close();
    const second = new LanceVectorStore({ dimensions: 4, dir });
    expect(await second.search(acme, { vector: axis(4, 0) })).toEqual([{ id: 'kept', score: expect.closeTo(1, 5), payload: { title: 'política de vacaciones', meta: { source: 'a.md' } } }]);
    expect((await second.search(acme, { vector: axis(4, 0), filter: { 'meta.source': 'a.md' } })).map((h) => h.id)).toEqual(['kept']);
    await second.close();
  });

  it('keeps a tenant in a table of its own, named by a hash, and creates none for a tenant that only searched', async () => {
    const dir = await freshDir();
    const store = new LanceVectorStore({ dimensions: 4, dir, collection: 'docs' });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.upsert(tenantId(i % 2 ? 'odd' : 'even'), [{ id: `p${i}`, vector: axis(4, i % 4) }])));
    expect(await store.search(tenantId('only-searched'), { vector: axis(4, 0) })).toEqual([]);
    const tables = (await readdir(join(dir, 'lance', 'docs'))).filter((f) => f.endsWith('.lance'));
    expect(tables).toHaveLength(2);
    expect(tables.every((t) => /^t_[0-9a-f]{40}\.lance$/.test(t))).toBe(true);
    expect(await store.count(tenantId('odd'))).toBe(10);
    await store.close();
  });

  it("treats quotes in ids and filter values as data, not SQL", async () => {
    const store = new LanceVectorStore({ dimensions: 4, dir: await freshDir() });
    const acme = tenantId('acme');
    await store.upsert(acme, [{ id: "o'brien", vector: axis(4, 0), payload: { kind: "x' OR 'a'='a" } }, { id: 'other', vector: axis(4, 0), payload: { kind: 'y' } }]);
    expect((await store.search(acme, { vector: axis(4, 0), filter: { kind: "x' OR 'a'='a" } })).map((h) => h.id)).toEqual(["o'brien"]);
    expect(await store.search(acme, { vector: axis(4, 0), filter: { kind: "' OR 1=1 --" } })).toEqual([]);
    await store.delete(acme, { ids: ["o'brien"] });
    expect((await store.search(acme, { vector: axis(4, 0) })).map((h) => h.id)).toEqual(['other']);
    await store.close();
  });

  it('builds an ANN index past the threshold and still finds the nearest point, with a filter pushed down', async () => {
    const dir = await freshDir();
    const store = new LanceVectorStore({ dimensions: 16, dir, annThreshold: 512 });
    const acme = tenantId('acme');
    const points = spread(1200, 16, (i) => (i % 3 === 0 ? 'policy' : 'event'));
    for (let i = 0; i < points.length; i += 300) await store.upsert(acme, points.slice(i, i + 300));
    expect(await store.indexed(acme)).toBe(true);
    const reopened = new LanceVectorStore({ dimensions: 16, dir, annThreshold: 512 });
    await store.close();
    const target = points[601]!;
    const [best] = await reopened.search(acme, { vector: target.vector, limit: 1 });
    expect(best?.score).toBeCloseTo(1, 3);
    const filtered = await reopened.search(acme, { vector: target.vector, limit: 5, filter: { kind: 'policy' } });
    expect(filtered.length).toBe(5);
    expect(filtered.every((h) => h.payload['kind'] === 'policy')).toBe(true);
    expect(await reopened.count(acme)).toBe(1200);
    await reopened.close();
  });

  it('builds the ANN index in the background: writes made meanwhile land and are found once it is in', async () => {
    const store = new LanceVectorStore({ dimensions: 16, dir: await freshDir(), annThreshold: 512, optimizeEvery: 3 });
    const acme = tenantId('acme');
    const points = spread(1500, 16, (i) => (i % 2 ? 'policy' : 'event'));
    await store.upsert(acme, points.slice(0, 600));
    // The build started by the write above runs while these appends, replacements and deletes commit.
    for (let i = 600; i < 1500; i += 150) await store.upsert(acme, points.slice(i, i + 150));
    await store.upsert(acme, [{ ...points[10]!, payload: { kind: 'replaced', n: 10 } }]);
    await store.delete(acme, { ids: ['p20', 'p1400'] });
    expect(await store.indexed(acme)).toBe(true);
    await store.upsert(acme, points.slice(0, 3)); // a write after the build: compaction folds rows in again
    expect(await store.count(acme)).toBe(1498);
    for (const target of [points[5]!, points[700]!, points[1499]!]) {
      expect((await store.search(acme, { vector: target.vector, limit: 1 }))[0]?.score).toBeCloseTo(1, 3);
    }
    expect((await store.search(acme, { vector: points[10]!.vector, limit: 1, filter: { kind: 'replaced' } })).map((h) => h.id)).toEqual(['p10']);
    expect((await store.search(acme, { vector: points[20]!.vector, limit: 3, exact: true })).map((h) => h.id)).not.toContain('p20');
    expect((await store.search(acme, { vector: points[1400]!.vector, limit: 3, exact: true })).map((h) => h.id)).not.toContain('p1400');
    await store.close();
  });

  it("migrates a tenant's old JSON file on first use and leaves it renamed", async () => {
    const dir = await freshDir();
    const acme = tenantId('acme');
    const old = new EmbeddedVectorStore({ dimensions: 4, dir });
    await old.upsert(acme, [
      { id: 'a', vector: axis(4, 0), payload: { kind: 'policy' } },
      { id: 'b', vector: axis(4, 1), payload: { kind: 'event' } },
    ]);
    await old.close();
    const store = new LanceVectorStore({ dimensions: 4, dir });
    expect((await store.search(acme, { vector: axis(4, 1), limit: 1 })).map((h) => h.id)).toEqual(['b']);
    expect((await store.search(acme, { vector: axis(4, 0), filter: { kind: 'policy' } })).map((h) => h.id)).toEqual(['a']);
    expect(await new DiskPersistence(dir, 'cerebro').load(acme)).toBeUndefined();
    expect((await readdir(join(dir, 'cerebro'))).every((f) => f.endsWith('.json.migrated'))).toBe(true);
    await store.close();
  });
});
