// Benchmark: a 7-node linear flow (a1 → … → a7, one test-agent process per node) on one orchestrator with full
// Postgres durability (fsync and synchronous_commit on), started over HTTP with `wait: true`, at concurrency 1 and 32.
// Run: npm run bench:flow [-- --c1 N --c32 N --quick --profile --no-fsync]   (rewrites bench/results/flow.md, keeping earlier rows)
import { waitFor } from '@spine/testing';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { summarise, type ProfileSummary } from './support/cpu-profile.js';
import { FlowMesh } from './support/flow-mesh.js';
import { commitUnderTest, floorMs, machine, printPhase, printProfile, writeResults, type PhaseResult, type RunSettings } from './support/flow-report.js';
import { cpuMsOf, loadAverage, rssMiB, watchRss } from './support/proc-stats.js';
import { probeRoundTrips } from './support/round-trips.js';
import { readSql, resetSql } from './support/sql-stats.js';

const AGENTS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'] as const;
const FLOW_ID = 'bench-linear-7';
const TENANT = 'bench';

const { values: flags } = parseArgs({
  options: {
    c1: { type: 'string' },
    c32: { type: 'string' },
    warmup: { type: 'string' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'no-fsync': { type: 'boolean', default: false },
  },
});
const settings: RunSettings = {
  c1: Number(flags.c1 ?? (flags.quick ? 60 : 300)),
  c32: Number(flags.c32 ?? (flags.quick ? 400 : 2_000)),
  warmup: Number(flags.warmup ?? (flags.quick ? 100 : 400)),
  durable: !flags['no-fsync'],
  profile: flags.profile,
  orchestratorEnv: {
    // The default 50 req/s per tenant would cap the benchmark, not the engine.
    RATE_LIMIT_PER_SECOND: '1000000',
    RATE_LIMIT_BURST: '1000000',
  },
};

/** Each node reads the trigger and the one before it, so every hop carries data through a template. */
const flow = {
  id: FLOW_ID,
  name: 'bench: 7-node linear',
  nodes: AGENTS.map((agent, i) => ({
    id: `n${i + 1}`,
    agent,
    dependsOn: i === 0 ? [] : [`n${i}`],
    inputs: { text: '{{ trigger.content }}', step: i + 1, ...(i === 0 ? {} : { prev: `{{ n${i}.node }}` }) },
  })),
};
const trigger = { content: 'crea una tarea para revisar el contrato mañana a las 10', userId: 'u-42' };

interface NodeView {
  nodeId: string;
  state: string;
  output: { startedAt?: number; finishedAt?: number } | null;
}

interface Sample {
  ms: number;
  failure?: string;
  /** Agent-side clock (ms): request sent → first agent starts; mean gap between one agent's end and the next one's start; last agent's end → response read. */
  headMs?: number;
  hopMs?: number;
  tailMs?: number;
}

function check(status: number, body: { state?: string; nodes?: NodeView[]; error?: unknown; message?: string }, sentAt: number, doneAt: number): Omit<Sample, 'ms'> {
  if (status !== 200) return { failure: `HTTP ${status}: ${body.message ?? JSON.stringify(body).slice(0, 200)}` };
  const nodes = body.nodes ?? [];
  const succeeded = nodes.filter((n) => n.state === 'succeeded');
  if (body.state !== 'DONE' || succeeded.length !== AGENTS.length) {
    return { failure: `state ${body.state}, ${succeeded.length}/${AGENTS.length} nodes succeeded${body.error ? `: ${JSON.stringify(body.error).slice(0, 200)}` : ''}` };
  }
  const out = AGENTS.map((_, i) => nodes.find((n) => n.nodeId === `n${i + 1}`)?.output ?? {});
  const starts = out.map((o) => o.startedAt ?? Number.NaN);
  const ends = out.map((o) => o.finishedAt ?? Number.NaN);
  const gaps = starts.slice(1).map((s, i) => s - ends[i]!);
  return { headMs: starts[0]! - sentAt, hopMs: gaps.reduce((a, b) => a + b, 0) / gaps.length, tailMs: doneAt - ends[ends.length - 1]! };
}

function client(mesh: FlowMesh, token: string, connections: number) {
  const pool = new Pool(mesh.orchestratorUrl, { connections, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const body = JSON.stringify({ input: trigger, wait: true, waitTimeoutMs: 60_000 });
  const execute = async (): Promise<Sample> => {
    const sentAt = Date.now();
    const started = performance.now();
    try {
      const res = await pool.request({ path: `/v1/flows/${FLOW_ID}/executions`, method: 'POST', headers, body });
      const json = (await res.body.json()) as Parameters<typeof check>[1];
      const ms = performance.now() - started;
      return { ms, ...check(res.statusCode, json, sentAt, Date.now()) };
    } catch (err) {
      return { ms: performance.now() - started, failure: (err as Error).message };
    }
  };
  return { pool, execute, headers };
}

async function drive(execute: () => Promise<Sample>, concurrency: number, total: number): Promise<{ samples: Sample[]; wallMs: number; longestGapMs: number }> {
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  let last = started;
  let longestGapMs = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < total) {
      samples.push(await execute());
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
    }
  }));
  return { samples, wallMs: performance.now() - started, longestGapMs };
}

