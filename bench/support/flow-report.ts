// Console tables and bench/results/flow.md for bench:flow. The file is rewritten on each run; earlier rows of its
// runs table (and the last profile, when this run made none) are kept.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { ProfileSummary } from './cpu-profile.js';
import { loadAverage } from './proc-stats.js';
import type { RoundTrips } from './round-trips.js';
import type { SqlSnapshot } from './sql-stats.js';

export interface RunSettings {
  c1: number;
  c32: number;
  warmup: number;
  durable: boolean;
  profile: boolean;
  orchestratorEnv: Record<string, string>;
}

export interface PhaseResult {
  name: string;
  concurrency: number;
  samples: { ms: number; failure?: string; headMs?: number; hopMs?: number; tailMs?: number }[];
  wallMs: number;
  /** The longest time in which no execution finished: a stall shows here. */
  longestGapMs?: number;
  rss: { peakMiB: number; lastMiB: number; heapUsedMiB?: number; heapTotalMiB?: number; externalMiB?: number };
  cpuMs: Record<string, number>;
  sql: SqlSnapshot;
  load: { before: string; after: string };
}

export interface Machine {
  nproc: number;
  cpu: string;
  memGiB: number;
  node: string;
  load: string;
}

interface Run {
  at: string;
  machine: Machine;
  settings: RunSettings;
  phases: PhaseResult[];
  commit: string;
  idleRssMiB: number;
  roundTrips: RoundTrips;
  profile?: ProfileSummary;
}

const TARGET = { c1P50Ms: 10, c32ExecPerSec: 400 };
const FILE = join(import.meta.dirname, '..', 'results', 'flow.md');
const NODES = 7;

/** The commit under test; `+ local changes` when apps/ or libs/ differ from it. SPINE_BENCH_COMMIT names a tree without .git. */
export function commitUnderTest(): string {
  if (process.env['SPINE_BENCH_COMMIT']) return process.env['SPINE_BENCH_COMMIT'];
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'apps', 'libs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head} + local changes` : head;
  } catch {
    return 'unknown';
  }
}

