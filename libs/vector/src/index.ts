export type { DeleteTarget, FilterValue, Payload, PayloadFilter, PayloadValue, SearchHit, SearchQuery, TenantId, VectorPoint, VectorStore } from './lib/vector.types.js';
export { tenantId, assertTenant } from './lib/tenant.js';
export { EmbeddedVectorStore, type EmbeddedStoreOptions } from './lib/embedded/embedded.store.js';
export { DiskPersistence, MemoryPersistence, type EmbeddedPersistence, type StoredPoint } from './lib/embedded/embedded.persistence.js';
export { LanceVectorStore, type LanceStoreOptions } from './lib/lance/lance.store.js';
export { QdrantVectorStore, pointId, type QdrantApi } from './lib/qdrant/qdrant.store.js';
export { loadVectorConfig, createVectorStore, type VectorConfig } from './lib/vector.config.js';
