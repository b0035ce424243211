import { SERVICES, type ServiceSpec } from '../services.js';
import { secrets } from './cluster.js';
import { GENERATED_HEADER, toYaml } from './base.js';

export interface NatsPermissions {
  publish: { allow: string[] };
  subscribe: { allow: string[] };
  allow_responses: boolean;
}

const REGISTRY_CALLS = ['register', 'heartbeat', 'deregister'].map((verb) => `spine.registry.agent.${verb}`);

/** One NATS user per service: what it may publish and subscribe to, and nothing else. */
export function natsPermissions(spec: ServiceSpec): NatsPermissions {
  const publish = [...spec.nats.publish];
  const subscribe = ['_INBOX.>', ...spec.nats.subscribe];
  if (spec.role === 'agent') {
    publish.push(...REGISTRY_CALLS);
    // Its own invoke subject, and the orchestrator's cancels of the runs it serves.
    subscribe.push(`spine.agent.${spec.name}.invoke`, `spine.agent.${spec.name}.cancel`);
  }
  if (spec.jetstream) publish.push('$JS.API.>', '$JS.ACK.>');
  // Replies go to the requester's inbox: allow_responses, rather than publish rights on `_INBOX.>`.
  return { publish: { allow: unique(publish) }, subscribe: { allow: unique(subscribe) }, allow_responses: true };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

export function natsEnvName(service: string): string {
  return `SPINE_NATS_${service.toUpperCase().replace(/-/g, '_')}_PASSWORD`;
}

/** Values for the official NATS Helm chart (nats-io/k8s, chart `nats` 1.x): 3-node JetStream cluster, users per service. */
export function natsValues(): string {
  const values = {
    config: {
      cluster: { enabled: true, replicas: 3 },
      jetstream: { enabled: true, fileStore: { pvc: { size: '20Gi' } }, memoryStore: { enabled: true, maxSize: '1Gi' } },
      merge: {
        accounts: {
          SPINE: {
            jetstream: 'enabled',
            users: SERVICES.map((spec) => ({
              user: spec.name,
              // The chart renders `<< … >>` unquoted: NATS reads the password from the container environment.
              password: `<< $${natsEnvName(spec.name)} >>`,
              permissions: natsPermissions(spec),
            })),
          },
        },
      },
    },
    container: {
      env: Object.fromEntries(
        SERVICES.map((spec) => [natsEnvName(spec.name), { valueFrom: { secretKeyRef: secrets.nats(spec.name) } }]),
      ),
    },
    podTemplate: {
      topologySpreadConstraints: {
        'kubernetes.io/hostname': { maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' },
      },
    },
    podDisruptionBudget: { enabled: true },
    promExporter: { enabled: true, podMonitor: { enabled: true } },
  };
  return (
    GENERATED_HEADER +
    '# helm upgrade --install nats nats/nats -n nats --create-namespace -f deploy/k8s/dependencies/nats-values.yaml\n' +
    '# Each service password lives in Secret spine-nats-<service> (key `password`) in both the nats and the Spine namespace.\n' +
    toYaml(values)
  );
}
