import { createDatabase, waitFor } from '@spine/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Mesh } from './support/mesh.js';
import { api, OrchestratorMesh, type OrchestratorProcess } from './support/orchestrators.js';

type Body = Record<string, unknown>;

/** A probe has this long to answer: generous, so a loaded machine does not fail it; the stalls it catches lasted seconds. */
const PROBE_TIMEOUT_MS = 2_000;

const chain = (n: number) => ({ id: 'hostile-chain', nodes: Array.from({ length: n }, (_, i) => (i ? { id: `n${i}`, dependsOn: [`n${i - 1}`] } : { id: 'n0' })) });
const wide = (n: number) => ({ id: 'hostile-wide', nodes: [{ id: 'root' }, ...Array.from({ length: n }, (_, i) => ({ id: `w${i}`, dependsOn: ['root'] }))] });
const list = `[${Array.from({ length: 200 }, (_, i) => i).join(',')}]`;
const comprehension = {
  id: 'hostile-comprehension',
  nodes: [{ id: 'a', agent: 't-alpha', inputs: { text: `{{ string(${list}.map(x, ${list}.map(y, ${list}.map(z, x + y + z))).size()) }}` } }],
};
const backreference = { id: 'hostile-regex', nodes: [{ id: 'a', agent: 't-alpha', condition: "trigger.content.matches('^(a+)+\\\\1$')" }] };
const lookahead = { id: 'hostile-regex', nodes: [{ id: 'a', agent: 't-alpha', condition: "trigger.content.matches('^(?=a)(a|a)*$')" }] };

/** Samples GET /health/live back to back until stopped: each probe's latency, or why it failed. */
class LivenessProbe {
  readonly latencies: number[] = [];
  readonly failures: string[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly url: string) {
    this.loop = this.sample();
  }

  private async sample(): Promise<void> {
    while (this.running) {
      const started = performance.now();
      try {
        const res = await fetch(`${this.url}/health/live`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
        await res.arrayBuffer();
        if (res.status !== 200) this.failures.push(`status ${res.status}`);
        else this.latencies.push(performance.now() - started);
      } catch (err) {
        this.failures.push(`${(err as Error).name} after ${Math.round(performance.now() - started)} ms`);
      }
    }
  }

  async stop(): Promise<{ probes: number; maxMs: number; p99Ms: number }> {
    this.running = false;
    await this.loop;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return { probes: sorted.length, maxMs: Math.round(sorted.at(-1) ?? 0), p99Ms: Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0) };
  }
}

describe('hostile flows cannot stall the orchestrator', () => {
  let mesh: Mesh;
  let orchestrators: OrchestratorMesh;
  let orchestrator: OrchestratorProcess;
  let client: ReturnType<typeof api>;
  let admin: ReturnType<typeof api>;

  beforeAll(async () => {
    mesh = await Mesh.start(inject('natsUrl'), inject('postgresAdminUrl'));
    const databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'hostile');
    orchestrators = new OrchestratorMesh(inject('natsUrl'), databaseUrl, { MAX_BODY_BYTES: String(2 * 1024 * 1024), RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '1000' });
    await orchestrators.migrate();
    await orchestrators.startTestAgent('t-alpha');
    orchestrator = await orchestrators.startOrchestrator('orch-hostile');
    client = api(orchestrator.url, await orchestrators.createKey('acme', 'client'));
    admin = api(orchestrator.url, await orchestrators.createKey('acme', 'admin'));
    await waitFor(async () => {
      const res = await admin.get('/v1/agents');
      return (res.body['agents'] as { name: string; healthy: number }[]).some((x) => x.name === 't-alpha' && x.healthy > 0);
    }, { timeoutMs: 10_000, what: 't-alpha healthy' });
    const deployed = await admin.post('/v1/flows', { id: 'normal', nodes: [{ id: 'a', agent: 't-alpha', inputs: { text: '{{ trigger.content }}' } }] });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    const regex = await admin.post('/v1/flows', { id: 'regex', nodes: [{ id: 'a', agent: 't-alpha', condition: "trigger.content.matches('^((a)+)+$') || trigger.content.matches('^(?:a|a)*$')" }] });
    expect(regex.status, JSON.stringify(regex.body)).toBe(201);
  });

  afterAll(async () => {
    await orchestrators?.stop();
    await mesh?.stop();
  });

  it('answers every hostile flow with a coded 400 while /health/live answers and normal executions complete', async () => {
    const probe = new LivenessProbe(orchestrator.url);
    let normalRuns = 0;
    let hostileDone = false;
    const normal = (async () => {
      do {
        const res = await client.post('/v1/flows/normal/executions', { input: { content: `hola ${normalRuns}` }, wait: true });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body['state']).toBe('DONE');
        normalRuns += 1;
      } while (!hostileDone);
    })();

    const hostile: [string, (body: Body) => Promise<{ status: number; body: Body }>, Body][] = [];
    for (const [name, doc] of Object.entries({ chain: chain(20_000), wide: wide(10_000), comprehension, backreference, lookahead })) {
      hostile.push([`validate ${name}`, (b) => client.post('/v1/flows/validate', b), doc]);
      hostile.push([`deploy ${name}`, (b) => admin.post('/v1/flows', b), doc]);
    }
    const answers: { name: string; status: number; code: unknown; details: unknown }[] = [];
    try {
      for (let round = 0; round < 3; round += 1) {
        for (const [name, send, doc] of hostile) {
          const res = await send(doc);
          answers.push({ name, status: res.status, code: res.body['code'], details: res.body['details'] });
        }
      }
    } finally {
      hostileDone = true;
    }
    // A catastrophic pattern RE2 accepts runs in linear time on the input that made a backtracking engine hang.
    const catastrophic = await client.post('/v1/flows/regex/executions', { input: { content: `${'a'.repeat(10_000)}!` }, wait: true });
    await normal;
    const liveness = await probe.stop();
    console.log(`hostile-flows: /health/live ${JSON.stringify(liveness)} over ${answers.length} hostile requests; ${normalRuns} normal executions`);

    expect(probe.failures).toEqual([]);
    expect(liveness.probes).toBeGreaterThan(0);
    expect(normalRuns).toBeGreaterThan(0);
    expect(catastrophic.status, JSON.stringify(catastrophic.body)).toBe(200);
    expect(catastrophic.body).toMatchObject({ state: 'DONE', nodes: [{ nodeId: 'a', state: 'skipped' }] });
    for (const answer of answers) expect(answer, answer.name).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
    const codeAt = (name: string) => JSON.stringify(answers.find((a) => a.name === name)?.details);
    expect(codeAt('validate chain')).toContain('FLOW_LIMIT');
    expect(codeAt('deploy wide')).toContain('FLOW_LIMIT');
    expect(codeAt('validate comprehension')).toMatch(/"nodes\[0\]\.inputs\.text":"CEL_LIMIT/);
    expect(codeAt('deploy backreference')).toMatch(/"nodes\[0\]\.condition":"CEL_REGEX/);
    expect(codeAt('validate lookahead')).toMatch(/"nodes\[0\]\.condition":"CEL_REGEX/);
  });
});
