import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tenantId } from '../tenant.js';
import { axis, vectorStoreContract } from '../testing/vector-store.contract.js';
import { DiskPersistence, type StoredPoint } from './embedded.persistence.js';
import { EmbeddedVectorStore } from './embedded.store.js';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'spine-vectors-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

vectorStoreContract('EmbeddedVectorStore (disk)', async () => new EmbeddedVectorStore({ dimensions: 8, dir: await freshDir() }));

describe('EmbeddedVectorStore on disk', () => {
  it('reads its data back after a restart', async () => {
    const dir = await freshDir();
    const acme = tenantId('acme');
    const first = new EmbeddedVectorStore({ dimensions: 4, dir });
    await first.upsert(acme, [{ id: 'kept', vector: axis(4, 0), payload: { title: 'política de vacaciones' } }]);
    await first.close();
    const second = new EmbeddedVectorStore({ dimensions: 4, dir });
    expect(await second.search(acme, { vector: axis(4, 0) })).toEqual([{ id: 'kept', score: 1, payload: { title: 'política de vacaciones' } }]);
  });

  it('writes one file per tenant, named by a hash, and leaves no temporary files', async () => {
    const dir = await freshDir();
    const store = new EmbeddedVectorStore({ dimensions: 4, dir, collection: 'docs' });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.upsert(tenantId(i % 2 ? 'odd' : 'even'), [{ id: `p${i}`, vector: axis(4, i % 4) }])));
    const files = await readdir(join(dir, 'docs'));
    expect(files).toHaveLength(2);
    expect(files.every((f) => /^[0-9a-f]{40}\.json$/.test(f))).toBe(true);
    const body = JSON.parse(await readFile(join(dir, 'docs', files[0] ?? ''), 'utf8')) as { points: unknown[] };
    expect(body.points).toHaveLength(10);
  });

  it('keeps memory and disk in step when a write fails', async () => {
    const dir = await freshDir();
    class FailingOnce extends DiskPersistence {
      fail = true;
      override async save(tenant: string, points: readonly StoredPoint[]): Promise<void> {
        if (this.fail) {
          this.fail = false;
          throw new Error('disk full');
        }
        return super.save(tenant, points);
      }
    }
    const persistence = new FailingOnce(dir, 'c');
    const store = new EmbeddedVectorStore({ dimensions: 4, persistence });
    const acme = tenantId('acme');
    await expect(store.upsert(acme, [{ id: 'lost', vector: axis(4, 0) }])).rejects.toThrow('disk full');
    expect(await store.search(acme, { vector: axis(4, 0) })).toEqual([]);
    await store.upsert(acme, [{ id: 'saved', vector: axis(4, 0) }]);
    const reopened = new EmbeddedVectorStore({ dimensions: 4, persistence: new DiskPersistence(dir, 'c') });
    expect((await reopened.search(acme, { vector: axis(4, 0) })).map((h) => h.id)).toEqual(['saved']);
  });
});
