import { dirname } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startNats } from './lib/nats.js';
import { startPostgres } from './lib/postgres.js';
import { killStaleServers, recordServer } from './lib/stale-servers.js';
import type {} from './lib/provided-context.js';

/** vitest globalSetup for the int and e2e tiers: one nats-server and one Postgres for the whole run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const killed = await killStaleServers();
  if (killed.length > 0) console.warn(`[testing] killed servers left by a crashed run: ${killed.join(', ')}`);

  const started = Date.now();
  const [nats, postgres] = await Promise.allSettled([startNats(), startPostgres()]);
  const running = [nats, postgres].flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (nats.status === 'rejected' || postgres.status === 'rejected') {
    await Promise.allSettled(running.map((server) => server.stop()));
    const reasons = [nats, postgres].flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    throw new Error(`test servers did not start:\n${reasons.join('\n')}`);
  }
  const forget = await Promise.all([
    recordServer('nats-server', nats.value.pid, dirname(nats.value.storeDir)),
    recordServer('postgres', postgres.value.pid, dirname(postgres.value.dataDir)),
  ]);
  console.info(`[testing] nats ${nats.value.url} and postgres :${postgres.value.port} up in ${Date.now() - started}ms`);

  project.provide('natsUrl', nats.value.url);
  project.provide('databaseUrl', postgres.value.url);
  project.provide('postgresAdminUrl', await postgres.value.createDatabase('postgres'));

  return async () => {
    await Promise.allSettled([nats.value.stop(), postgres.value.stop()]);
    await Promise.all(forget.map((f) => f()));
  };
}
