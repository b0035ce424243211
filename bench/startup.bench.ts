// Benchmark: how long `npm start` takes to bring the whole mesh up. Each run starts the launcher
// (tools/launcher/start.ts, as tests/mesh.e2e.test.ts does) on free ports with a fresh data dir, and times
// spawn → "spine: mesh is up" (every service answered /health/ready) → every agent listed healthy by the registry.
// Start-up time is a figure to watch here, not an assertion in a functional test: on a shared 2-core machine it
// moves with the load (each row records it).
// Run: npm run bench:startup [-- --runs N]   (rewrites bench/results/startup.md, keeping earlier rows)
import { freePorts, freeRange, waitFor, within } from '@spine/testing';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { commitUnderTest, machine } from './support/flow-report.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const launcher = join(root, 'tools', 'launcher', 'start.ts');
const FILE = join(root, 'bench', 'results', 'startup.md');
/** Far above any start-up seen: only a hung launcher gets here (it gives each service 120 s itself). */
const GIVE_UP_MS = 300_000;

const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(flags.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number ≥ 1; got ${flags.runs}`);

/** Every built app but the platform services is an agent the registry must list healthy (as tests/mesh.e2e.test.ts). */
const PLATFORM = new Set(['registry', 'orchestrator']);
const builtApps = readdirSync(join(root, 'apps')).filter((name) => existsSync(join(root, 'apps', name, 'dist', 'main.js')));
const agents = builtApps.filter((name) => !PLATFORM.has(name));

interface Sample {
  /** spawn → the launcher printed "spine: mesh is up". */
  upMs: number;
  /** spawn → the registry lists every agent healthy. */
  healthyMs: number;
  /** The launcher's own figure from its "mesh is up (N services) in Xs" line. */
  launcherSeconds: number;
}

async function oneRun(): Promise<Sample> {
  const dataDir = await mkdtemp(join(tmpdir(), 'spine-bench-startup-'));
  const [nats, pg] = (await freePorts(2)) as [number, number];
  const pub = await freeRange(2, [nats, pg]);
  const http = await freeRange(builtApps.length + 1, [nats, pg, pub, pub + 1]);
  const args = ['--data-dir', dataDir, '--nats-port', String(nats), '--pg-port', String(pg), '--http-port', String(http), '--public-port', String(pub), '--log-level', 'warn'];
  const began = performance.now();
  const child = spawn(process.execPath, [launcher, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const printed = new EventEmitter<{ line: [string] }>();
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        output.push(line);
        printed.emit('line', line);
      }
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const upLine = new Promise<string>((resolve, reject) => {
      printed.on('line', (line) => line.startsWith('spine: mesh is up') && resolve(line));
      void exited.then((code) => reject(new Error(`the launcher exited (${code}) before the mesh was up\n${output.slice(-40).join('\n')}`)));
    });
    const line = await within(upLine, 'spine: mesh is up', GIVE_UP_MS);
    const upMs = performance.now() - began;
    await waitFor(async () => {
      const { agents: listed } = (await (await fetch(`http://127.0.0.1:${http}/agents`)).json()) as { agents: { name: string; state: string }[] };
      const healthy = new Set(listed.filter((a) => a.state === 'healthy').map((a) => a.name));
      return agents.every((name) => healthy.has(name));
    }, { timeoutMs: GIVE_UP_MS, intervalMs: 50, what: `${agents.join(', ')} listed healthy` });
    const healthyMs = performance.now() - began;
    return { upMs, healthyMs, launcherSeconds: Number(/ in ([\d.]+)s\./.exec(line)?.[1] ?? Number.NaN) };
  } finally {
    child.kill('SIGINT');
    const stopped = await within(exited, 'the launcher to stop', 30_000).catch(() => undefined);
    if (stopped === undefined) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const seconds = (ms: number) => (ms / 1000).toFixed(1);

const HEADER = `# bench:startup results

How long \`npm start\` takes to bring the whole local mesh up from a fresh data dir: nats-server, Postgres, the
migrations, the registry, every agent and the orchestrator, as the launcher starts them (tools/launcher/start.ts).
Each run spawns the launcher on free ports and measures, from spawn: **up**, the launcher's "spine: mesh is up"
(every service answered /health/ready), and **healthy**, every agent listed healthy by the registry. Rows show the
median (p50) and the range over the runs that came up; **failed** counts starts that did not. \`npm run bench:startup\` adds a row (\`-- --runs N\`, default 3).

The tests do not assert a start-up time (they wait for these events with a generous bound); this file is where a
regression shows. The machine is shared: read each row with its load average.
`;
const TABLE_HEAD = `| at | commit | node | cpus | load (before) | services | runs | failed | up p50 s | up min–max s | healthy p50 s | healthy min–max s |
|---|---|---|---|---|---|---|---|---|---|---|---|`;

async function writeResults(row: string): Promise<void> {
  const previous = existsSync(FILE) ? await readFile(FILE, 'utf8') : '';
  const rows = previous.split('\n').filter((l) => /^\| \d{4}-\d{2}-\d{2}T/.test(l));
  await writeFile(FILE, [HEADER, '## Runs', '', TABLE_HEAD, ...rows, row, ''].join('\n'));
  process.stdout.write(`\nwrote ${FILE}\n`);
}

const before = machine();
const samples: Sample[] = [];
const failures: string[] = [];
for (let i = 1; i <= runs; i++) {
  try {
    const s = await oneRun();
    samples.push(s);
    process.stdout.write(`run ${i}/${runs}: up ${seconds(s.upMs)} s (launcher says ${s.launcherSeconds} s), every agent healthy ${seconds(s.healthyMs)} s\n`);
  } catch (err) {
    // A start that failed is a result too (the row counts it); the next run starts afresh.
    failures.push((err as Error).message.split('\n')[0] ?? '');
    process.stdout.write(`run ${i}/${runs} failed: ${(err as Error).message}\n`);
  }
}
if (samples.length === 0) throw new Error(`every run failed: ${failures.join('; ')}`);
const up = samples.map((s) => s.upMs);
const healthy = samples.map((s) => s.healthyMs);
const range = (xs: number[]) => `${seconds(Math.min(...xs))}–${seconds(Math.max(...xs))}`;
process.stdout.write(`\np50 over ${samples.length} runs (${failures.length} failed): up ${seconds(median(up))} s, every agent healthy ${seconds(median(healthy))} s\n`);
await writeResults(
  `| ${new Date().toISOString()} | ${commitUnderTest()} | ${before.node} | ${before.nproc} | ${before.load} | ${builtApps.length} | ${samples.length} | ${failures.length} | ${seconds(median(up))} | ${range(up)} | ${seconds(median(healthy))} | ${range(healthy)} |`,
);
