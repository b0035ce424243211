import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { deployDir } from '../render/tools.js';
import { SERVICES } from '../services.js';
import { natsEnvName, natsPermissions } from '../nats/permissions.js';
import { composeProblems, parseCompose, type ComposeFile } from './compose-rules.js';
import { COMPOSE_NATS_CONFIG, composeNatsConfig } from './nats-config.js';

const text = readFileSync(join(deployDir, 'compose/docker-compose.yml'), 'utf8');

function broken(change: (compose: ComposeFile) => void): string {
  const compose = parseCompose(text);
  change(compose);
  return stringify(compose);
}

describe('deploy/compose/docker-compose.yml', () => {
  it('passes the lint rules', () => {
    expect(composeProblems(text)).toEqual([]);
  });

  it('runs the whole mesh: every service, nats, postgres, qdrant, and a migrations step per schema owner', () => {
    const names = Object.keys(parseCompose(text).services);
    expect(names).toEqual(expect.arrayContaining(['nats', 'postgres', 'qdrant', ...SERVICES.map((s) => s.name)]));
    expect(names.filter((n) => n.startsWith('migrate-'))).toEqual(SERVICES.filter((s) => s.database).map((s) => `migrate-${s.name}`));
  });

  it('starts nats from nats.conf: JetStream, and a user per service with the permissions of the Kubernetes users', () => {
    expect(parseCompose(text).services['nats']?.command).toEqual(['-c', COMPOSE_NATS_CONFIG]);
    const conf = readFileSync(join(deployDir, 'compose/nats.conf'), 'utf8');
    expect(conf).toContain('jetstream { store_dir: "/data" }');
    expect(conf).toBe(composeNatsConfig());
    for (const spec of SERVICES) {
      expect(conf).toContain(`{ user: "${spec.name}", password: $${natsEnvName(spec.name)}, permissions: ${JSON.stringify(natsPermissions(spec))} }`);
    }
  });

  it.each<[string, (c: ComposeFile) => void, RegExp]>([
    ['a literal password', (c) => Object.assign(c.services['postgres']?.environment ?? {}, { POSTGRES_PASSWORD: 'hunter2' }), /postgres: POSTGRES_PASSWORD is a literal/],
    ['a literal password inside a URL', (c) => Object.assign(c.services['registry']?.environment ?? {}, { DATABASE_URL: 'postgresql://spine:hunter2@postgres:5432/spine' }), /registry: DATABASE_URL has a literal password/],
    ['a service without healthcheck', (c) => delete c.services['router']?.healthcheck, /router: no healthcheck/],
    ['a service without restart policy', (c) => delete c.services['planner']?.restart, /planner: no restart policy/],
    ['a service that does not wait for nats', (c) => delete c.services['streamer']?.depends_on, /streamer: does not wait for a healthy nats/],
    ['an app that does not wait for its migrations', (c) => Object.assign(c.services['orchestrator'] ?? {}, { depends_on: { nats: { condition: 'service_healthy' } } }), /orchestrator: does not wait for its migrations/],
    ['an unpinned image', (c) => Object.assign(c.services['qdrant'] ?? {}, { image: 'qdrant/qdrant:latest' }), /qdrant: image qdrant\/qdrant:latest is not pinned/],
    ['a service left out', (c) => delete c.services['event-logger'], /event-logger: missing from the compose file/],
    ['a service without its NATS user', (c) => delete (c.services['planner']?.environment as Record<string, string>)['NATS_PASSWORD'], /planner: does not log in to nats as its own user/],
    ['nats without its config', (c) => Object.assign(c.services['nats'] ?? {}, { command: ['-js'] }), /nats: started without its config/],
    ['a root user', (c) => Object.assign(c.services['intake'] ?? {}, { user: 'root' }), /intake: runs as root/],
  ])('flags %s', (_case, change, message) => {
    expect(composeProblems(broken(change)).join('\n')).toMatch(message);
  });
});
