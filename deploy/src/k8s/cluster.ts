// Where Spine expects its neighbours in the cluster. Overlays (or Helm values) change them.

export const PART_OF = 'spine';
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
} as const;
export const INGRESS_CONTROLLER = { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } as const;
export const PROMETHEUS = { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } } as const;
export const DNS = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } } as const;

/** Existing secrets the manifests reference by name; never created here. */
export const secrets = {
  nats: (service: string) => ({ name: `spine-nats-${service}`, key: 'password' }),
  database: (service: string) => ({ name: `spine-db-${service}`, key: 'uri' }),
  qdrant: { name: 'spine-qdrant', key: 'api-key' },
  llm: { name: 'spine-llm', key: 'openai-api-key' },
  /** AGENT_SECRET_KEY (`key`, required) and, while rotating, the old key(s) in `previous` (optional). */
  agentSecretKey: { name: 'spine-agent-secret-key', key: 'key' },
  agentSecretKeyPrevious: { name: 'spine-agent-secret-key', key: 'previous' },
  /** OPERATOR_TOKEN of the registry's operator API (optional). */
  operatorToken: { name: 'spine-registry-operator', key: 'token' },
  apiTls: 'spine-api-tls',
  grpcTls: 'spine-grpc-tls',
} as const;

export const TERMINATION_GRACE_SECONDS = 30;
/** In-flight work gets this long after SIGTERM (below the grace period, minus the preStop pause). */
export const SHUTDOWN_GRACE_MS = 20_000;
