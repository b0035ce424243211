import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startNats, type NatsServerHandle } from './nats.js';
import { startPostgres, type PostgresHandle } from './postgres.js';
import type {} from './provided-context.js';

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

function natsGreeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString('utf8'));
    });
    socket.once('error', reject);
  });
}

async function selectOne(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('select 1 as one')).rows[0];
  } finally {
    await client.end();
  }
}

describe('test servers', () => {
  const started: Array<NatsServerHandle | PostgresHandle> = [];
  afterAll(() => Promise.allSettled(started.map((s) => s.stop())));

  it('starts a nats-server that greets clients with its INFO and stops it by pid', async () => {
    const nats = await startNats();
    started.push(nats);
    expect(nats.url).toBe(`nats://127.0.0.1:${nats.port}`);

    const info = await natsGreeting(nats.port);
    expect(info).toMatch(/^INFO \{.*"jetstream":true/);
    expect(info).toContain('"max_payload":8388608');

    await nats.stop();
    expect(isGone(nats.pid)).toBe(true);
  });

  it('starts Postgres with the spine database, creates more databases, and stops it by pid', async () => {
    const postgres = await startPostgres();
    started.push(postgres);
    expect(postgres.url).toBe(`postgres://spine:spine@127.0.0.1:${postgres.port}/spine`);

    expect(await selectOne(postgres.url)).toEqual({ one: 1 });
    expect(await selectOne(await postgres.createDatabase('extra'))).toEqual({ one: 1 });

    await postgres.stop();
    expect(isGone(postgres.pid)).toBe(true);
  });

  it('provides the shared servers of the run to every test', async () => {
    expect(inject('natsUrl')).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(await selectOne(inject('databaseUrl'))).toEqual({ one: 1 });
    expect(await selectOne(inject('postgresAdminUrl'))).toEqual({ one: 1 });
  });
});
