import { randomUUID } from 'node:crypto';
import { parseEnv } from '@spine/observability';
import { z } from 'zod';

const schema = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  /** This service's NATS user and password, when the server requires them. */
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().optional(),
  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  AGENT_INSTANCE_ID: z.string().min(1).default(() => randomUUID()),
  /** How long to wait for in-flight requests on SIGTERM. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** Used until the registry says otherwise in its register reply. */
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(50).default(2_000),
  REGISTRY_TIMEOUT_MS: z.coerce.number().int().min(50).default(2_000),
});

export type AgentConfig = z.infer<typeof schema>;

export function loadAgentConfig(agent: string, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  return parseEnv(agent, schema, env);
}