type CpuGroups = Record<string, number>;

function cpuNow(mesh: FlowMesh): CpuGroups {
  const own = process.cpuUsage();
  return {
    orchestrator: cpuMsOf(mesh.orchestrator.pid),
    agents: mesh.agents.reduce((sum, a) => sum + cpuMsOf(a.pid), 0),
    postgres: cpuMsOf(mesh.postgres.pid, true),
    'nats-server': cpuMsOf(mesh.nats.pid),
    registry: cpuMsOf(mesh.registry.pid),
    'bench client': (own.user + own.system) / 1000,
  };
}

/** The orchestrator's V8 heap (used and total) and external memory, from its Prometheus metrics. */
async function heapMiB(url: string): Promise<{ heapUsedMiB?: number; heapTotalMiB?: number; externalMiB?: number }> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text()).catch(() => '');
  const metric = (name: string) => {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
    return m ? Number(m[1]) / 2 ** 20 : undefined;
  };
  return { heapUsedMiB: metric('nodejs_heap_size_used_bytes'), heapTotalMiB: metric('nodejs_heap_size_total_bytes'), externalMiB: metric('nodejs_external_memory_bytes') };
}

async function phase(mesh: FlowMesh, execute: () => Promise<Sample>, name: string, concurrency: number, total: number): Promise<PhaseResult> {
  const loadBefore = loadAverage();
  await resetSql(mesh);
  const sqlBefore = await readSql(mesh);
  const cpuBefore = cpuNow(mesh);
  const rss = watchRss(mesh.orchestrator.pid);
  const { samples, wallMs, longestGapMs } = await drive(execute, concurrency, total);
  const memory = { ...rss.stop(), ...(await heapMiB(mesh.orchestratorUrl)) };
  const cpuAfter = cpuNow(mesh);
  // Postgres flushes pg_stat_database counters about once a second.
  await new Promise((r) => setTimeout(r, 1_100));
  const sql = await readSql(mesh);
  return {
    name,
    concurrency,
    samples,
    wallMs,
    longestGapMs,
    rss: memory,
    cpuMs: Object.fromEntries(Object.keys(cpuAfter).map((k) => [k, cpuAfter[k]! - cpuBefore[k]!])),
    sql: { ...sql, commits: sql.commits - sqlBefore.commits, deadlocks: sql.deadlocks - sqlBefore.deadlocks, checkpoints: sql.checkpoints - sqlBefore.checkpoints },
    load: { before: loadBefore, after: loadAverage() },
  };
}

