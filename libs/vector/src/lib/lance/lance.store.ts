import { connect, Index, type Connection, type Table } from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, List, Schema, Utf8 } from 'apache-arrow';
import { createHash } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { DiskPersistence, type StoredPoint } from '../embedded/embedded.persistence.js';
import { checkDelete, checkSearch, checkUpsert } from '../tenant.js';
import type { DeleteTarget, PayloadValue, SearchHit, SearchQuery, TenantId, VectorPoint, VectorStore } from '../vector.types.js';
import { sqlString, termsOf, whereOf } from './lance.terms.js';

export interface LanceStoreOptions {
  dimensions: number;
  /** The data directory: tables live in `<dir>/lance/<collection>/`; old JSON files in `<dir>/<collection>/` are migrated. */
  dir: string;
  collection?: string;
  /** Rows past which a tenant's table gets an ANN (IVF-PQ) index; below it, search is exact. Default 5,000 (a flat scan of 10,000 rows of 384 numbers already takes ~40 ms here). */
  annThreshold?: number;
  /**
   * Fewest writes to a tenant between compactions (which also fold new rows into the indexes). Default 20.
   * A compaction rewrites the tenant's small fragments (all of it, below a million rows), so past that it
   * waits until the rows added since make up a tenth of the table, or ten times this many writes:
   * compaction then costs a constant per row added, not one growing with the tenant.
   */
  optimizeEvery?: number;
}

interface Row {
  id: string;
  vector: number[];
  payload: string;
  terms: string[];
}

interface Hit {
  id: string;
  payload: string;
  _distance: number;
}

interface TenantTable {
  table: Table;
  indexed: boolean;
  /** Writes, and rows added, since the last compaction. */
  writes: number;
  added: number;
  /** Rows when last counted plus rows added since (deletes not subtracted): an upper bound. */
  rows: number;
  /** The ANN index being built in the background, while writes go on; compaction waits for it. */
  building?: Promise<void>;
  /** Rows the ANN index was trained on: past eight times as many it is trained again (its partitions would grow too big). */
  trainedOn: number;
}

/**
 * LanceDB on local disk: one table per tenant (named by a hash of the tenant id, so isolation is
 * a file boundary, not a filter), upserts by merge on `id`, payload filters pushed down as SQL
 * over a `terms` label list, and an IVF-PQ index once a tenant passes `annThreshold` rows (below
 * it a flat scan is exact and already fast). One process writes a directory at a time.
 */
export class LanceVectorStore implements VectorStore {
  readonly dimensions: number;
  private readonly dir: string;
  private readonly collection: string;
  private readonly annThreshold: number;
  private readonly optimizeEvery: number;
  private readonly schema: Schema;
  private db: Promise<Connection> | undefined;
  private readonly tables = new Map<string, Promise<TenantTable | undefined>>();
  private readonly writes = new Map<string, Promise<void>>();

  constructor(opts: LanceStoreOptions) {
    this.dimensions = opts.dimensions;
    this.dir = opts.dir;
    this.collection = opts.collection ?? 'cerebro';
    this.annThreshold = opts.annThreshold ?? 5_000;
    this.optimizeEvery = opts.optimizeEvery ?? 20;
    this.schema = new Schema([
      new Field('id', new Utf8(), false),
      new Field('vector', new FixedSizeList(this.dimensions, new Field('item', new Float32(), true)), false),
      new Field('payload', new Utf8(), false),
      new Field('terms', new List(new Field('item', new Utf8(), true)), false),
    ]);
  }

  async upsert(tenant: TenantId, points: readonly VectorPoint[]): Promise<void> {
    checkUpsert(tenant, points, this.dimensions);
    if (points.length === 0) return;
    // The last of several points with one id wins, as in a sequence of single upserts.
    const rows = [...new Map(points.map((p) => [p.id, rowOf(p.id, p.vector, p.payload ?? {})])).values()];
    await this.write(tenant, async (t) => {
      // Delete then append, not merge-insert: a merge joins against the whole table on every call (cost
      // growing with the tenant), while a delete by id uses the id index and an append touches only new rows.
      if (t.rows > 0) await t.table.delete(`id IN (${rows.map((r) => sqlString(r.id)).join(', ')})`);
      await t.table.add(rows as unknown as Record<string, unknown>[]);
      t.rows += rows.length;
      t.added += rows.length;
    });
  }

