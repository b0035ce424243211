declare const tenantBrand: unique symbol;

/** A tenant id checked by `tenantId()`: the only way to name a tenant to a store. */
export type TenantId = string & { readonly [tenantBrand]: 'TenantId' };

export type PayloadValue = string | number | boolean | null | readonly PayloadValue[] | { readonly [key: string]: PayloadValue };

/** `tenant` is the store's own field: a payload may not set it. */
export type Payload = { readonly [key: string]: PayloadValue } & { readonly tenant?: never };

export type FilterValue = string | number | boolean | readonly (string | number)[];

/**
 * Equality on payload fields (an array: any of these values). `tenant` cannot appear: the store
 * adds the tenant condition to every call itself.
 */
export type PayloadFilter = { readonly [key: string]: FilterValue } & { readonly tenant?: never };

export interface VectorPoint {
  /** Unique within the tenant; the same id in another tenant is another point. */
  id: string;
  vector: readonly number[];
  payload?: Payload;
}

export interface SearchQuery {
  vector: readonly number[];
  /** Default 10. */
  limit?: number;
  filter?: PayloadFilter;
  /** Cosine similarity below which hits are left out. */
  minScore?: number;
  /** Exact search, past any ANN index: for listing every point a filter selects. Stores without an index are always exact. */
  exact?: boolean;
}

export interface SearchHit {
  id: string;
  /** Cosine similarity, -1 to 1. */
  score: number;
  payload: Readonly<Record<string, PayloadValue>>;
}

export type DeleteTarget = { ids: readonly string[] } | { filter: PayloadFilter };

/** Vectors per tenant: every call names its tenant, and no call reaches another tenant's points. */
export interface VectorStore {
  readonly dimensions: number;
  upsert(tenant: TenantId, points: readonly VectorPoint[]): Promise<void>;
  search(tenant: TenantId, query: SearchQuery): Promise<SearchHit[]>;
  delete(tenant: TenantId, target: DeleteTarget): Promise<void>;
  close(): Promise<void>;
}
