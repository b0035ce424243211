// Benchmark: the embedded vector store, old (one JSON file per tenant, brute force) against new (LanceDB).
// Each (store, size) runs in a child process of its own, so RSS is that store's alone. A run ingests N
// chunks into one tenant in batches of 500 (as Cerebro writes a document's chunks), then times 300 queries
// without a filter and 300 with a two-field payload filter. Vectors are synthetic (384 numbers, clustered
// around 200 topics, seeded), so the figures are the store's, not the embedder's.
// Run: npm run bench:retrieval [-- --sizes 10000,100000 --stores json,lance --budget-s 300]   (rewrites bench/results/retrieval.md)
import { EmbeddedVectorStore, LanceVectorStore, tenantId, type VectorPoint, type VectorStore } from '@spine/vector';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { commitUnderTest, machine } from './support/flow-report.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILE = join(root, 'bench', 'results', 'retrieval.md');
const DIMENSIONS = 384;
const BATCH = 500;
const QUERIES = 300;
const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    stores: { type: 'string', default: 'json,lance' },
    'budget-s': { type: 'string', default: '300' },
    child: { type: 'string' },
  },
});
/** The old store rewrites its whole file per batch: past this, a run is stopped and its figures are for what it held. */
const INGEST_BUDGET_MS = Number(flags['budget-s']) * 1000;

interface Result {
  store: string;
  size: number;
  ingested: number;
  ingestChunksPerSec: number;
  /** chunks/s over the first and the last tenth of the ingest: equal when the cost per chunk is flat. */
  firstTenthPerSec: number;
  lastTenthPerSec: number;
  p50: number;
  p99: number;
  p50Filtered: number;
  p99Filtered: number;
  rssMb: number;
  /** Whether searches ran against an ANN index, and how long after the last write it was ready. */
  indexed: boolean;
  indexWaitMs: number;
  note: string;
}

