import { cosine, matchesFilter } from '../filter.js';
import { checkDelete, checkSearch, checkUpsert } from '../tenant.js';
import type { DeleteTarget, SearchHit, SearchQuery, TenantId, VectorPoint, VectorStore } from '../vector.types.js';
import { DiskPersistence, MemoryPersistence, type EmbeddedPersistence, type StoredPoint } from './embedded.persistence.js';

export interface EmbeddedStoreOptions {
  dimensions: number;
  /** A directory: the store keeps its data there and reads it back after a restart. Absent: memory only. */
  dir?: string;
  collection?: string;
  persistence?: EmbeddedPersistence;
}

/**
 * Brute-force cosine search over each tenant's points, kept in memory and persisted per tenant.
 * Fine for thousands of points per tenant; one process writes a directory at a time.
 */
export class EmbeddedVectorStore implements VectorStore {
  readonly dimensions: number;
  private readonly persistence: EmbeddedPersistence;
  private readonly tenants = new Map<string, Promise<Map<string, StoredPoint>>>();
  private readonly writes = new Map<string, Promise<void>>();

  constructor(opts: EmbeddedStoreOptions) {
    this.dimensions = opts.dimensions;
    this.persistence = opts.persistence ?? (opts.dir ? new DiskPersistence(opts.dir, opts.collection ?? 'cerebro') : new MemoryPersistence());
  }

  async upsert(tenant: TenantId, points: readonly VectorPoint[]): Promise<void> {
    checkUpsert(tenant, points, this.dimensions);
    await this.write(tenant, (data) => {
      for (const p of points) data.set(p.id, { id: p.id, vector: [...p.vector], payload: { ...(p.payload ?? {}) } });
    });
  }

  async search(tenant: TenantId, query: SearchQuery): Promise<SearchHit[]> {
    checkSearch(tenant, query, this.dimensions);
    const data = await this.points(tenant);
    const hits: SearchHit[] = [];
    for (const p of data.values()) {
      if (!matchesFilter(p.payload, query.filter)) continue;
      const score = cosine(query.vector, p.vector);
      if (query.minScore === undefined || score >= query.minScore) hits.push({ id: p.id, score, payload: { ...p.payload } });
    }
    return hits.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, query.limit ?? 10);
  }

  async delete(tenant: TenantId, target: DeleteTarget): Promise<void> {
    checkDelete(tenant, target);
    await this.write(tenant, (data) => {
      if ('ids' in target) for (const id of target.ids) data.delete(id);
      else for (const [id, p] of data) if (matchesFilter(p.payload, target.filter)) data.delete(id);
    });
  }

  /** Waits for pending writes. */
  async close(): Promise<void> {
    await Promise.all(this.writes.values());
  }

  private points(tenant: string): Promise<Map<string, StoredPoint>> {
    let loaded = this.tenants.get(tenant);
    if (!loaded) {
      loaded = this.persistence.load(tenant).then((points) => new Map((points ?? []).map((p) => [p.id, p])));
      // A failed load is not cached (the next call loads again); its error reaches the caller through `loaded`.
      loaded.catch(() => this.tenants.delete(tenant));
      this.tenants.set(tenant, loaded);
    }
    return loaded;
  }

  /** Writes of one tenant run one after another, each persisted before the call returns. */
  private write(tenant: string, change: (data: Map<string, StoredPoint>) => void): Promise<void> {
    const previous = this.writes.get(tenant) ?? Promise.resolve();
    const next = previous
      // The previous write's error already reached its own caller; this write runs regardless.
      .catch(() => undefined)
      .then(async () => {
        const data = await this.points(tenant);
        const before = new Map(data);
        change(data);
        try {
          await this.persistence.save(tenant, [...data.values()]);
        } catch (err) {
          // Keep memory and disk in step: a write that did not persist did not happen.
          data.clear();
          for (const [k, v] of before) data.set(k, v);
          throw err;
        }
      });
    this.writes.set(tenant, next);
    return next;
  }
}
