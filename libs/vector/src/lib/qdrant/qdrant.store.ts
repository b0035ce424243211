import { ErrorCode, SpineError } from '@spine/contracts';
import type { QdrantClient } from '@qdrant/js-client-rest';
import { createHash } from 'node:crypto';
import { checkDelete, checkSearch, checkUpsert } from '../tenant.js';
import type { DeleteTarget, PayloadFilter, PayloadValue, SearchHit, SearchQuery, TenantId, VectorPoint, VectorStore } from '../vector.types.js';

/** The part of the Qdrant client this store uses (a fake stands in for it in unit tests). */
export type QdrantApi = Pick<QdrantClient, 'collectionExists' | 'createCollection' | 'createPayloadIndex' | 'upsert' | 'query' | 'delete'>;

type Condition = { key: string; match: { value: string | number | boolean } | { any: (string | number)[] } } | { has_id: string[] };
type Filter = { must: Condition[] };

const TENANT_FIELD = 'tenant';
const ID_FIELD = 'doc_id';

/** Qdrant wants UUIDs; the tenant is part of the hash, so two tenants' "doc-1" never collide. */
export function pointId(tenant: string, id: string): string {
  const h = createHash('sha256').update(`${tenant}\u0000${id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** Every filter this store sends starts with the tenant condition. */
function tenantFilter(tenant: TenantId, filter?: PayloadFilter, extra: Condition[] = []): Filter {
  const must: Condition[] = [{ key: TENANT_FIELD, match: { value: tenant } }, ...extra];
  for (const [key, value] of Object.entries(filter ?? {})) {
    must.push({ key, match: Array.isArray(value) ? { any: [...(value as (string | number)[])] } : { value: value as string | number | boolean } });
  }
  return { must };
}

function unavailable(err: unknown): SpineError {
  if (err instanceof SpineError) return err;
  return new SpineError(ErrorCode.AGENT_UNAVAILABLE, `qdrant: ${err instanceof Error ? err.message : 'request failed'}`);
}

/**
 * Qdrant with the tenant as an indexed payload field (`is_tenant`), and the tenant condition in
 * the filter of every search and delete.
 */
export class QdrantVectorStore implements VectorStore {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly client: QdrantApi,
    private readonly collection: string,
    readonly dimensions: number,
    /** Copies of each shard across Qdrant nodes, set when the collection is created (the server's default: 1). */
    private readonly replicationFactor?: number,
  ) {}

  async upsert(tenant: TenantId, points: readonly VectorPoint[]): Promise<void> {
    checkUpsert(tenant, points, this.dimensions);
    if (points.length === 0) return;
    await this.ensureCollection();
    await this.client
      .upsert(this.collection, {
        wait: true,
        points: points.map((p) => ({ id: pointId(tenant, p.id), vector: [...p.vector], payload: { ...(p.payload ?? {}), [TENANT_FIELD]: tenant, [ID_FIELD]: p.id } })),
      })
      .catch((err: unknown) => Promise.reject(unavailable(err)));
  }

  async search(tenant: TenantId, query: SearchQuery): Promise<SearchHit[]> {
    checkSearch(tenant, query, this.dimensions);
    await this.ensureCollection();
    const res = await this.client
      .query(this.collection, {
        query: [...query.vector],
        filter: tenantFilter(tenant, query.filter),
        limit: query.limit ?? 10,
        with_payload: true,
        ...(query.minScore === undefined ? {} : { score_threshold: query.minScore }),
      })
      .catch((err: unknown) => Promise.reject(unavailable(err)));
    return res.points.flatMap((p) => {
      const payload = { ...((p.payload ?? {}) as Record<string, PayloadValue>) };
      // Belt and braces: a point of another tenant is never handed out, whatever the server did.
      if (payload[TENANT_FIELD] !== tenant) return [];
      const id = String(payload[ID_FIELD] ?? p.id);
      delete payload[TENANT_FIELD];
      delete payload[ID_FIELD];
      return [{ id, score: p.score, payload }];
    });
  }

  async delete(tenant: TenantId, target: DeleteTarget): Promise<void> {
    checkDelete(tenant, target);
    await this.ensureCollection();
    const filter = 'ids' in target ? tenantFilter(tenant, undefined, [{ has_id: target.ids.map((id) => pointId(tenant, id)) }]) : tenantFilter(tenant, target.filter);
    await this.client.delete(this.collection, { wait: true, filter }).catch((err: unknown) => Promise.reject(unavailable(err)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private ensureCollection(): Promise<void> {
    this.ready ??= this.create().catch((err: unknown) => {
      this.ready = undefined;
      throw unavailable(err);
    });
    return this.ready;
  }

  private async create(): Promise<void> {
    const { exists } = await this.client.collectionExists(this.collection);
    if (!exists) {
      try {
        await this.client.createCollection(this.collection, {
          vectors: { size: this.dimensions, distance: 'Cosine' },
          ...(this.replicationFactor ? { replication_factor: this.replicationFactor } : {}),
        });
      } catch (err) {
        // Another replica may have created it between the check and the create.
        if (!(await this.client.collectionExists(this.collection)).exists) throw err;
      }
    }
    await this.client.createPayloadIndex(this.collection, { wait: true, field_name: TENANT_FIELD, field_schema: { type: 'keyword', is_tenant: true } });
  }
}
