import { parseEnv } from '@spine/observability';
import { z } from 'zod';

const list = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const schema = z
  .object({
    NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
    NATS_USER: z.string().min(1).optional(),
    NATS_PASSWORD: z.string().optional(),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    HTTP_HOST: z.string().default('0.0.0.0'),
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(7100),
    /** Bearer token of the operator API (GET /agents); unset, that API answers loopback calls only. */
    OPERATOR_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    /** Told to every agent when it registers. */
    HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(50).default(2_000),
    /** No heartbeat for this long: unhealthy. */
    UNHEALTHY_AFTER_MS: z.coerce.number().int().min(100).default(6_000),
    /** No heartbeat for this long: gone. */
    GONE_AFTER_MS: z.coerce.number().int().min(100).default(30_000),
    SWEEP_INTERVAL_MS: z.coerce.number().int().min(20).default(1_000),
    /** Active probes of third-party agents (GET /health, grpc.health.v1): every interval, each with a timeout. */
    PROBE_INTERVAL_MS: z.coerce.number().int().min(50).default(5_000),
    PROBE_TIMEOUT_MS: z.coerce.number().int().min(10).default(2_000),
    /** Consecutive successes that make an agent healthy, and failures that make it unhealthy. */
    PROBE_HEALTHY_THRESHOLD: z.coerce.number().int().min(1).max(20).default(1),
    PROBE_UNHEALTHY_THRESHOLD: z.coerce.number().int().min(1).max(20).default(2),
    /** Probes in flight at once per replica, and how long a replica's claim on an agent's probes lasts unrenewed. */
    PROBE_CONCURRENCY: z.coerce.number().int().min(1).default(64),
    PROBE_LEASE_MS: z.coerce.number().int().min(100).default(15_000),
    /** Non-public addresses third-party endpoints may use (IPs, CIDRs, hosts); everything else non-public is refused. */
    AGENT_ENDPOINT_ALLOW: list.default([]),
    /** The cluster's own services (`host:port` or `host`), refused even when allow-listed; the registry adds its own ports. */
    AGENT_ENDPOINT_DENY: list.default([]),
    /** Names third parties may not take (the built-in agents). */
    RESERVED_AGENT_NAMES: list.default(['intake', 'router', 'retrieval', 'planner', 'tool-executor', 'streamer', 'event-logger', 'registry', 'orchestrator']),
    /** Name of this replica in probe claims (default: host and pid). */
    REPLICA_ID: z.string().min(1).optional(),
  })
  .refine((c) => c.PROBE_INTERVAL_MS >= c.PROBE_TIMEOUT_MS, { message: 'PROBE_INTERVAL_MS must be at least PROBE_TIMEOUT_MS', path: ['PROBE_INTERVAL_MS'] })
  .refine((c) => c.PROBE_LEASE_MS > c.PROBE_INTERVAL_MS, { message: 'PROBE_LEASE_MS must be longer than PROBE_INTERVAL_MS', path: ['PROBE_LEASE_MS'] })
  .refine((c) => c.GONE_AFTER_MS > c.UNHEALTHY_AFTER_MS, { message: 'GONE_AFTER_MS must be longer than UNHEALTHY_AFTER_MS', path: ['GONE_AFTER_MS'] })
  .refine((c) => c.UNHEALTHY_AFTER_MS > c.HEARTBEAT_INTERVAL_MS, { message: 'UNHEALTHY_AFTER_MS must be longer than HEARTBEAT_INTERVAL_MS', path: ['UNHEALTHY_AFTER_MS'] });

export type RegistryConfig = z.infer<typeof schema>;
export const REGISTRY_CONFIG = Symbol('spine.registry.config');
export const REGISTRY_SCHEMA = 'registry';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  return parseEnv('registry', schema, env);
}
