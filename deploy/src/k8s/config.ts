import type { ServiceSpec } from '../services.js';
import { parseQuantity, heapMebibytes } from '../quantity/quantity.js';
import { ADMIN_PORT, NATS, POOL_SIZE, QDRANT, SHUTDOWN_GRACE_MS, STREAMS } from './cluster.js';
import { resourceName } from './labels.js';

/** Settings every service reads (ConfigMap `spine-common`). */
export function commonConfig(): Record<string, string> {
  return {
    NATS_URL: NATS.url,
    LOG_LEVEL: 'info',
    // `local` (offline, deterministic) or `openai` / `openai:<model>` (needs OPENAI_API_KEY from Secret spine-llm).
    LLM_DEFAULT_MODEL: 'local',
    NODE_ENV: 'production',
    SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS),
    NATS_STREAM_REPLICAS: String(STREAMS.replicas),
    NATS_STREAM_MAX_BYTES: String(parseQuantity(STREAMS.maxBytes)),
  };
}

/** One service's own settings (ConfigMap `spine-<name>`). Secrets never go here. */
export function serviceConfig(spec: ServiceSpec): Record<string, string> {
  const config: Record<string, string> = {
    SERVICE: spec.name,
    HTTP_HOST: '0.0.0.0',
    HTTP_PORT: String(spec.httpPort),
    // Users are per install: two installs on one NATS server never share a user (or its subjects).
    NATS_USER: resourceName(spec.name),
    ADMIN_PORT: String(ADMIN_PORT),
    // Leave a quarter of the memory limit to buffers, stacks and native code outside the V8 heap.
    NODE_OPTIONS: `--max-old-space-size=${heapMebibytes(spec.resources.limits.memory)}`,
  };
  if (spec.database) config['DATABASE_POOL_SIZE'] = String(POOL_SIZE);
  if (spec.grpcPort) config['GRPC_PORT'] = String(spec.grpcPort);
  if (spec.vectorStore) Object.assign(config, { VECTOR_STORE: 'qdrant', QDRANT_URL: QDRANT.url, QDRANT_REPLICATION_FACTOR: String(QDRANT.replicationFactor) });
  return { ...config, ...spec.env };
}
