// The one list every deploy artifact is generated from: Kubernetes base, NATS users, compose file.
// Add a service here, run `npm run deploy:generate`, commit the result.

export const SERVICE_NAMES = [
  'orchestrator',
  'registry',
  'intake',
  'router',
  'retrieval',
  'planner',
  'tool-executor',
  'streamer',
  'llm',
  'event-logger',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface ServiceSpec {
  name: ServiceName;
  /** `platform`: orchestrator and registry; `agent`: the seven built-in agents (NATS queue groups). */
  role: 'platform' | 'agent';
  summary: string;
  httpPort: number;
  /** Public gRPC API (orchestrator only). */
  grpcPort?: number;
  /** Served to clients through the Ingress. */
  public?: boolean;
  /** Owns a Postgres schema: gets DATABASE_URL and a step in the migrations Job (`dist/migrate.js`). */
  database?: boolean;
  /** Talks to Qdrant (VECTOR_STORE=qdrant). */
  vectorStore?: boolean;
  /** Calls an LLM provider (OPENAI_API_KEY when LLM_DEFAULT_MODEL names openai). */
  llm?: boolean;
  /** Calls HTTPS endpoints outside the cluster: third-party agents, ERP tools, LLM APIs. */
  externalHttps?: boolean;
  /** Uses JetStream (streams, consumers): needs the `$JS.API.>` subjects. */
  jetstream?: boolean;
  /** Seals third-party agents' signing secrets: AGENT_SECRET_KEY (required in production) and its rotation. */
  sealsAgentSecrets?: boolean;
  /** Serves the registry's operator API: OPERATOR_TOKEN (optional; unset, the API answers loopback calls only). */
  operatorApi?: boolean;
  replicas: { min: number; max: number };
  resources: Resources;
  /** Subjects beyond the baseline every service gets (its own invoke and cancel subjects, registry calls, inboxes). */
  nats: { publish: string[]; subscribe: string[] };
  /** Service-specific, non-secret settings (the app's own defaults otherwise). */
  env?: Record<string, string>;
}

const AGENT_RESOURCES: Resources = { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '512Mi' } };

export const SERVICES: readonly ServiceSpec[] = [
  {
    name: 'orchestrator',
    role: 'platform',
    summary: 'public REST + SSE + gRPC API, flows, DAG executor, executions',
    httpPort: 8080,
    grpcPort: 9090,
    public: true,
    database: true,
    externalHttps: true,
    jetstream: true,
    sealsAgentSecrets: true,
    replicas: { min: 3, max: 12 },
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '2', memory: '1Gi' } },
    nats: {
      publish: [
        'spine.agent.*.invoke',
        'spine.agent.*.cancel',
        'spine.registry.agent.list',
        'spine.registry.agent.discover',
        'spine.registry.agent.upsert_external',
        'spine.registry.agent.delete_external',
        'spine.events.>',
        'spine.orchestrator.>',
      ],
      // spine.events.>: SSE followers wake on the events any replica publishes; spine.orchestrator.>: work, cancel
      // hints and rate reports between replicas.
      subscribe: ['spine.stream.>', 'spine.events.>', 'spine.registry.events.>', 'spine.orchestrator.>'],
    },
  },
  {
    name: 'registry',
    role: 'platform',
    summary: 'agent cards, heartbeats, health windows, discovery, operator HTTP API',
    httpPort: 7100,
    database: true,
    externalHttps: true,
    jetstream: true,
    operatorApi: true,
    replicas: { min: 2, max: 4 },
    resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '384Mi' } },
    nats: { publish: ['spine.registry.events.>'], subscribe: ['spine.registry.agent.>'] },
    env: { HEARTBEAT_INTERVAL_MS: '2000', UNHEALTHY_AFTER_MS: '6000', GONE_AFTER_MS: '30000', SWEEP_INTERVAL_MS: '1000' },
  },
  {
    name: 'intake',
    role: 'agent',
    summary: 'normalises text, detects language, attaches tenant, user, permissions, session',
    httpPort: 8080,
    replicas: { min: 2, max: 10 },
    resources: AGENT_RESOURCES,
    nats: { publish: [], subscribe: [] },
  },
  {
    name: 'router',
    role: 'agent',
    summary: 'route SMALL_TALK / NEED_MORE_CONTEXT / FLOW_EXECUTION / UNKNOWN, intent, confidence',
    httpPort: 8080,
    llm: true,
    externalHttps: true,
    replicas: { min: 2, max: 10 },
    resources: AGENT_RESOURCES,
    nats: { publish: [], subscribe: [] },
  },
  {
    name: 'retrieval',
    role: 'agent',
    summary: 'Cerebro: search, context packs, upserts, ingestion (Qdrant)',
    httpPort: 8080,
    vectorStore: true,
    llm: true,
    externalHttps: true,
    replicas: { min: 2, max: 10 },
    resources: { requests: { cpu: '200m', memory: '384Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    nats: { publish: [], subscribe: [] },
  },
  {
    name: 'planner',
    role: 'agent',
    summary: 'flow type, tool calls with schema-valid arguments, or the missing fields and one question',
    httpPort: 8080,
    llm: true,
    externalHttps: true,
    replicas: { min: 2, max: 10 },
    resources: AGENT_RESOURCES,
    nats: { publish: [], subscribe: [] },
  },
  {
    name: 'tool-executor',
    role: 'agent',
    summary: 'tool catalog, permission and scope checks, idempotency ledger, smart tools, MCP servers',
    httpPort: 8080,
    database: true,
    externalHttps: true,
    // Progress chunks while tools run (CHUNK_KIND_PROGRESS) go to the execution's stream.
    jetstream: true,
    replicas: { min: 2, max: 10 },
    resources: AGENT_RESOURCES,
    nats: { publish: ['spine.stream.>'], subscribe: [] },
  },
  {
    name: 'streamer',
    role: 'agent',
    summary: 'writes the reply as a token stream to JetStream',
    httpPort: 8080,
    llm: true,
    externalHttps: true,
    jetstream: true,
    replicas: { min: 2, max: 10 },
    resources: AGENT_RESOURCES,
    nats: { publish: ['spine.stream.>'], subscribe: [] },
  },
  {
    name: 'llm',
    role: 'agent',
    summary: "one model call per flow node (seed 000's llm nodes): structured output checked against outputSchema, text streamed to JetStream",
    httpPort: 8080,
    llm: true,
    externalHttps: true,
    jetstream: true,
    replicas: { min: 2, max: 10 },
    resources: AGENT_RESOURCES,
    nats: { publish: ['spine.stream.>'], subscribe: [] },
  },
  {
    name: 'event-logger',
    role: 'agent',
    summary: 'audit trail from a durable JetStream consumer, Cerebro upsert of successful flows',
    httpPort: 8080,
    database: true,
    jetstream: true,
    replicas: { min: 2, max: 4 },
    resources: AGENT_RESOURCES,
    // Events it gives up on go to DEAD_LETTERS (spine.deadletter.<tenant>.<consumer>).
    nats: { publish: ['spine.agent.retrieval.invoke', 'spine.deadletter.>'], subscribe: ['spine.events.>'] },
  },
];

export function serviceSpec(name: ServiceName): ServiceSpec {
  const spec = SERVICES.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown service ${name}`);
  return spec;
}