  async search(tenant: TenantId, query: SearchQuery): Promise<SearchHit[]> {
    checkSearch(tenant, query, this.dimensions);
    const t = await this.open(tenant, false);
    if (!t) return [];
    const limit = query.limit ?? 10;
    let q = t.table.vectorSearch([...query.vector]).distanceType('cosine').select(['id', 'payload', '_distance']).limit(limit);
    const where = whereOf(query.filter);
    if (where) q = q.where(where);
    if (t.indexed) q = query.exact ? q.bypassVectorIndex() : q.nprobes(20).refineFactor(5);
    // Cosine distance is 1 - similarity.
    if (query.minScore !== undefined) q = q.distanceRange(undefined, 1 - query.minScore + 1e-9);
    const hits = (await q.toArray()) as Hit[];
    return hits
      .map((h) => ({ id: h.id, score: 1 - h._distance, payload: JSON.parse(h.payload) as Record<string, PayloadValue> }))
      .filter((h) => query.minScore === undefined || h.score >= query.minScore - 1e-6)
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  }

  async delete(tenant: TenantId, target: DeleteTarget): Promise<void> {
    checkDelete(tenant, target);
    if ('ids' in target && target.ids.length === 0) return;
    await this.write(tenant, async (t) => {
      await t.table.delete('ids' in target ? `id IN (${target.ids.map(sqlString).join(', ')})` : whereOf(target.filter)!);
    });
  }

  /** How many points a tenant has (for the knowledge API's counts and the bench). */
  async count(tenant: TenantId): Promise<number> {
    const t = await this.open(tenant, false);
    return t ? t.table.countRows() : 0;
  }

  /** Resolves once no ANN index is being built for the tenant (for tests and the bench). */
  async indexed(tenant: TenantId): Promise<boolean> {
    await this.writes.get(tenant)?.catch(() => undefined);
    const t = await this.open(tenant, false);
    await t?.building;
    return t?.indexed ?? false;
  }

  /** Waits for pending writes and index builds, and closes the tables. */
  async close(): Promise<void> {
    await Promise.allSettled(this.writes.values());
    for (const t of this.tables.values()) await (await t.catch(() => undefined))?.building;
    // A table that failed to open has nothing to close; its error already reached the call that opened it.
    for (const t of this.tables.values()) (await t.catch(() => undefined))?.table.close();
    this.tables.clear();
    if (this.db) (await this.db).close();
    this.db = undefined;
  }

  private connection(): Promise<Connection> {
    this.db ??= connect(join(this.dir, 'lance', this.collection));
    return this.db;
  }

  /** Tenant ids never become paths: a hash does, so "../x" is just another tenant. */
  private static tableName(tenant: string): string {
    return `t_${createHash('sha256').update(tenant).digest('hex').slice(0, 40)}`;
  }

  /** The tenant's table; created (and the tenant's old JSON file migrated into it) only when `create`. */
  private open(tenant: string, create: boolean): Promise<TenantTable | undefined> {
    let opened = this.tables.get(tenant);
    if (!opened || create) {
      const previous = opened ?? Promise.resolve(undefined);
      opened = previous.then(async (existing) => existing ?? (await this.load(tenant, create)));
      // A failed open is not cached (the next call opens again); its error reaches the caller through `opened`.
      opened.catch(() => this.tables.delete(tenant));
      this.tables.set(tenant, opened);
    }
    return opened;
  }

  private async load(tenant: string, create: boolean): Promise<TenantTable | undefined> {
    const db = await this.connection();
    const name = LanceVectorStore.tableName(tenant);
    if ((await db.tableNames()).includes(name)) {
      const table = await db.openTable(name);
      const indexed = (await table.listIndices()).some((i) => i.columns.includes('vector'));
      const rows = await table.countRows();
      return { table, indexed, writes: 0, added: 0, rows, trainedOn: indexed ? rows : 0 };
    }
    const legacy = await this.legacyPoints(tenant);
    if (!create && !legacy) return undefined;
    const table = await db.createEmptyTable(name, this.schema, { existOk: true });
    const t: TenantTable = { table, indexed: false, writes: 0, added: 0, rows: 0, trainedOn: 0 };
    if (legacy) {
      if (legacy.points.length) await table.add(legacy.points.map((p) => rowOf(p.id, p.vector, p.payload)) as unknown as Record<string, unknown>[]);
      t.rows = legacy.points.length;
      await this.maintain(t);
      if (t.rows >= this.annThreshold) this.buildIndex(tenant, t);
      await rename(legacy.file, `${legacy.file}.migrated`);
    }
    return t;
  }

