// Benchmark: /health/live latency of one orchestrator while hostile flows are submitted (issue 13): a 20,000-node
// chain, a 10,000-wide fan-out, nested comprehensions and non-RE2 patterns to validate and deploy, a catastrophic
// (for a backtracking engine) pattern run on 10,000 characters, and the first execution of a flow at the size limits
// (500 in-process nodes, 100 deep). Probes run back to back; the row records their p50/p99/max.
// Run: node --conditions=@spine/source --import @swc-node/register/esm-register bench/hostile.bench.ts [--seconds N]   (appends a row to bench/results/hostile.md)
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FlowMesh } from './support/flow-mesh.js';
import { commitUnderTest, machine } from './support/flow-report.js';

const { values: flags } = parseArgs({ options: { seconds: { type: 'string', default: '20' } } });
const RESULTS = join(import.meta.dirname, 'results', 'hostile.md');
const HEADER = `# bench:hostile results

/health/live latency of one orchestrator (defaults, rate limit raised) while a client key submits hostile flows to
\`POST /v1/flows/validate\` and an admin key to \`POST /v1/flows\` back to back (20,000-node chain, 10,000-wide
fan-out, nested comprehensions, backreference and lookahead patterns), a catastrophic-for-backtracking pattern runs
on 10,000 characters, and a flow at the size limits (500 in-process nodes, 100 deep) runs its first execution.
Target (issue 13): every probe within 100 ms. The machine is shared: read each row with its load average.

| at | commit | load | seconds | hostile requests | non-400 answers | probes | p50 ms | p99 ms | max ms | at-limit first execution ms |
|---|---|---|---|---|---|---|---|---|---|---|
`;

type Body = Record<string, unknown>;

async function post(url: string, key: string, body: unknown): Promise<{ status: number; body: Body }> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Body };
}

const list = `[${Array.from({ length: 200 }, (_, i) => i).join(',')}]`;
const hostileFlows: Body[] = [
  { id: 'chain', nodes: Array.from({ length: 20_000 }, (_, i) => (i ? { id: `n${i}`, dependsOn: [`n${i - 1}`] } : { id: 'n0' })) },
  { id: 'wide', nodes: [{ id: 'root' }, ...Array.from({ length: 10_000 }, (_, i) => ({ id: `w${i}`, dependsOn: ['root'] }))] },
  { id: 'comprehension', nodes: [{ id: 'a', agent: 't-alpha', inputs: { text: `{{ string(${list}.map(x, ${list}.map(y, ${list}.map(z, x + y + z))).size()) }}` } }] },
  { id: 'backreference', nodes: [{ id: 'a', agent: 't-alpha', condition: "trigger.content.matches('^(a+)+\\\\1$')" }] },
  { id: 'lookahead', nodes: [{ id: 'a', agent: 't-alpha', condition: "trigger.content.matches('^(?=a)(a|a)*$')" }] },
];

/** 500 transform nodes: 100 layers of 5, each node reading one of the layer before. */
function atLimitFlow(): Body {
  const nodes: Body[] = [];
  for (let layer = 0; layer < 100; layer += 1) {
    for (let k = 0; k < 5; k += 1) {
      const id = `l${layer}_${k}`;
      const from = layer === 0 ? 'trigger.content' : `l${layer - 1}_${k}.v`;
      nodes.push({ id, kind: 'transform', inputs: { v: `{{ ${from} }}` }, ...(layer ? { dependsOn: [`l${layer - 1}_${k}`] } : {}) });
    }
  }
  return { id: 'at-limit', nodes };
}

async function main(): Promise<void> {
  const seconds = Number(flags.seconds);
  const mesh = await FlowMesh.start(['t-alpha'], { durable: false, orchestratorEnv: { MAX_BODY_BYTES: String(2 * 1024 * 1024), RATE_LIMIT_PER_SECOND: '10000', RATE_LIMIT_BURST: '10000' } });
  try {
    const base = mesh.orchestratorUrl;
    const admin = await mesh.createKey('bench', 'admin');
    const client = await mesh.createKey('bench', 'client');
    for (const flow of [atLimitFlow(), { id: 'regex', nodes: [{ id: 'a', agent: 't-alpha', condition: "trigger.content.matches('^((a)+)+$')" }] }]) {
      const res = await post(`${base}/v1/flows`, admin, flow);
      if (res.status !== 201) throw new Error(`deploy ${String(flow['id'])}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const latencies: number[] = [];
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const started = performance.now();
        const res = await fetch(`${base}/health/live`);
        await res.arrayBuffer();
        latencies.push(performance.now() - started);
      }
    })();
    const started = performance.now();
    const first = await post(`${base}/v1/flows/at-limit/executions`, client, { input: { content: 'x' }, wait: true });
    const firstMs = performance.now() - started;
    if (first.body['state'] !== 'DONE') throw new Error(`at-limit execution: ${JSON.stringify(first.body).slice(0, 300)}`);
    await post(`${base}/v1/flows/regex/executions`, client, { input: { content: `${'a'.repeat(10_000)}!` }, wait: true });
    let requests = 0;
    let non400 = 0;
    const deadline = performance.now() + seconds * 1_000;
    while (performance.now() < deadline) {
      for (const flow of hostileFlows) {
        for (const [path, key] of [['/v1/flows/validate', client], ['/v1/flows', admin]] as const) {
          const res = await post(`${base}${path}`, key, flow);
          requests += 1;
          if (res.status !== 400) non400 += 1;
        }
      }
    }
    probing = false;
    await probe;
    const sorted = latencies.sort((a, b) => a - b);
    const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0).toFixed(1);
    const m = machine();
    const row = `| ${new Date().toISOString()} | ${commitUnderTest()} | ${m.load} | ${seconds} | ${requests} | ${non400} | ${sorted.length} | ${at(0.5)} | ${at(0.99)} | ${(sorted.at(-1) ?? 0).toFixed(1)} | ${firstMs.toFixed(0)} |\n`;
    const existing = await readFile(RESULTS, 'utf8').catch(() => '');
    if (existing) await appendFile(RESULTS, row);
    else await writeFile(RESULTS, HEADER + row);
    process.stdout.write(row);
  } finally {
    await mesh.stop();
  }
}

await main();
