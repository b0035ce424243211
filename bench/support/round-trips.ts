// What the c=1 floor is made of, measured in the bench's own mesh before a run: one SQL round trip, one durable
// write, one NATS request/reply to another process; each back to back and each after a short idle.
import { connect } from '@nats-io/transport-node';
import { waitFor } from '@spine/testing';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { FlowMesh } from './flow-mesh.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RoundTrips {
  selectP50Ms: number;
  commitP50Ms: number;
  commitP99Ms: number;
  /** One durable single-statement write (autocommit UPDATE): what a step commit costs at least. */
  writeP50Ms: number;
  /** One NATS request/reply between two connections of this process, through the mesh's nats-server. */
  natsP50Ms: number;
  /**
   * The same SELECT, write and NATS request/reply, each sent after `gapMs` of idleness, as at c=1, where every
   * process sleeps while the others work. On this machine class a wake-up after idling costs about twice as much.
   */
  afterIdle: { gapMs: number; selectP50Ms: number; writeP50Ms: number; natsP50Ms: number };
}

/** The idle time before each "after idle" sample: about what Postgres waits between two commits at c=1. */
const IDLE_GAP_MS = 2;

/** What one SQL round trip and one durable commit cost on this machine, from Node over TCP (before the run). */
export async function probeRoundTrips(mesh: FlowMesh, n = 300): Promise<RoundTrips> {
  const client = new pg.Client({ connectionString: mesh.orchestratorDbUrl });
  await client.connect();
  const time = async (fn: () => Promise<unknown>, gapMs = 0) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      if (gapMs > 0) await sleep(gapMs);
      const t = performance.now();
      await fn();
      ms.push(performance.now() - t);
    }
    return ms.sort((a, b) => a - b);
  };
  try {
    await client.query('CREATE TABLE IF NOT EXISTS public.bench_probe (id int PRIMARY KEY, n bigint NOT NULL)');
    await client.query('INSERT INTO public.bench_probe VALUES (1, 0) ON CONFLICT DO NOTHING');
    const selectOne = () => client.query('SELECT $1::int AS one', [1]);
    const writeOne = () => client.query('UPDATE public.bench_probe SET n = n + 1 WHERE id = $1', [1]);
    const select = await time(selectOne);
    const commit = await time(async () => {
      await client.query('BEGIN');
      await writeOne();
      await client.query('COMMIT');
    });
    const write = await time(writeOne);
    const nats = await natsRoundTrips(mesh, (fn) => time(fn));
    const at = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;
    const afterIdle = {
      gapMs: IDLE_GAP_MS,
      selectP50Ms: at(await time(selectOne, IDLE_GAP_MS), 0.5),
      writeP50Ms: at(await time(writeOne, IDLE_GAP_MS), 0.5),
      natsP50Ms: at(await natsRoundTrips(mesh, (fn) => time(fn, IDLE_GAP_MS)), 0.5),
    };
    return { selectP50Ms: at(select, 0.5), commitP50Ms: at(commit, 0.5), commitP99Ms: at(commit, 0.99), writeP50Ms: at(write, 0.5), natsP50Ms: at(nats, 0.5), afterIdle };
  } finally {
    await client.end();
  }
}

/** Request/reply to a bare nats.js responder in a process of its own: an agent round trip with no agent work in it. */
async function natsRoundTrips(mesh: FlowMesh, time: (fn: () => Promise<unknown>) => Promise<number[]>): Promise<number[]> {
  const responder = spawn(
    process.execPath,
    ['--input-type=module', '-e', `import { connect } from '@nats-io/transport-node'; const nc = await connect({ servers: ${JSON.stringify(mesh.nats.url)} }); for await (const m of nc.subscribe('bench.probe')) m.respond(m.data);`],
    { cwd: root, stdio: 'ignore' },
  );
  const caller = await connect({ servers: mesh.nats.url });
  try {
    const payload = new Uint8Array(512);
    const call = () => caller.request('bench.probe', payload, { timeout: 2_000 });
    await waitFor(() => call().then(() => true, () => false), { timeoutMs: 10_000, what: 'the NATS probe responder' });
    for (let i = 0; i < 200; i++) await call();
    return await time(call);
  } finally {
    responder.kill();
    await caller.close();
  }
}
