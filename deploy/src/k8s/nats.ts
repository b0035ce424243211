import { natsPermissions } from '../nats/permissions.js';
import { SERVICES } from '../services.js';
import { RELEASE } from './cluster.js';
import { GENERATED_HEADER, toYaml } from './base.js';

/** The NATS account of one install: `SPINE` for the release `spine`, `SPINE_DEV` for `spine-dev`. */
export const natsAccount = (release: string) => release.toUpperCase().replace(/-/g, '_');
/** One install's user of a service: the Helm chart's and the Kustomize base's NATS_USER (`<release>-<service>`). */
export const natsUser = (release: string, service: string) => `${release}-${service}`;
/** The Secret holding that user's password (key `password`), in the Spine and the NATS namespace. */
export const natsSecret = (release: string, service: string) => `${release}-nats-${service}`;
/** The NATS server's environment variable that holds that password. */
const passwordEnv = (release: string, service: string) => `${natsAccount(release)}_NATS_${service.toUpperCase().replace(/-/g, '_')}_PASSWORD`;

/**
 * Values for the official NATS Helm chart (nats-io/k8s, chart `nats` 1.x): 3-node JetStream cluster, one account
 * per Spine install and one user per service in it. Another install on the same server: render its values with
 * `npm run deploy:nats-values -- --release <name>` and pass both files (`-f a.yaml -f b.yaml`; Helm merges the maps).
 */
export function natsValues(release = RELEASE, withServer = true): Record<string, unknown> {
  const account = {
    jetstream: 'enabled',
    users: SERVICES.map((spec) => ({
      user: natsUser(release, spec.name),
      // The chart renders `<< … >>` unquoted: NATS reads the password from the container environment.
      password: `<< $${passwordEnv(release, spec.name)} >>`,
      permissions: natsPermissions(spec),
    })),
  };
  const env = Object.fromEntries(
    SERVICES.map((spec) => [passwordEnv(release, spec.name), { valueFrom: { secretKeyRef: { name: natsSecret(release, spec.name), key: 'password' } } }]),
  );
  const install = { config: { merge: { accounts: { [natsAccount(release)]: account } } }, container: { env } };
  if (!withServer) return install;
  return {
    config: {
      cluster: { enabled: true, replicas: 3 },
      jetstream: { enabled: true, fileStore: { pvc: { size: '20Gi' } }, memoryStore: { enabled: true, maxSize: '1Gi' } },
      ...install.config,
    },
    container: install.container,
    podTemplate: {
      topologySpreadConstraints: {
        'kubernetes.io/hostname': { maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' },
      },
    },
    podDisruptionBudget: { enabled: true },
    promExporter: { enabled: true, podMonitor: { enabled: true } },
  };
}

export function natsValuesFile(): string {
  return (
    GENERATED_HEADER +
    '# helm upgrade --install nats nats/nats -n nats --create-namespace -f deploy/k8s/dependencies/nats-values.yaml\n' +
    `# The install \`${RELEASE}\`: account ${natsAccount(RELEASE)}, users ${natsUser(RELEASE, '<service>')}, passwords in Secrets ${natsSecret(RELEASE, '<service>')}\n` +
    '# (key `password`) in both the nats and the Spine namespace. More installs: npm run deploy:nats-values -- --release <name>.\n' +
    toYaml(natsValues())
  );
}
