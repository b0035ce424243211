// Benchmark: the default erp-assistant flow end to end (registry, the seven agents, orchestrator, NATS, Postgres,
// local LLM provider), driven through the public API like a client: POST /v1/conversations/{id}/messages with
// `Accept: text/event-stream`, each message "crea una tarea … mañana a las 10 en el proyecto …" (router → retrieval
// → planner → tool-executor writes a task → streamer). Concurrency 1, then 16 conversations at once.
// Measures time to first reply token and to the end of the stream (DONE), exec/s, and the RSS of every service.
// Run: npm run bench:assistant [-- --c1 N --c16 N --warmup N]   (appends a row per phase to bench/results/assistant.md)
import { startNats, startPostgres } from '@spine/testing';
import { existsSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AssistantClient } from '../tests/support/assistant-client.js';
import { AssistantMesh } from '../tests/support/assistant.js';
import { commitUnderTest, machine } from './support/flow-report.js';
import { loadAverage, rssMiB } from './support/proc-stats.js';

const { values: flags } = parseArgs({ options: { c1: { type: 'string' }, c16: { type: 'string' }, warmup: { type: 'string' } } });
const settings = { c1: Number(flags.c1 ?? 40), c16: Number(flags.c16 ?? 320), warmup: Number(flags.warmup ?? 16) };
const RESULTS = join(import.meta.dirname, 'results', 'assistant.md');
const PROJECT = 'Bench';

interface Sample {
  ttftMs: number;
  doneMs: number;
  failure?: string;
}

interface Phase {
  name: string;
  concurrency: number;
  samples: Sample[];
  wallMs: number;
  rss: Record<string, { peakMiB: number }>;
  load: string;
}

function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : Number.NaN;
}

async function run(api: AssistantClient, mesh: AssistantMesh, name: string, concurrency: number, total: number): Promise<Phase> {
  const conversations = await Promise.all(Array.from({ length: concurrency }, (_, i) => api.conversation(`bench-${name}-${i}`)));
  const samples: Sample[] = [];
  const peaks: Record<string, number> = {};
  const sample = () => {
    for (const [app, pid] of Object.entries(mesh.pids())) peaks[app] = Math.max(peaks[app] ?? 0, rssMiB(pid) || 0);
  };
  const timer = setInterval(sample, 250);
  let next = 0;
  const began = performance.now();
  await Promise.all(
    conversations.map(async (conversation) => {
      for (let i = next++; i < total; i = next++) {
        try {
          const t = await api.say(conversation, `crea una tarea para revisar el contrato ${i} mañana a las 10 en el proyecto ${PROJECT}`);
          samples.push(t.state === 'DONE' && /^Listo: creé la tarea/.test(t.reply) ? { ttftMs: t.firstTokenMs ?? Number.NaN, doneMs: t.doneMs } : { ttftMs: Number.NaN, doneMs: t.doneMs, failure: `${t.state}: ${t.reply.slice(0, 120)}` });
        } catch (err) {
          samples.push({ ttftMs: Number.NaN, doneMs: Number.NaN, failure: (err as Error).message });
        }
      }
    }),
  );
  const wallMs = performance.now() - began;
  clearInterval(timer);
  sample();
  return { name, concurrency, samples, wallMs, rss: Object.fromEntries(Object.entries(peaks).map(([app, peakMiB]) => [app, { peakMiB }])), load: loadAverage() };
}

function summary(p: Phase) {
  const ok = p.samples.filter((s) => !s.failure);
  return {
    n: p.samples.length,
    failures: p.samples.length - ok.length,
    execPerSec: ok.length / (p.wallMs / 1000),
    ttft50: quantile(ok.map((s) => s.ttftMs), 0.5),
    ttft99: quantile(ok.map((s) => s.ttftMs), 0.99),
    done50: quantile(ok.map((s) => s.doneMs), 0.5),
    done99: quantile(ok.map((s) => s.doneMs), 0.99),
  };
}

const APPS = ['orchestrator', 'registry', 'intake', 'router', 'retrieval', 'planner', 'tool-executor', 'streamer', 'event-logger'];

