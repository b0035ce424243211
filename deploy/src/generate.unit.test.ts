import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { deployDir, staleFiles } from './generate.js';
import { natsPermissions } from './nats/permissions.js';
import { SERVICES, SERVICE_NAMES } from './services.js';

describe('the service list', () => {
  it('names the ten services once each, in the order of SERVICE_NAMES', () => {
    expect(SERVICES.map((s) => s.name)).toEqual([...SERVICE_NAMES]);
    expect(SERVICE_NAMES).toHaveLength(10);
  });

  it('covers every app in apps/ that runs as a process (apps/console is static files the orchestrator serves)', () => {
    const apps = readdirSync(join(deployDir, '..', 'apps')).filter((name) => existsSync(join(deployDir, '..', 'apps', name, 'src', 'main.ts')));
    expect(apps).toContain('orchestrator');
    expect(apps.filter((app) => !(SERVICE_NAMES as readonly string[]).includes(app))).toEqual([]);
  });

  it('gives every app with a dist/migrate.js source a database and a migrations step', () => {
    const apps = readdirSync(join(deployDir, '..', 'apps')).filter((name) => existsSync(join(deployDir, '..', 'apps', name, 'src', 'migrate.ts')));
    const owners = SERVICES.filter((s) => s.database).map((s) => s.name as string);
    expect(apps.filter((app) => !owners.includes(app))).toEqual([]);
  });
});

describe('generated files', () => {
  it('are what deploy/src generates (run `npm run deploy:generate` after changing the list)', () => {
    expect(staleFiles()).toEqual([]);
  });

  it('give each service a NATS user of the install (`spine-<service>`) that may serve only its own invoke and cancel subjects', () => {
    const values = parse(readFileSync(join(deployDir, 'k8s/dependencies/nats-values.yaml'), 'utf8')) as {
      config: { merge: { accounts: { SPINE: { users: { user: string; password: string; permissions: ReturnType<typeof natsPermissions> }[] } } } };
    };
    const users = values.config.merge.accounts.SPINE.users;
    expect(users.map((u) => u.user)).toEqual(SERVICE_NAMES.map((name) => `spine-${name}`));
    for (const user of users) {
      expect(user.password).toMatch(/^<< \$SPINE_NATS_[A-Z_]+_PASSWORD >>$/);
      const invokes = user.permissions.subscribe.allow.filter((s) => s.startsWith('spine.agent.'));
      const spec = SERVICES.find((s) => `spine-${s.name}` === user.user);
      expect(invokes).toEqual(spec?.role === 'agent' ? [`spine.agent.${spec.name}.invoke`, `spine.agent.${spec.name}.cancel`] : []);
      expect(user.permissions.publish.allow).not.toContain('>');
      expect(user.permissions.subscribe.allow).not.toContain('>');
    }
    // The orchestrator calls every agent, tells it to stop a run, and reports to its peers.
    const orchestrator = users.find((u) => u.user === 'spine-orchestrator')!.permissions;
    expect(orchestrator.publish.allow).toEqual(expect.arrayContaining(['spine.agent.*.invoke', 'spine.agent.*.cancel', 'spine.orchestrator.>']));
    expect(orchestrator.subscribe.allow).toContain('spine.orchestrator.>');
  });
});

describe('dependency examples (deploy/k8s/dependencies)', () => {
  const read = (name: string) => readFileSync(join(deployDir, 'k8s/dependencies', name), 'utf8');

  it('NATS: a 3-node JetStream cluster, passwords from Secrets only', () => {
    const values = parse(read('nats-values.yaml')) as { config: { cluster: { replicas: number }; jetstream: { enabled: boolean } }; container: { env: Record<string, { valueFrom?: unknown }> } };
    expect(values.config.cluster.replicas).toBe(3);
    expect(values.config.jetstream.enabled).toBe(true);
    expect(Object.values(values.container.env).every((e) => e.valueFrom !== undefined)).toBe(true);
  });

  it('Postgres: a 3-instance CloudNativePG cluster with one login role per schema owner, passwords from Secrets', () => {
    const [cluster] = parseAllDocuments(read('postgres-cnpg.yaml')).map((d) => d.toJS() as { kind: string; spec: { instances: number; managed: { roles: { name: string; passwordSecret: { name: string } }[] } } });
    expect(cluster?.spec.instances).toBe(3);
    expect(cluster?.spec.managed.roles.map((r) => [r.name, r.passwordSecret.name])).toEqual(
      SERVICES.filter((s) => s.database).map((s) => [`spine_${s.name.replace(/-/g, '_')}`, `spine-pg-${s.name}`]),
    );
    expect(read('postgres-cnpg.yaml')).not.toMatch(/PASSWORD '|password:/i);
  });

  it('Qdrant: 3 replicas, the API key from a Secret', () => {
    const values = parse(read('qdrant-values.yaml')) as { replicaCount: number; env: { name: string; valueFrom?: { secretKeyRef?: { name: string } } }[] };
    expect(values.replicaCount).toBe(3);
    expect(values.env.find((e) => e.name === 'QDRANT__SERVICE__API_KEY')?.valueFrom?.secretKeyRef?.name).toBe('spine-qdrant');
  });
});