  /** The tenant's points in the old one-JSON-file-per-tenant store, if it has a file there. */
  private async legacyPoints(tenant: string): Promise<{ points: StoredPoint[]; file: string } | undefined> {
    const old = new DiskPersistence(this.dir, this.collection);
    const points = await old.load(tenant);
    return points ? { points, file: old.fileOf(tenant) } : undefined;
  }

  /** Writes of one tenant run one after another; `change` undefined only compacts (after an index build). */
  private write(tenant: string, change: ((t: TenantTable) => Promise<void>) | undefined): Promise<void> {
    const previous = this.writes.get(tenant) ?? Promise.resolve();
    const next = previous
      // The previous write's error already reached its own caller; this write runs regardless.
      .catch(() => undefined)
      .then(async () => {
        const t = (await this.open(tenant, true))!;
        if (change) {
          await change(t);
          t.writes += 1;
        }
        // Compaction rewrites fragments an index build is reading: it waits until the build is in.
        if ((!change || this.compactionDue(t)) && !t.building) await this.maintain(t);
        if (!t.building && t.rows >= Math.max(this.annThreshold, t.trainedOn * 8)) this.buildIndex(tenant, t);
      });
    this.writes.set(tenant, next);
    return next;
  }

  private compactionDue(t: TenantTable): boolean {
    if (t.writes < this.optimizeEvery) return false;
    return t.added * 10 >= t.rows - t.added || t.writes >= this.optimizeEvery * 10;
  }

  /**
   * When `compactionDue`: compacts the small files that appends leave, folds new rows into
   * the indexes, and indexes `id` (so each upsert's delete is a lookup), so neither ingest nor
   * search slows down as a tenant grows.
   */
  private async maintain(t: TenantTable): Promise<void> {
    await t.table.optimize({ cleanupOlderThan: new Date() });
    t.rows = await t.table.countRows();
    t.writes = 0;
    t.added = 0;
    if (t.rows > 0 && !(await t.table.listIndices()).some((i) => i.columns.includes('id'))) await t.table.createIndex('id', { config: Index.btree() });
  }

  /**
   * Trains the IVF-PQ and label-list indexes once the table passes the threshold, in the background:
   * the write that crossed it returns at once and later writes go on (an append commits alongside an
   * index build; rows added meanwhile are searched exactly until the next compaction folds them in).
   * Until it is in, searches scan, which is exact (or use the previous index, when the table has grown
   * eightfold since it was trained and it is trained again). A failed build is tried again at the next write.
   */
  private buildIndex(tenant: string, t: TenantTable): void {
    const rows = t.rows;
    t.building = (async () => {
      await t.table.createIndex('vector', { config: Index.ivfPq({ distanceType: 'cosine', numPartitions: Math.max(1, Math.round(Math.sqrt(rows))), numSubVectors: subVectors(this.dimensions) }) });
      if (!t.indexed) await t.table.createIndex('terms', { config: Index.labelList() });
      t.indexed = true;
      t.trainedOn = rows;
      // Rows appended during the build are outside the index until a compaction folds them in: one now.
      t.building = undefined;
      await this.write(tenant, undefined);
    })()
      // Not indexed yet: searches stay exact, and the next write past the threshold starts another build.
      .catch(() => undefined)
      .finally(() => {
        t.building = undefined;
      });
  }
}

function rowOf(id: string, vector: readonly number[], payload: Readonly<Record<string, PayloadValue>>): Row {
  return { id, vector: [...vector], payload: JSON.stringify(payload), terms: termsOf(payload) };
}

/** PQ sub-vectors: the largest divisor of the dimensions that leaves sub-vectors of at least 8 numbers. */
function subVectors(dimensions: number): number {
  for (let n = Math.floor(dimensions / 8); n > 1; n--) if (dimensions % n === 0) return n;
  return 1;
}
