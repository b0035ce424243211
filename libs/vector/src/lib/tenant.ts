import { SpineError } from '@spine/contracts';
import type { DeleteTarget, PayloadFilter, SearchQuery, TenantId, VectorPoint } from './vector.types.js';

const TENANT = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/** Checks and brands a tenant id; the stores take nothing else. */
export function tenantId(value: string): TenantId {
  if (!TENANT.test(value)) throw SpineError.invalid('invalid tenant id', { field: 'tenant' });
  return value as TenantId;
}

/** The runtime half of the guarantee the types give: JavaScript callers and casts get no way round it. */
export function assertTenant(tenant: unknown): asserts tenant is TenantId {
  if (typeof tenant !== 'string' || !TENANT.test(tenant)) throw SpineError.invalid('every vector store call needs a tenant', { field: 'tenant' });
}

function assertFilter(filter: PayloadFilter | undefined): void {
  if (filter && Object.prototype.hasOwnProperty.call(filter, 'tenant')) throw SpineError.invalid('a filter may not name the tenant; pass it as the tenant argument', { field: 'filter.tenant' });
}

export function checkUpsert(tenant: unknown, points: readonly VectorPoint[], dimensions: number): asserts tenant is TenantId {
  assertTenant(tenant);
  for (const [i, p] of points.entries()) {
    if (typeof p.id !== 'string' || !p.id) throw SpineError.invalid('a point needs an id', { field: `points[${i}].id` });
    if (p.vector.length !== dimensions || p.vector.some((x) => !Number.isFinite(x))) {
      throw SpineError.invalid(`a vector needs ${dimensions} finite numbers`, { field: `points[${i}].vector` });
    }
    if (p.payload && Object.prototype.hasOwnProperty.call(p.payload, 'tenant')) throw SpineError.invalid('payload.tenant is set by the store', { field: `points[${i}].payload.tenant` });
  }
}

export function checkSearch(tenant: unknown, query: SearchQuery, dimensions: number): asserts tenant is TenantId {
  assertTenant(tenant);
  assertFilter(query.filter);
  if (query.vector.length !== dimensions) throw SpineError.invalid(`the query vector needs ${dimensions} numbers`, { field: 'vector' });
  if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 1000)) throw SpineError.invalid('limit must be 1 to 1000', { field: 'limit' });
}

export function checkDelete(tenant: unknown, target: DeleteTarget): asserts tenant is TenantId {
  assertTenant(tenant);
  if ('filter' in target) {
    assertFilter(target.filter);
    if (Object.keys(target.filter).length === 0) throw SpineError.invalid('delete by filter needs at least one condition', { field: 'filter' });
  }
}
