import type { IContainer, IEnvVar, IServiceAccount, IVolume } from 'kubernetes-models/v1';
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IRole, IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { heapMebibytes } from '../quantity/quantity.js';
import { SERVICES, type ServiceSpec } from '../services.js';
import { IMAGE, secrets } from './cluster.js';
import { labels, resourceName } from './labels.js';
import { MIGRATIONS } from './network.js';
import { commonConfig, serviceConfig } from './config.js';
import { containerSecurity, podSecurity, secretEnvOf } from './workload.js';

export const MIGRATION_RESOURCES = { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '500m', memory: '384Mi' } };
const KUBE_API_VOLUME = 'kube-api';

/**
 * The app's own settings, as literals (a Helm hook runs before the release's ConfigMaps exist), and its secrets:
 * DEFAULT_TENANT, FLOW_MODELS or AGENT_SECRET_KEY reach the migration exactly as they reach the app.
 */
export function migrationEnv(spec: ServiceSpec): IEnvVar[] {
  const config: Record<string, string> = { ...commonConfig(), ...serviceConfig(spec) };
  config['NODE_OPTIONS'] = `--max-old-space-size=${heapMebibytes(MIGRATION_RESOURCES.limits.memory)}`;
  const env: IEnvVar[] = Object.keys(config)
    .sort()
    .map((name) => ({ name, value: config[name] }));
  // The first admin key goes into a Secret, never into the log (the pod's log is shipped and outlives nobody's notice).
  if (spec.sealsAgentSecrets) env.push({ name: 'ADMIN_KEY_OUTPUT', value: `secret:${secrets.adminKey}` });
  return [...env, ...secretEnvOf(spec)];
}

function migrateContainer(spec: ServiceSpec): IContainer {
  return {
    name: `migrate-${spec.name}`,
    image: IMAGE,
    imagePullPolicy: 'IfNotPresent',
    args: ['migrate'],
    env: migrationEnv(spec),
    resources: MIGRATION_RESOURCES,
    securityContext: containerSecurity,
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      // Only the step that writes the admin key's Secret gets an API token.
      ...(spec.sealsAgentSecrets ? [{ name: KUBE_API_VOLUME, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] : []),
    ],
  };
}

export function migrationServices(): ServiceSpec[] {
  return SERVICES.filter((s) => s.database);
}

/** A service-account token, the cluster CA and the namespace, where in-cluster clients look for them. */
const kubeApiVolume: IVolume = {
  name: KUBE_API_VOLUME,
  projected: {
    sources: [
      { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};

/**
 * One Job runs every schema owner's `dist/migrate.js`, one after another (init containers run in order),
 * before the apps roll: Helm and Argo CD run it as a pre-upgrade hook; with plain kubectl, apply it first
 * and wait (deploy/README.md).
 */
export function migrationsJob(): IJob {
  const containers = migrationServices().map(migrateContainer);
  const last = containers.pop();
  if (!last) throw new Error('no service owns a database: nothing to migrate');
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: resourceName(MIGRATIONS),
      labels: labels(MIGRATIONS, 'migrations'),
      annotations: {
        'argocd.argoproj.io/hook': 'PreSync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      },
    },
    spec: {
      backoffLimit: 3,
      activeDeadlineSeconds: 900,
      // Jobs are immutable: a finished one goes away, so the next release can apply a new one.
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: labels(MIGRATIONS, 'migrations') },
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: resourceName(MIGRATIONS),
          automountServiceAccountToken: false,
          securityContext: podSecurity,
          initContainers: containers,
          containers: [last],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }, kubeApiVolume],
        },
      },
    },
  };
}

export function migrationsServiceAccount(): IServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: resourceName(MIGRATIONS), labels: labels(MIGRATIONS, 'migrations') },
    automountServiceAccountToken: false,
  };
}

/** Create the admin key's Secret, or replace that one Secret when the database was recreated; nothing else. */
export function migrationsRole(): IRole {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: resourceName(MIGRATIONS), labels: labels(MIGRATIONS, 'migrations') },
    rules: [
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: [secrets.adminKey], verbs: ['get', 'update'] },
    ],
  };
}

export function migrationsRoleBinding(namespace: string): IRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: resourceName(MIGRATIONS), labels: labels(MIGRATIONS, 'migrations') },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: resourceName(MIGRATIONS) },
    subjects: [{ kind: 'ServiceAccount', name: resourceName(MIGRATIONS), namespace }],
  };
}