/** A seeded PRNG (mulberry32): every run ingests the same points. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = random(42);
const centroids = Array.from({ length: 200 }, () => Array.from({ length: DIMENSIONS }, () => rand() * 2 - 1));
const KINDS = ['knowledge', 'api-contract', 'flow', 'summary'];

function vectorNear(topic: number): number[] {
  return centroids[topic % centroids.length]!.map((x) => x + (rand() - 0.5) * 0.6);
}

function point(i: number): VectorPoint {
  return {
    id: `doc-${Math.floor(i / 8)}#${i % 8}`,
    vector: vectorNear(i),
    payload: { documentId: `doc-${Math.floor(i / 8)}`, chunk: i % 8, kind: KINDS[i % 4]!, language: i % 2 ? 'es' : 'en', title: `Document ${Math.floor(i / 8)}`, text: `chunk ${i} `.repeat(30) },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function child(store: string, size: number): Promise<Result> {
  const dir = await mkdtemp(join(tmpdir(), 'spine-bench-retrieval-'));
  const db: VectorStore = store === 'json' ? new EmbeddedVectorStore({ dimensions: DIMENSIONS, dir }) : new LanceVectorStore({ dimensions: DIMENSIONS, dir });
  const tenant = tenantId('bench');
  const batchMs: number[] = [];
  let note = '';
  const began = performance.now();
  try {
    for (let i = 0; i < size; i += BATCH) {
      const points = Array.from({ length: Math.min(BATCH, size - i) }, (_, k) => point(i + k));
      const t0 = performance.now();
      await db.upsert(tenant, points);
      batchMs.push(performance.now() - t0);
      if (performance.now() - began > INGEST_BUDGET_MS) {
        note = `stopped after ${INGEST_BUDGET_MS / 1000} s of ingest`;
        break;
      }
    }
  } catch (err) {
    note = `ingest failed at ${batchMs.length * BATCH} chunks: ${(err as Error).message.slice(0, 80)}`;
  }
  const ingested = batchMs.length * BATCH;
  // LanceDB trains its ANN index in the background after the write that crosses the threshold: the queries wait for it.
  const indexStart = performance.now();
  const indexed = db instanceof LanceVectorStore ? await db.indexed(tenant) : false;
  const indexWaitMs = performance.now() - indexStart;
  const tenth = Math.max(1, Math.floor(batchMs.length / 10));
  const rate = (ms: number[]) => (ms.length * BATCH) / (ms.reduce((a, b) => a + b, 0) / 1000);
  const time = async (filter: boolean): Promise<number[]> => {
    const ms: number[] = [];
    for (let q = 0; q < QUERIES; q++) {
      const t0 = performance.now();
      await db.search(tenant, { vector: vectorNear(q * 7), limit: 5, ...(filter ? { filter: { kind: 'knowledge', language: 'es' } } : {}) });
      ms.push(performance.now() - t0);
    }
    return ms.sort((a, b) => a - b);
  };
  let plain: number[] = [];
  let filtered: number[] = [];
  if (ingested > 0) {
    await time(false); // warm-up: the first queries open files and caches
    plain = await time(false);
    filtered = await time(true);
  }
  await db.close();
  await rm(dir, { recursive: true, force: true });
  return {
    store,
    size,
    ingested,
    ingestChunksPerSec: rate(batchMs),
    firstTenthPerSec: rate(batchMs.slice(0, tenth)),
    lastTenthPerSec: rate(batchMs.slice(-tenth)),
    p50: percentile(plain, 50),
    p99: percentile(plain, 99),
    p50Filtered: percentile(filtered, 50),
    p99Filtered: percentile(filtered, 99),
    rssMb: process.resourceUsage().maxRSS / 1024,
    indexed,
    indexWaitMs,
    note,
  };
}

if (flags.child) {
  const [store, size] = flags.child.split(':') as [string, string];
  process.stdout.write(`${JSON.stringify(await child(store, Number(size)))}\n`);
  process.exit(0);
}

const run = promisify(execFile);
const results: Result[] = [];
for (const size of flags.sizes.split(',').map(Number)) {
  for (const store of flags.stores.split(',')) {
    console.log(`[bench:retrieval] ${store} × ${size} …`);
    const { stdout } = await run(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--budget-s', flags['budget-s'], '--child', `${store}:${size}`], { cwd: root, maxBuffer: 1 << 20 });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as Result;
    console.log(result);
    results.push(result);
  }
}

function machineLine(): string {
  const m = machine();
  return `${m.nproc} cores (${m.cpu}), ${m.memGiB} GiB, Node ${m.node}, load ${JSON.stringify(m.load)}`;
}

const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const name = (s: string) => (s === 'json' ? 'old: JSON file per tenant' : 'new: LanceDB 0.31.0');
const lines = [
  '# bench:retrieval — embedded vector store, old vs new',
  '',
  `Run ${new Date().toISOString()} on ${machineLine()}, commit ${commitUnderTest()}. ${DIMENSIONS}-number synthetic vectors (200 clustered topics),`,
  `batches of ${BATCH} chunks into one tenant, ${QUERIES} queries of top 5 each (after ${QUERIES} warm-up queries), filter = kind and language`,
  '(1 in 8 chunks match). RSS is the peak of the child process that ran the store. Ingest first/last tenth: chunks/s over the first and',
  'the last 10 % of the batches (equal = flat cost per chunk). ANN: whether the queries ran on an IVF-PQ index, and how long after',
  'the last write its background build was still running (queries wait for it).',
  '',
  '| store | chunks | ingested | ingest chunks/s | first tenth | last tenth | p50 ms | p99 ms | p50 ms filtered | p99 ms filtered | peak RSS MB | ANN | index ready after, s | note |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|',
  ...results.map(
    (r) =>
      `| ${name(r.store)} | ${r.size} | ${r.ingested} | ${f(r.ingestChunksPerSec, 0)} | ${f(r.firstTenthPerSec, 0)} | ${f(r.lastTenthPerSec, 0)} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${f(r.p50Filtered, 2)} | ${f(r.p99Filtered, 2)} | ${f(r.rssMb, 0)} | ${r.indexed ? 'yes' : 'no'} | ${r.indexed ? f(r.indexWaitMs / 1000) : '–'} | ${r.note} |`,
  ),
  '',
];
await writeFile(FILE, lines.join('\n'));
console.log(`[bench:retrieval] wrote ${FILE}`);
