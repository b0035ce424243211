// Where Spine expects its neighbours in the cluster. Overlays (or Helm values) change them.

export const PART_OF = 'spine';
/** The install the Kustomize base and the generated dependency values describe (Helm: the release `spine`). */
export const RELEASE = 'spine';
/** /metrics and /health/* listen here (ADMIN_PORT), apart from the public http port. */
export const ADMIN_PORT = 9464;
/** JetStream streams on the 3-node NATS cluster: replicated, and capped per stream. */
export const STREAMS = { replicas: 3, maxBytes: '2Gi' } as const;
/** Postgres connections per pod (DATABASE_POOL_SIZE). */
export const POOL_SIZE = 10;
/** The image name every container uses; overlays replace it (Kustomize `images:`), so the tag is set in one place. */
export const IMAGE = 'spine';
export const UID = 10001;

export interface PeerRef {
  namespace: string;
  podLabels: Record<string, string>;
}

export const NATS = {
  namespace: 'nats',
  podLabels: { 'app.kubernetes.io/name': 'nats' },
  url: 'nats://nats.nats.svc.cluster.local:4222',
  port: 4222,
} as const;
export const POSTGRES = { namespace: 'postgres', podLabels: { 'cnpg.io/cluster': 'spine-pg' }, port: 5432 } as const;
export const QDRANT = {
  namespace: 'qdrant',
  podLabels: { 'app.kubernetes.io/name': 'qdrant' },
  url: 'http://qdrant.qdrant.svc.cluster.local:6333',
  ports: [6333, 6334],
  /** Copies of each collection shard (QDRANT_REPLICATION_FACTOR): one Qdrant node can go. */
  replicationFactor: 2,
} as const;
export const INGRESS_CONTROLLER = { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } as const;
export const PROMETHEUS = { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } } as const;
export const DNS = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } } as const;

/** Existing secrets the manifests reference by name; never created here. */
export const secrets = {
  nats: (service: string) => ({ name: `${RELEASE}-nats-${service}`, key: 'password' }),
  database: (service: string) => ({ name: `${RELEASE}-db-${service}`, key: 'uri' }),
  qdrant: { name: 'spine-qdrant', key: 'api-key' },
  llm: { name: 'spine-llm', key: 'openai-api-key' },
  /** AGENT_SECRET_KEY (`key`, required) and, while rotating, the old key(s) in `previous` (optional). */
  agentSecretKey: { name: 'spine-agent-secret-key', key: 'key' },
  agentSecretKeyPrevious: { name: 'spine-agent-secret-key', key: 'previous' },
  /** OPERATOR_TOKEN of the registry's operator API (optional). */
  operatorToken: { name: 'spine-registry-operator', key: 'token' },
  /** Written by the orchestrator's migration: the first admin API key (key `key`). */
  adminKey: 'spine-admin-key',
  apiTls: 'spine-api-tls',
  grpcTls: 'spine-grpc-tls',
} as const;

export const TERMINATION_GRACE_SECONDS = 30;
/** In-flight work gets this long after SIGTERM (below the grace period, minus the preStop pause). */
export const SHUTDOWN_GRACE_MS = 20_000;
