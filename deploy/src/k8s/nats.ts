import { NATS_ACCOUNT, natsEnvName, natsPermissions } from '../nats/permissions.js';
import { SERVICES } from '../services.js';
import { secrets } from './cluster.js';
import { GENERATED_HEADER, toYaml } from './base.js';

/** Values for the official NATS Helm chart (nats-io/k8s, chart `nats` 1.x): 3-node JetStream cluster, users per service. */
export function natsValues(): string {
  const values = {
    config: {
      cluster: { enabled: true, replicas: 3 },
      jetstream: { enabled: true, fileStore: { pvc: { size: '20Gi' } }, memoryStore: { enabled: true, maxSize: '1Gi' } },
      merge: {
        accounts: {
          [NATS_ACCOUNT]: {
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
