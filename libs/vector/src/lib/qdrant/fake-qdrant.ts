import type { QdrantApi } from './qdrant.store.js';

type Point = { id: string; vector: number[]; payload: Record<string, unknown> };
type Condition = { key?: string; match?: { value?: unknown; any?: unknown[] }; has_id?: string[] };
type Args<K extends keyof QdrantApi> = Parameters<QdrantApi[K]>;

function matches(p: Point, filter: { must?: Condition[] } | undefined): boolean {
  return (filter?.must ?? []).every((c) => {
    if (c.has_id) return c.has_id.includes(p.id);
    const field = p.payload[c.key ?? ''];
    const values = Array.isArray(field) ? field : [field];
    if (c.match && 'any' in c.match) return values.some((v) => c.match?.any?.includes(v));
    return values.includes(c.match?.value);
  });
}

/** An in-memory stand-in for the Qdrant client: enough to check what the store sends. */
export class FakeQdrant {
  readonly points = new Map<string, Point>();
  readonly filters: unknown[] = [];
  collections = new Set<string>();
  collectionParams = new Map<string, unknown>();
  indexes: unknown[] = [];

  asApi(): QdrantApi {
    return {
      collectionExists: (name: string) => Promise.resolve({ exists: this.collections.has(name) }),
      createCollection: (...args: Args<'createCollection'>) => {
        const [name, params] = args;
        this.collections.add(name);
        this.collectionParams.set(name, params);
        return Promise.resolve(true);
      },
      createPayloadIndex: (...args: Args<'createPayloadIndex'>) => {
        this.indexes.push(args[1]);
        return Promise.resolve({ operation_id: 1, status: 'completed' as const });
      },
      upsert: (...args: Args<'upsert'>) => {
        const body = args[1] as unknown as { points: Point[] };
        for (const p of body.points) this.points.set(p.id, p);
        return Promise.resolve({ operation_id: 1, status: 'completed' as const });
      },
      query: (...args: Args<'query'>) => {
        const body = args[1] as unknown as { query: number[]; filter: { must: Condition[] }; limit: number; score_threshold?: number };
        this.filters.push(body.filter);
        const scored = [...this.points.values()]
          .filter((p) => matches(p, body.filter))
          .map((p) => ({ id: p.id, version: 1, payload: p.payload, score: body.query.reduce((s, x, i) => s + x * (p.vector[i] ?? 0), 0) }))
          .filter((p) => body.score_threshold === undefined || p.score >= body.score_threshold)
          .sort((x, y) => y.score - x.score)
          .slice(0, body.limit);
        return Promise.resolve({ points: scored });
      },
      delete: (...args: Args<'delete'>) => {
        const body = args[1] as unknown as { filter: { must: Condition[] } };
        this.filters.push(body.filter);
        for (const [id, p] of this.points) if (matches(p, body.filter)) this.points.delete(id);
        return Promise.resolve({ operation_id: 1, status: 'completed' as const });
      },
    } as unknown as QdrantApi;
  }
}