async function writeResults(phases: Phase[]): Promise<void> {
  const m = machine();
  if (!existsSync(RESULTS)) {
    await writeFile(
      RESULTS,
      [
        '# bench:assistant results',
        '',
        'The default `erp-assistant` flow end to end through the public API (SSE), every process real, local LLM',
        'provider, one replica per service, Postgres with fsync on. Each execution is one message that creates a task',
        '("crea una tarea para revisar el contrato N mañana a las 10 en el proyecto Bench"): intake → router → retrieval →',
        'planner → tool-executor (one row + ledger) → streamer. TTFT: message POSTed → first reply chunk on the SSE stream;',
        'DONE: → end of the stream. RSS: peak per service during the phase, MiB. `npm run bench:assistant` appends rows.',
        '',
        `| at | commit | machine | load (end of phase) | phase | n | fail | exec/s | TTFT p50 ms | TTFT p99 ms | DONE p50 ms | DONE p99 ms | ${APPS.map((a) => `${a} MiB`).join(' | ')} |`,
        `|${' --- |'.repeat(12 + APPS.length)}`,
        '',
      ].join('\n'),
    );
  }
  const at = new Date().toISOString();
  const rows = phases.map((p) => {
    const s = summary(p);
    const f = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
    return `| ${at} | ${commitUnderTest()} | ${m.nproc} CPU ${m.cpu}, ${m.memGiB} GiB, node ${m.node} | ${p.load} | c=${p.concurrency} | ${s.n} | ${s.failures} | ${s.execPerSec.toFixed(1)} | ${f(s.ttft50)} | ${f(s.ttft99)} | ${f(s.done50)} | ${f(s.done99)} | ${APPS.map((a) => f(p.rss[a]?.peakMiB ?? Number.NaN)).join(' | ')} |`;
  });
  await appendFile(RESULTS, `${rows.join('\n')}\n`);
}

async function main(): Promise<void> {
  const load = loadAverage();
  console.log(`bench:assistant: load ${load}; c1 ${settings.c1}, c16 ${settings.c16}, warm-up ${settings.warmup}`);
  const [nats, postgres] = await Promise.all([startNats(), startPostgres()]);
  let mesh: AssistantMesh | undefined;
  try {
    mesh = await AssistantMesh.start(nats.url, await postgres.createDatabase('postgres'), {
      // The default 50 req/s per tenant would cap the benchmark, not the flow.
      orchestratorEnv: { RATE_LIMIT_PER_SECOND: '1000000', RATE_LIMIT_BURST: '1000000' },
      logLevel: 'error',
    });
    const api = new AssistantClient(mesh.url, await mesh.createKey('admin'));
    const setup = await api.say(await api.conversation('bench-setup'), `crea el proyecto ${PROJECT}`);
    if (setup.state !== 'DONE') throw new Error(`setup: ${setup.state} ${setup.reply}`);
    await run(api, mesh, 'warmup', 4, settings.warmup);
    const phases = [await run(api, mesh, 'c1', 1, settings.c1), await run(api, mesh, 'c16', 16, settings.c16)];
    for (const p of phases) {
      const s = summary(p);
      console.log(`c=${p.concurrency}: n ${s.n}, failures ${s.failures}, ${s.execPerSec.toFixed(1)} exec/s, TTFT p50 ${s.ttft50.toFixed(0)} p99 ${s.ttft99.toFixed(0)} ms, DONE p50 ${s.done50.toFixed(0)} p99 ${s.done99.toFixed(0)} ms`);
      console.log(`  RSS peak MiB: ${APPS.map((a) => `${a} ${(p.rss[a]?.peakMiB ?? Number.NaN).toFixed(0)}`).join(', ')}`);
      const failures = p.samples.filter((x) => x.failure).slice(0, 3);
      for (const f of failures) console.log(`  failure: ${f.failure}`);
    }
    await writeResults(phases);
    console.log(`bench:assistant: results appended to ${RESULTS}`);
  } finally {
    await mesh?.stop();
    await Promise.allSettled([nats.stop(), postgres.stop()]);
  }
}

main().catch((err: Error) => {
  console.error(`bench:assistant: ${err.stack ?? err.message}`);
  process.exit(1);
});
