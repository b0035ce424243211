import { hostname } from 'node:os';
import type { ExpressionLimits, FlowLimits } from '@spine/flow';
import { parseEnv } from '@spine/observability';
import { z } from 'zod';

const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const ms = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

const schema = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** The web console's build (index.html and assets/), served at /console; default: apps/console/dist beside this app. */
  CONSOLE_DIR: z.string().min(1).optional(),
  /** The public gRPC API (spine.orchestrator.v1.OrchestratorService); 0 picks a free port. Default: see grpcPortOf. */
  GRPC_HOST: z.string().default('0.0.0.0'),
  GRPC_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /** Tenant of the first admin key, created by migrate.js when no admin key exists. */
  DEFAULT_TENANT: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('default'),
  /** Requests per second per tenant (token bucket refill rate) and the burst it allows. */
  RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(50),
  RATE_LIMIT_BURST: z.coerce.number().int().positive().default(100),
  /** How often a replica tells the others what it admitted, so the rate holds across replicas; 0: each replica on its own. */
  RATE_LIMIT_SYNC_MS: ms(100),
  /** How long a replica trusts an API key row it read (a key revoked elsewhere works this long here); 0: no cache. */
  AUTH_CACHE_MS: ms(1_000),
  /** Largest request body accepted, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1_024).default(1_048_576),
  /** Deepest nesting of a JSON request body (arrays and objects); deeper answers 400. */
  MAX_JSON_DEPTH: z.coerce.number().int().min(8).max(1_000).default(64),
  /**
   * Model refs a flow may name (deploy-time check; scopes narrow it per flow). Seed 000's bare names are in: the llm
   * agent serves a model no provider is configured for on its default provider (local, offline).
   */
  FLOW_MODELS: list.default(['local', 'openai', 'openai:gpt-4o-mini', 'openai:gpt-4o', 'openai:gpt-4.1-mini', 'gpt-4o-mini', 'llama-3.1-8b-instant']),
  /** Flow size limits, checked before any graph or expression work (a flow over one is refused with a coded 400). */
  FLOW_MAX_NODES: z.coerce.number().int().min(1).default(500),
  FLOW_MAX_EDGES: z.coerce.number().int().min(0).default(2_000),
  FLOW_MAX_FAN_OUT: z.coerce.number().int().min(1).default(100),
  FLOW_MAX_FAN_IN: z.coerce.number().int().min(1).default(100),
  FLOW_MAX_DEPTH: z.coerce.number().int().min(1).default(100),
  FLOW_MAX_BYTES: z.coerce.number().int().min(1_024).default(1_048_576),
  /** Characters of one CEL expression, and how deep its (), [] and {} may nest. */
  FLOW_MAX_EXPRESSION_LENGTH: z.coerce.number().int().min(16).default(2_048),
  FLOW_MAX_EXPRESSION_DEPTH: z.coerce.number().int().min(1).max(250).default(32),
  /** Executions this replica runs at once, and node runs per execution at once. */
  EXECUTOR_CONCURRENCY: z.coerce.number().int().min(1).default(256),
  NODE_PARALLELISM: z.coerce.number().int().min(1).default(8),
  /**
   * Group commit of executor steps: batches in flight at once, and steps per batch at most. One in flight gave the
   * most throughput and the least Postgres CPU per execution in bench:flow at c=32 (2 cores); alone, a step never
   * waits (see Batched).
   */
  COMMIT_CONCURRENCY: z.coerce.number().int().min(1).default(1),
  COMMIT_BATCH_MAX: z.coerce.number().int().min(1).max(1_000).default(64),
  /** A replica's claim on an execution lasts this long unless renewed (every third of it). */
  LEASE_MS: ms(10_000),
  /** How often a replica looks for executions nobody holds (a dead replica's), besides wake-ups. */
  CLAIM_INTERVAL_MS: ms(1_000),
  /** How often each replica expires human tasks past their deadline and looks at the tasks its executions wait on. */
  INBOX_SWEEP_MS: ms(1_000),
  /** Per-node defaults when a node sets none. */
  NODE_TIMEOUT_MS: ms(30_000),
  NODE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  RETRY_INITIAL_MS: ms(100),
  RETRY_MAX_MS: ms(5_000),
  /** Circuit breaker per agent: consecutive failures that open it, and how long it stays open. */
  BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
  BREAKER_COOLDOWN_MS: ms(10_000),
  /** `production` makes every secret that has a development default required (AGENT_SECRET_KEY): the process refuses to start. */
  NODE_ENV: z.string().optional(),
  /**
   * Encrypts third-party agents' signing secrets at rest (any string of 16+ characters; hashed to an AES-256 key).
   * Unset outside production: a development key, with a warning; in production the orchestrator refuses to start.
   */
  AGENT_SECRET_KEY: z.string().min(16).optional(),
  /** Rotation: keys secrets may still be sealed with (comma-separated); `migrate` re-seals them with AGENT_SECRET_KEY. */
  AGENT_SECRET_KEY_PREVIOUS: list.default([]),
  /** Non-public addresses third-party agent endpoints may use (IPs, CIDRs, hosts); other non-public ones are refused. */
  AGENT_ENDPOINT_ALLOW: list.default([]),
  /** The cluster's own services (`host:port` or `host`), refused as agent endpoints even when allow-listed; own ports are added. */
  AGENT_ENDPOINT_DENY: list.default([]),
  /** MCP servers: how long listing a registered server's tools (registration, probe) may take. */
  MCP_PROBE_TIMEOUT_MS: ms(10_000),
  /** How often each replica probes every registered MCP server (health and tool list); 0: only on registration and GET. */
  MCP_PROBE_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** A2A: the public base URL written into flows' agent cards (default: the request's scheme and Host). */
  A2A_PUBLIC_URL: z.url().optional(),
  /** A2A: a flow (`tenant/flowId`) whose agent card is also served at the origin root, `/.well-known/agent-card.json`. */
  A2A_ROOT_FLOW: z
    .string()
    .regex(/^[\w.-]{1,64}\/[\w.-]{1,128}$/, 'must be tenant/flowId')
    .optional(),
  /** A2A: how long a blocking SendMessage waits for the flow to settle before answering with a working task. */
  A2A_WAIT_MS: ms(300_000),
  /** A2A import: the largest agent card fetched, and how long fetching it may take. */
  A2A_CARD_MAX_BYTES: z.coerce.number().int().min(1_024).default(262_144),
  A2A_CARD_TIMEOUT_MS: ms(5_000),
  /** Name of this replica in leases (default: host and pid). */
  REPLICA_ID: z.string().min(1).optional(),
}).superRefine((c, ctx) => {
  if (c.NODE_ENV === 'production' && !c.AGENT_SECRET_KEY) {
    ctx.addIssue({ code: 'custom', path: ['AGENT_SECRET_KEY'], message: 'is required when NODE_ENV=production (it seals agents\' signing secrets; the development default is public)' });
  }
  if (c.AGENT_SECRET_KEY_PREVIOUS.some((k) => k.length < 16)) {
    ctx.addIssue({ code: 'custom', path: ['AGENT_SECRET_KEY_PREVIOUS'], message: 'each key must be at least 16 characters' });
  }
});

