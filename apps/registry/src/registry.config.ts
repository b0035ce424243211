import { parseEnv } from '@spine/observability';
import { z } from 'zod';

const schema = z
  .object({
    NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
    NATS_USER: z.string().min(1).optional(),
    NATS_PASSWORD: z.string().optional(),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    HTTP_HOST: z.string().default('0.0.0.0'),
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(7100),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    /** Told to every agent when it registers. */
    HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(50).default(2_000),
    /** No heartbeat for this long: unhealthy. */
    UNHEALTHY_AFTER_MS: z.coerce.number().int().min(100).default(6_000),
    /** No heartbeat for this long: gone. */
    GONE_AFTER_MS: z.coerce.number().int().min(100).default(30_000),
    SWEEP_INTERVAL_MS: z.coerce.number().int().min(20).default(1_000),
  })
  .refine((c) => c.GONE_AFTER_MS > c.UNHEALTHY_AFTER_MS, { message: 'GONE_AFTER_MS must be longer than UNHEALTHY_AFTER_MS', path: ['GONE_AFTER_MS'] })
  .refine((c) => c.UNHEALTHY_AFTER_MS > c.HEARTBEAT_INTERVAL_MS, { message: 'UNHEALTHY_AFTER_MS must be longer than HEARTBEAT_INTERVAL_MS', path: ['UNHEALTHY_AFTER_MS'] });

export type RegistryConfig = z.infer<typeof schema>;
export const REGISTRY_CONFIG = Symbol('spine.registry.config');
export const REGISTRY_SCHEMA = 'registry';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  return parseEnv('registry', schema, env);
}
