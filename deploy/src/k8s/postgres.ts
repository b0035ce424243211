import { SERVICES } from '../services.js';
import { POSTGRES } from './cluster.js';
import { GENERATED_HEADER, toYaml } from './base.js';

const BARMAN_PLUGIN = 'barman-cloud.cloudnative-pg.io';
const OBJECT_STORE = 'spine-pg-store';

export const roleName = (service: string) => `spine_${service.replace(/-/g, '_')}`;

/**
 * A CloudNativePG cluster for Spine: one database, one login role per schema owner, whose password CloudNativePG
 * keeps in sync with the basic-auth Secret `spine-pg-<service>`; daily backups to object storage (barman-cloud plugin).
 */
export function cnpgCluster(): string {
  const owners = SERVICES.filter((s) => s.database);
  const cluster = {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: 'spine-pg', namespace: POSTGRES.namespace },
    spec: {
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:17.6',
      primaryUpdateStrategy: 'unsupervised',
      storage: { size: '50Gi' },
      walStorage: { size: '10Gi' },
      postgresql: { parameters: { max_connections: '300', shared_buffers: '512MB' } },
      bootstrap: {
        initdb: {
          database: 'spine',
          owner: 'spine',
          // Each app creates and owns its own schema (its migrations); it needs CREATE on the database, nothing else.
          postInitApplicationSQL: owners.flatMap((s) => [`CREATE ROLE ${roleName(s.name)} LOGIN`, `GRANT CREATE, CONNECT ON DATABASE spine TO ${roleName(s.name)}`]),
        },
      },
      managed: {
        roles: owners.map((s) => ({ name: roleName(s.name), ensure: 'present', login: true, passwordSecret: { name: `spine-pg-${s.name}` } })),
      },
      monitoring: { enablePodMonitor: true },
      // Backups through the barman-cloud plugin (the in-tree `backup.barmanObjectStore` is gone from CloudNativePG 1.32).
      plugins: [{ name: BARMAN_PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: OBJECT_STORE } }],
    },
  };
  const store = {
    apiVersion: 'barmancloud.cnpg.io/v1',
    kind: 'ObjectStore',
    metadata: { name: OBJECT_STORE, namespace: POSTGRES.namespace },
    spec: {
      retentionPolicy: '30d',
      configuration: {
        destinationPath: 's3://spine-backups/postgres',
        s3Credentials: {
          accessKeyId: { name: 'spine-pg-backup', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'spine-pg-backup', key: 'ACCESS_SECRET_KEY' },
        },
        wal: { compression: 'gzip' },
      },
    },
  };
  const scheduled = {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'ScheduledBackup',
    metadata: { name: 'spine-pg-daily', namespace: POSTGRES.namespace },
    spec: { schedule: '0 0 2 * * *', backupOwnerReference: 'self', cluster: { name: 'spine-pg' }, method: 'plugin', pluginConfiguration: { name: BARMAN_PLUGIN } },
  };
  return (
    GENERATED_HEADER +
    '# kubectl apply -f deploy/k8s/dependencies/postgres-cnpg.yaml (CloudNativePG operator installed; Secrets in deploy/README.md).\n' +
    [cluster, store, scheduled].map((o) => `---\n${toYaml(o)}`).join('')
  );
}