export type OrchestratorConfig = z.infer<typeof schema>;
export const ORCHESTRATOR_CONFIG = Symbol('spine.orchestrator.config');
export const ORCHESTRATOR_SCHEMA = 'orchestrator';

/** This replica's name in leases and in what replicas tell each other. */
export function replicaIdOf(config: OrchestratorConfig): string {
  return config.REPLICA_ID ?? `${hostname()}:${process.pid}`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): OrchestratorConfig {
  return parseEnv('orchestrator', schema, env);
}

/** The flow and expression limits a deployment set, in the form @spine/flow takes them. */
export function flowLimitsOf(config: OrchestratorConfig): { flowLimits: FlowLimits; limits: Partial<ExpressionLimits> } {
  return {
    flowLimits: {
      maxNodes: config.FLOW_MAX_NODES,
      maxEdges: config.FLOW_MAX_EDGES,
      maxFanOut: config.FLOW_MAX_FAN_OUT,
      maxFanIn: config.FLOW_MAX_FAN_IN,
      maxDepth: config.FLOW_MAX_DEPTH,
      maxBytes: config.FLOW_MAX_BYTES,
    },
    limits: { maxLength: config.FLOW_MAX_EXPRESSION_LENGTH, maxDepth: config.FLOW_MAX_EXPRESSION_DEPTH },
  };
}

/** GRPC_PORT, else the port after HTTP_PORT (8081 by default), so replicas given distinct HTTP ports (or 0) need no second setting. */
export function grpcPortOf(config: Pick<OrchestratorConfig, 'GRPC_PORT' | 'HTTP_PORT'>): number {
  return config.GRPC_PORT ?? (config.HTTP_PORT === 0 ? 0 : config.HTTP_PORT + 1);
}
