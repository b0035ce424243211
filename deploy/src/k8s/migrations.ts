import type { IContainer, IServiceAccount } from 'kubernetes-models/v1';
import type { IJob } from 'kubernetes-models/batch/v1';
import { SERVICES, type ServiceSpec } from '../services.js';
import { IMAGE, secrets } from './cluster.js';
import { labels, resourceName } from './labels.js';
import { MIGRATIONS } from './network.js';
import { commonConfig } from './config.js';
import { agentSecretKeyEnv, containerSecurity, podSecurity } from './workload.js';

function migrateContainer(spec: ServiceSpec): IContainer {
  return {
    name: `migrate-${spec.name}`,
    image: IMAGE,
    imagePullPolicy: 'IfNotPresent',
    args: ['migrate'],
    // No envFrom: as a Helm hook the Job runs before the release's ConfigMaps exist.
    env: [
      { name: 'SERVICE', value: spec.name },
      { name: 'LOG_LEVEL', value: commonConfig()['LOG_LEVEL'] ?? 'info' },
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: secrets.database(spec.name) } },
      // The image runs with NODE_ENV=production: the orchestrator's migration needs the key too (and re-seals with it).
      ...agentSecretKeyEnv(spec),
    ],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    securityContext: containerSecurity,
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

export function migrationServices(): ServiceSpec[] {
  return SERVICES.filter((s) => s.database);
}

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
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
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
