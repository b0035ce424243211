import { ErrorCode, SpineError } from '@spine/contracts';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PayloadValue } from '../vector.types.js';

export interface StoredPoint {
  id: string;
  vector: number[];
  payload: Record<string, PayloadValue>;
}

/** Where an embedded store keeps each tenant's points between restarts. */
export interface EmbeddedPersistence {
  load(tenant: string): Promise<StoredPoint[] | undefined>;
  save(tenant: string, points: readonly StoredPoint[]): Promise<void>;
}

/** For tests and throwaway stores: nothing survives the process. */
export class MemoryPersistence implements EmbeddedPersistence {
  private readonly data = new Map<string, StoredPoint[]>();
  load(tenant: string): Promise<StoredPoint[] | undefined> {
    return Promise.resolve(this.data.get(tenant)?.map((p) => structuredClone(p)));
  }
  save(tenant: string, points: readonly StoredPoint[]): Promise<void> {
    this.data.set(tenant, points.map((p) => structuredClone(p)));
    return Promise.resolve();
  }
}

interface TenantFile {
  version: 1;
  collection: string;
  tenant: string;
  points: StoredPoint[];
}

/**
 * One JSON file per tenant under `<dir>/<collection>/`, replaced atomically (write a temporary
 * file, fsync, rename), so a crash leaves the old version or the new one, never half of one.
 */
export class DiskPersistence implements EmbeddedPersistence {
  private readonly folder: string;

  constructor(
    dir: string,
    private readonly collection: string,
  ) {
    this.folder = join(dir, collection);
  }

  /** Tenant ids never become paths: a hash does, so "../x" is just another tenant. */
  fileOf(tenant: string): string {
    return join(this.folder, `${createHash('sha256').update(tenant).digest('hex').slice(0, 40)}.json`);
  }

  async load(tenant: string): Promise<StoredPoint[] | undefined> {
    let text: string;
    try {
      text = await readFile(this.fileOf(tenant), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const data = JSON.parse(text) as TenantFile;
    if (data.tenant !== tenant || data.collection !== this.collection) throw new SpineError(ErrorCode.INTERNAL, 'embedded vector store: a tenant file belongs to another tenant', { collection: this.collection });
    return data.points;
  }

  async save(tenant: string, points: readonly StoredPoint[]): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const target = this.fileOf(tenant);
    const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const body: TenantFile = { version: 1, collection: this.collection, tenant, points: [...points] };
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(JSON.stringify(body));
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}
