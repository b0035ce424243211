import type { ServiceSpec } from '../services.js';
import { NATS, QDRANT, SHUTDOWN_GRACE_MS } from './cluster.js';

/** Settings every service reads (ConfigMap `spine-common`). */
export function commonConfig(): Record<string, string> {
  return {
    NATS_URL: NATS.url,
    LOG_LEVEL: 'info',
    // `local` (offline, deterministic) or `openai` / `openai:<model>` (needs OPENAI_API_KEY from Secret spine-llm).
    LLM_DEFAULT_MODEL: 'local',
    NODE_ENV: 'production',
    SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS),
  };
}

/** One service's own settings (ConfigMap `spine-<name>`). Secrets never go here. */
export function serviceConfig(spec: ServiceSpec): Record<string, string> {
  const config: Record<string, string> = {
    SERVICE: spec.name,
    HTTP_HOST: '0.0.0.0',
    HTTP_PORT: String(spec.httpPort),
    NATS_USER: spec.name,
    // Leave a quarter of the memory limit to buffers, stacks and native code outside the V8 heap.
    NODE_OPTIONS: `--max-old-space-size=${Math.floor(mebibytes(spec.resources.limits.memory) * 0.75)}`,
  };
  if (spec.grpcPort) config['GRPC_PORT'] = String(spec.grpcPort);
  if (spec.vectorStore) Object.assign(config, { VECTOR_STORE: 'qdrant', QDRANT_URL: QDRANT.url });
  return { ...config, ...spec.env };
}

export function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`memory quantity ${quantity}: use Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}
