import { parseEnv } from '@spine/observability';
import { z } from 'zod';

const schema = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /** Tenant of the first admin key, created by migrate.js when no admin key exists. */
  DEFAULT_TENANT: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('default'),
  /** Requests per second per tenant (token bucket refill rate) and the burst it allows. */
  RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(50),
  RATE_LIMIT_BURST: z.coerce.number().int().positive().default(100),
  /** Largest request body accepted, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1_024).default(1_048_576),
});

export type OrchestratorConfig = z.infer<typeof schema>;
export const ORCHESTRATOR_CONFIG = Symbol('spine.orchestrator.config');
export const ORCHESTRATOR_SCHEMA = 'orchestrator';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): OrchestratorConfig {
  return parseEnv('orchestrator', schema, env);
}