async function main(): Promise<void> {
  const profileDir = settings.profile ? await mkdtemp(join(tmpdir(), 'spine-bench-prof-')) : undefined;
  process.stdout.write(`bench:flow: starting nats-server, Postgres (${settings.durable ? 'durable' : 'fsync off'}), registry, ${AGENTS.length} agents, orchestrator…\n`);
  const mesh = await FlowMesh.start(AGENTS, {
    durable: settings.durable,
    orchestratorEnv: settings.orchestratorEnv,
    ...(profileDir
      ? { orchestratorNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`], agentNodeArgs: { agent: 'a4', args: ['--cpu-prof', `--cpu-prof-dir=${profileDir}/a4`] } }
      : {}),
  });
  let profile: ProfileSummary | undefined;
  try {
    const admin = await mesh.createKey(TENANT, 'admin');
    const http = client(mesh, admin, 32);
    await waitFor(async () => {
      const res = await http.pool.request({ path: '/v1/agents', method: 'GET', headers: http.headers });
      const { agents } = (await res.body.json()) as { agents: { name: string; healthy: number }[] };
      return AGENTS.every((a) => agents.some((x) => x.name === a && x.healthy > 0));
    }, { timeoutMs: 20_000, what: 'the 7 test agents to be healthy' });
    const deployed = await http.pool.request({ path: '/v1/flows', method: 'POST', headers: http.headers, body: JSON.stringify(flow) });
    const deployBody = await deployed.body.text();
    if (deployed.statusCode !== 201) throw new Error(`deploy failed: ${deployed.statusCode} ${deployBody}`);

    const idleRssMiB = rssMiB(mesh.orchestrator.pid);
    const roundTrips = await probeRoundTrips(mesh);
    process.stdout.write(`orchestrator RSS after boot ${idleRssMiB.toFixed(1)} MiB; Postgres from Node: SELECT p50 ${roundTrips.selectP50Ms.toFixed(3)} ms, BEGIN+UPDATE+COMMIT p50 ${roundTrips.commitP50Ms.toFixed(3)} ms (p99 ${roundTrips.commitP99Ms.toFixed(3)} ms), durable write p50 ${roundTrips.writeP50Ms.toFixed(3)} ms; NATS request/reply p50 ${roundTrips.natsP50Ms.toFixed(3)} ms; c=1 floor ${floorMs(roundTrips).toFixed(2)} ms (${floorMs(roundTrips, true).toFixed(2)} ms with each wait after ${roundTrips.afterIdle.gapMs} ms idle)\n`);
    process.stdout.write(`warming up: ${settings.warmup} executions at c=16\n`);
    const warm = await drive(http.execute, 16, settings.warmup);
    const warmFailures = warm.samples.filter((s) => s.failure);
    if (warmFailures.length > 0) process.stdout.write(`warm-up: ${warmFailures.length} failed, e.g. ${warmFailures[0]!.failure}\n`);

    const phases: PhaseResult[] = [];
    for (const [name, c, n] of [['c=1', 1, settings.c1], ['c=32', 32, settings.c32]] as const) {
      process.stdout.write(`measuring ${name}: ${n} executions…\n`);
      const result = await phase(mesh, http.execute, name, c, n);
      printPhase(result);
      phases.push(result);
    }
    await http.pool.close();

    if (profileDir) {
      await mesh.stopOrchestrator();
      const file = (await readdir(profileDir)).find((f) => f.endsWith('.cpuprofile'));
      if (file) {
        profile = await summarise(join(profileDir, file));
        process.stdout.write(`orchestrator profile kept at ${join(profileDir, file)} (open it in Chrome DevTools → Performance)\n`);
      }
      if (profile) printProfile(profile);
      else process.stdout.write('no .cpuprofile written by the orchestrator\n');
      process.stdout.write(`agent a4's profile is written to ${profileDir}/a4 when the mesh stops\n`);
    }
    await writeResults({ at: new Date().toISOString(), machine: machine(), settings, phases, commit: commitUnderTest(), idleRssMiB, roundTrips, ...(profile ? { profile } : {}) });
    if (phases.some((p) => p.samples.some((s) => s.failure))) process.exitCode = 1;
  } finally {
    await mesh.stop();
  }
}

await main();