export function machine(): Machine {
  let nproc = cpus().length;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || nproc;
  } catch {
    // cpus() is close enough
  }
  return { nproc, cpu: cpus()[0]?.model ?? 'unknown', memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, load: loadAverage() };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const sortedOf = (xs: (number | undefined)[]) => xs.filter((x): x is number => x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

function summary(p: PhaseResult) {
  const ok = p.samples.filter((s) => !s.failure);
  const lat = sortedOf(ok.map((s) => s.ms));
  const n = p.samples.length;
  const cpuTotal = Object.values(p.cpuMs).reduce((a, b) => a + b, 0);
  return {
    n,
    failures: n - ok.length,
    execPerSec: ok.length / (p.wallMs / 1000),
    p50: quantile(lat, 0.5),
    p95: quantile(lat, 0.95),
    p99: quantile(lat, 0.99),
    max: lat[lat.length - 1] ?? Number.NaN,
    mean: lat.reduce((a, b) => a + b, 0) / (lat.length || 1),
    headMs: quantile(sortedOf(ok.map((s) => s.headMs)), 0.5),
    hopMs: quantile(sortedOf(ok.map((s) => s.hopMs)), 0.5),
    tailMs: quantile(sortedOf(ok.map((s) => s.tailMs)), 0.5),
    cpuPerExec: Object.fromEntries(Object.entries(p.cpuMs).map(([k, v]) => [k, v / n])),
    cpuTotalPerExec: cpuTotal / n,
    sqlPerExec: p.sql.statements.reduce((a, s) => a + s.calls, 0) / n,
    commitsPerExec: p.sql.commits / n,
  };
}

export function printPhase(p: PhaseResult): void {
  const s = summary(p);
  const lines = [
    `\n${p.name}: ${s.n} executions, ${s.failures} failed, ${f1(s.execPerSec)} exec/s; latency ms p50 ${f2(s.p50)}  p95 ${f2(s.p95)}  p99 ${f2(s.p99)}  max ${f2(s.max)}  mean ${f2(s.mean)}`,
    `  per execution (agent clocks, p50): request → first agent ${f1(s.headMs)} ms; between agents ${f2(s.hopMs)} ms per hop; last agent → response ${f1(s.tailMs)} ms`,
    `  orchestrator RSS: peak ${f1(p.rss.peakMiB)} MiB, after ${f1(p.rss.lastMiB)} MiB${heapText(p.rss)}; load ${p.load.before} → ${p.load.after}`,
    `  CPU ms per execution: ${Object.entries(s.cpuPerExec).map(([k, v]) => `${k} ${f2(v)}`).join(', ')}; total ${f2(s.cpuTotalPerExec)} (ceiling on ${machine().nproc} cores ≈ ${f1((machine().nproc * 1000) / s.cpuTotalPerExec)} exec/s)`,
    `  SQL per execution: ${f1(s.sqlPerExec)} statements, ${f1(s.commitsPerExec)} commits; during the phase: ${p.sql.deadlocks} deadlocks, ${p.sql.checkpoints} checkpoints; longest time with no execution finishing ${f1(p.longestGapMs ?? Number.NaN)} ms`,
    ...p.sql.statements.slice(0, 20).map((st) => `    ${(st.calls / s.n).toFixed(2).padStart(6)} × ${st.label}  (mean ${st.meanMs.toFixed(3)} ms server-side)`),
  ];
  const failures = p.samples.filter((x) => x.failure).slice(0, 3);
  for (const x of failures) lines.push(`  failure: ${x.failure}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function printProfile(p: ProfileSummary): void {
  const lines = [`\norchestrator CPU profile: ${f1(p.totalMs)} ms profiled, ${f1(p.busyMs)} ms busy`, '  self time by package:'];
  for (const x of p.byPackage.slice(0, 15)) lines.push(`    ${f1(x.ms).padStart(9)} ms  ${x.name}`);
  lines.push('  self time, native and node:internal frames charged to their calling package:');
  for (const x of p.attributed.slice(0, 15)) lines.push(`    ${f1(x.ms).padStart(9)} ms  ${x.name}`);
  lines.push('  inclusive time by package (on the stack):');
  for (const x of p.inclusive.slice(0, 15)) lines.push(`    ${f1(x.ms).padStart(9)} ms  ${x.name}`);
  lines.push('  self time by function:');
  for (const x of p.byFunction.slice(0, 25)) lines.push(`    ${f1(x.ms).padStart(9)} ms  ${x.name}  ${x.where}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

const HEADER = `# bench:flow results

A 7-node linear flow (a1 → a2 → … → a7), each node on its own test-agent process (agent-kit, Struct in/out, echoes
its input), one orchestrator, the registry, nats-server and Postgres, all on this machine. Executions start with
\`POST /v1/flows/{id}/executions\` and \`wait: true\` over keep-alive HTTP (undici Pool), at concurrency 1 and 32, after
a warm-up. Every execution must end DONE with 7 succeeded node runs; anything else counts as a failure.
Postgres keeps its durable defaults (fsync, synchronous_commit, full_page_writes on; a \`--no-fsync\` row says so);
pg_stat_statements is loaded to count statements. The orchestrator runs with its defaults except the per-tenant rate
limit, raised so that it does not cap the benchmark. \`npm run bench:flow\` adds a row
(flags: \`--c1 N --c32 N --warmup N --quick --profile --no-fsync\`).

Targets (issue 4): **c=1 p50 ≤ ${TARGET.c1P50Ms} ms; c=32 ≥ ${TARGET.c32ExecPerSec} exec/s**. For scale: LangGraph.js with its Postgres
checkpointer runs the same shape at 84–85 exec/s with p99 ≈ 0.5 s at c=32 on this machine class.
The machine is shared: read each row with its load average.
`;

const TABLE_HEAD = `| at | node | cpus | load (before c=1) | mode | c=1 n | c=1 exec/s | c=1 p50 ms | c=1 p95 ms | c=1 p99 ms | c=32 n | c=32 exec/s | c=32 p50 ms | c=32 p95 ms | c=32 p99 ms | failures | orch RSS peak MiB | targets met |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|`;

function row(r: Run): string {
  const [c1, c32] = r.phases.map(summary);
  const mode = `${r.settings.durable ? 'durable' : 'fsync off'}${r.settings.profile ? ' + cpu-prof' : ''}`;
  const met = [c1 && c1.p50 <= TARGET.c1P50Ms ? 'c=1 yes' : 'c=1 no', c32 && c32.execPerSec >= TARGET.c32ExecPerSec ? 'c=32 yes' : 'c=32 no'].join(', ');
  const failures = r.phases.reduce((a, p) => a + p.samples.filter((s) => s.failure).length, 0);
  const peak = Math.max(...r.phases.map((p) => p.rss.peakMiB));
  return `| ${r.at} | ${r.machine.node} | ${r.machine.nproc} | ${r.phases[0]?.load.before ?? r.machine.load} | ${mode} | ${c1?.n} | ${f1(c1?.execPerSec ?? Number.NaN)} | ${f2(c1?.p50 ?? Number.NaN)} | ${f2(c1?.p95 ?? Number.NaN)} | ${f2(c1?.p99 ?? Number.NaN)} | ${c32?.n} | ${f1(c32?.execPerSec ?? Number.NaN)} | ${f2(c32?.p50 ?? Number.NaN)} | ${f2(c32?.p95 ?? Number.NaN)} | ${f2(c32?.p99 ?? Number.NaN)} | ${failures} | ${f1(peak)} | ${met} |`;
}

/**
 * The c=1 latency of an execution that only waited for what the design requires (see details()): with each wait
 * measured back to back, or (`afterIdle`) each after the idleness every process sees at c=1.
 */
export function floorMs(t: RoundTrips, afterIdle = false): number {
  const w = afterIdle ? t.afterIdle : t;
  return 9 * w.writeP50Ms + 7 * w.natsP50Ms + w.selectP50Ms;
}

function heapText(m: PhaseResult['rss']): string {
  return m.heapUsedMiB === undefined ? '' : ` (V8 heap ${f1(m.heapUsedMiB)} MiB used of ${f1(m.heapTotalMiB ?? Number.NaN)}, external ${f1(m.externalMiB ?? Number.NaN)} MiB)`;
}

function details(r: Run): string {
  const out = [
    `## Latest run: ${r.at}`,
    '',
    `Machine: ${r.machine.nproc} CPUs (\`nproc\`), ${r.machine.cpu}, ${r.machine.memGiB} GiB; load average ${r.machine.load} at the end. Node ${r.machine.node}.`,
    `Commit: ${r.commit}. Before the run: orchestrator RSS ${f1(r.idleRssMiB)} MiB after boot; from Node to this Postgres, one \`SELECT\` p50 ${r.roundTrips.selectP50Ms.toFixed(3)} ms, one \`BEGIN; UPDATE; COMMIT\` p50 ${r.roundTrips.commitP50Ms.toFixed(3)} ms (p99 ${r.roundTrips.commitP99Ms.toFixed(3)} ms), one durable single-statement write p50 ${r.roundTrips.writeP50Ms.toFixed(3)} ms; one NATS request/reply p50 ${r.roundTrips.natsP50Ms.toFixed(3)} ms. The same, each after ${r.roundTrips.afterIdle.gapMs} ms idle (as every process is at c=1): \`SELECT\` ${r.roundTrips.afterIdle.selectP50Ms.toFixed(3)} ms, durable write ${r.roundTrips.afterIdle.writeP50Ms.toFixed(3)} ms, NATS request/reply ${r.roundTrips.afterIdle.natsP50Ms.toFixed(3)} ms.`,
    `Floor for c=1 on this machine, counting only the waits the design requires (9 durable writes: the create, 7 node commits, the end; 7 agent round trips; 1 read), with nothing else costing anything: ${f2(floorMs(r.roundTrips))} ms back to back, ${f2(floorMs(r.roundTrips, true))} ms after idle (target ≤ 10 ms).`,
    `Settings: warm-up ${r.settings.warmup} executions at c=16; c=1 ${r.settings.c1}, c=32 ${r.settings.c32} executions; Postgres ${r.settings.durable ? 'durable' : 'fsync off'}; orchestrator env ${Object.entries(r.settings.orchestratorEnv).map(([k, v]) => `${k}=${v}`).join(' ')}${r.settings.profile ? ', run with --cpu-prof' : ''}.`,
    '',
  ];
  for (const p of r.phases) {
    const s = summary(p);
    out.push(
      `### ${p.name}`,
      '',
      `- ${s.n} executions, ${s.failures} failed; **${f1(s.execPerSec)} exec/s**; latency p50 **${f2(s.p50)} ms**, p95 ${f2(s.p95)} ms, p99 ${f2(s.p99)} ms, max ${f2(s.max)} ms; load ${p.load.before} → ${p.load.after}`,
      `- Where an execution's time goes (p50, agent clocks): request → first agent starts ${f1(s.headMs)} ms; one agent's end → the next one's start ${f2(s.hopMs)} ms (×6); last agent ends → response read ${f1(s.tailMs)} ms`,
      `- Orchestrator RSS: peak ${f1(p.rss.peakMiB)} MiB, ${f1(p.rss.lastMiB)} MiB after${heapText(p.rss)}`,
      `- CPU ms per execution: ${Object.entries(s.cpuPerExec).map(([k, v]) => `${k} ${f2(v)}`).join(', ')}; total ${f2(s.cpuTotalPerExec)} (at most ≈ ${f1((r.machine.nproc * 1000) / s.cpuTotalPerExec)} exec/s on ${r.machine.nproc} cores)`,
      `- Longest time with no execution finishing: ${f1(p.longestGapMs ?? Number.NaN)} ms. Postgres during the phase: ${p.sql.deadlocks} deadlocks, ${p.sql.checkpoints} checkpoints`,
      `- SQL per execution: ${f1(s.sqlPerExec)} statements in ${f1(s.commitsPerExec)} commits (pg_stat_statements):`,
      '',
      '| per execution | per node (÷7) | statement | mean ms (server) |',
      '|---|---|---|---|',
      ...p.sql.statements.slice(0, 20).map((st) => `| ${(st.calls / s.n).toFixed(2)} | ${(st.calls / s.n / NODES).toFixed(2)} | ${st.label} | ${st.meanMs.toFixed(3)} |`),
      '',
    );
  }
  return out.join('\n');
}

function profileSection(p: ProfileSummary, at: string): string {
  return [
    `## Latest orchestrator CPU profile: ${at}`,
    '',
    `\`--cpu-prof\` over boot, warm-up and both phases: ${f1(p.totalMs)} ms profiled, ${f1(p.busyMs)} ms busy.`,
    '',
    '| self ms | package |',
    '|---|---|',
    ...p.byPackage.slice(0, 15).map((x) => `| ${f1(x.ms)} | ${x.name} |`),
    '',
    '| self ms, natives charged to caller | package |',
    '|---|---|',
    ...p.attributed.slice(0, 15).map((x) => `| ${f1(x.ms)} | ${x.name} |`),
    '',
    '| inclusive ms | package (on the stack) |',
    '|---|---|',
    ...p.inclusive.slice(0, 12).map((x) => `| ${f1(x.ms)} | ${x.name} |`),
    '',
    '| self ms | function | where |',
    '|---|---|---|',
    ...p.byFunction.slice(0, 20).map((x) => `| ${f1(x.ms)} | \`${x.name}\` | ${x.where} |`),
    '',
  ].join('\n');
}

/** A `## heading…` section of the previous file, up to the next `## `; empty when absent. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n${heading}`);
  if (start < 0) return '';
  const end = text.indexOf('\n## ', start + 1);
  return `${text.slice(start + 1, end < 0 ? undefined : end).trimEnd()}\n`;
}

export async function writeResults(r: Run): Promise<void> {
  const previous = existsSync(FILE) ? await readFile(FILE, 'utf8') : '';
  const rows = section(previous, '## Runs').split('\n').filter((l) => /^\| \d{4}-\d{2}-\d{2}T/.test(l));
  // Hand-written analysis lives under "## Findings" and is kept as is.
  const kept = [r.profile ? profileSection(r.profile, r.at) : section(previous, '## Latest orchestrator CPU profile'), section(previous, '## Findings')].filter(Boolean);
  await writeFile(FILE, [HEADER, '## Runs', '', TABLE_HEAD, ...rows, row(r), '', details(r), ...kept].join('\n'));
  process.stdout.write(`\nwrote ${FILE}\n`);
}
