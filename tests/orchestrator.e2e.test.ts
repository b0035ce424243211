import { createDatabase, waitFor } from '@spine/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { counter, Mesh, repoRoot } from './support/mesh.js';
import { api, OrchestratorMesh, type OrchestratorProcess } from './support/orchestrators.js';

type Body = Record<string, unknown>;
type NodeRun = { nodeId: string; state: string; attempts: number; output: Body | null; error: Body | null; usage: Body | null };

const seedFlow = JSON.parse(readFileSync(join(repoRoot, 'libs/flow/src/fixtures/customer-support-flow.json'), 'utf8')) as Body;

/** A linear or branching flow on the test agent `t-alpha` (or `agent`). */
const flow = (id: string, nodes: Body[], scopes: Body = {}, agent = 't-alpha') => ({ id, nodes: nodes.map((n) => ({ agent, ...n })), scopes });
/** Test agents of their own for the tests that make an agent fail (see the breaker note in beforeAll). */
const FAULT_AGENTS = ['t-retry', 't-breaker', 't-backoff'] as const;
const nodesOf = (execution: Body) => execution['nodes'] as NodeRun[];
const node = (execution: Body, id: string) => nodesOf(execution).find((n) => n.nodeId === id)!;

describe('orchestrator: flows on real agents, durable execution, failover', () => {
  let mesh: Mesh;
  let orchestrators: OrchestratorMesh;
  let a: OrchestratorProcess;
  let b: OrchestratorProcess;
  let alpha: { httpUrl: string };
  let faultAgents: Record<(typeof FAULT_AGENTS)[number], { httpUrl: string }>;
  let admin: ReturnType<typeof api>;
  let other: ReturnType<typeof api>;

  const run = async (flowId: string, input: Body = {}, client = admin) => {
    const res = await client.post(`/v1/flows/${flowId}/executions`, { input, wait: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    mesh = await Mesh.start(inject('natsUrl'), inject('postgresAdminUrl'));
    const databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'orch');
    orchestrators = new OrchestratorMesh(inject('natsUrl'), databaseUrl, {
      FLOW_MODELS: 'llama-3.1-8b-instant,gpt-4o-mini,local',
      LEASE_MS: '1500',
      CLAIM_INTERVAL_MS: '200',
      RETRY_INITIAL_MS: '20',
      BREAKER_FAILURES: '3',
      BREAKER_COOLDOWN_MS: '1000',
    });
    await orchestrators.migrate();
    const agents = await Promise.all([
      orchestrators.startTestAgent('t-alpha'),
      orchestrators.startTestAgent('llm', {
        rules: [
          { match: { 'context.config.systemPrompt': 'Clasifica', 'context.trigger.content': 'queja' }, output: { intent: 'queja', confidence: 0.9 } },
          { match: { 'context.config.systemPrompt': 'Clasifica' }, output: { intent: 'pregunta_producto', confidence: 0.8 } },
          { match: { 'context.config.systemPrompt': 'Genera' }, output: { response: { text: 'Gracias, ya lo revisamos', length: 24, contains_pii: false }, confidence: 0.9 } },
        ],
        schemas: { output: { type: 'object' } },
      }),
      orchestrators.startTestAgent('retrieval', { rules: [{ match: {}, output: { context: 'El plan Pro cuesta 20 €', citations: ['precios.md#1'], score: 0.9 } }] }),
      orchestrators.startTestAgent('tool-executor', { capabilities: ['tool.send_template'], rules: [{ match: {}, output: { sent: true } }] }),
      // The breaker counts consecutive agent faults per agent name: a test that injects faults gets an agent of its own,
      // so in any order no test opens (or pre-loads) another test's circuit.
      ...FAULT_AGENTS.map((name) => orchestrators.startTestAgent(name)),
    ]);
    alpha = agents[0]!;
    const [retry, breaker, backoff] = agents.slice(4);
    faultAgents = { 't-retry': retry!, 't-breaker': breaker!, 't-backoff': backoff! };
    [a, b] = await Promise.all([orchestrators.startOrchestrator('orch-a'), orchestrators.startOrchestrator('orch-b')]);
    admin = api(a.url, await orchestrators.createKey('acme', 'admin'));
    other = api(b.url, await orchestrators.createKey('globex', 'admin'));
    await waitFor(async () => {
      const res = await admin.get('/v1/agents');
      const healthy = (res.body['agents'] as { name: string; healthy: number }[]).filter((x) => x.healthy > 0).map((x) => x.name);
      return ['t-alpha', 'llm', 'retrieval', 'tool-executor', ...FAULT_AGENTS].every((n) => healthy.includes(n));
    }, { what: 'test agents healthy' });
  });

  afterAll(async () => {
    await orchestrators?.stop();
    await mesh?.stop();
  });

  it("deploys seed 000's customer-support flow as written and runs both sides of its conditions", async () => {
    const deployed = await admin.post('/v1/flows', seedFlow);
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    expect(deployed.body).toMatchObject({ id: 'customer-support-flow', version: 1, label: '1.0' });

    const complaint = await run('customer-support-flow', { content: 'Tengo una queja con mi pedido', context: { relationship: { contactName: 'Ana' } } });
    expect(complaint['state']).toBe('DONE');
    expect(node(complaint, 'knowledge-lookup').state).toBe('skipped');
    expect(node(complaint, 'quality-gate').output).toMatchObject({ action: 'pass' });
    expect(node(complaint, 'send-template')).toMatchObject({ state: 'succeeded', output: { sent: true, input: { templateId: 'complaint-acknowledgment', variables: { name: 'Ana' } } } });

    const question = await run('customer-support-flow', { content: '¿Cuánto cuesta el plan Pro?', context: { relationship: { contactName: 'Luis' } } });
    expect(question['state']).toBe('DONE');
    expect(node(question, 'knowledge-lookup').state).toBe('succeeded');
    expect(node(question, 'response-generator').output).toMatchObject({ input: { knowledge: 'El plan Pro cuesta 20 €', intent: 'pregunta_producto' } });
    expect(node(question, 'send-template').state).toBe('skipped');
  });

  it('runs the two middle nodes of a diamond at the same time, and the join after both', async () => {
    const diamond = flow('diamond', [
      { id: 'start' },
      { id: 'left', dependsOn: ['start'], inputs: { _delayMs: 400 } },
      { id: 'right', dependsOn: ['start'], inputs: { _delayMs: 400 } },
      { id: 'join', dependsOn: ['left', 'right'], inputs: { left: '{{ left.node }}', right: '{{ right.node }}' } },
    ]);
    expect((await admin.post('/v1/flows', diamond)).status).toBe(201);
    const done = await run('diamond');
    expect(done['state']).toBe('DONE');
    const [left, right, join] = ['left', 'right', 'join'].map((id) => node(done, id).output as { startedAt: number; finishedAt: number; input: Body });
    expect(left!.startedAt).toBeLessThan(right!.finishedAt);
    expect(right!.startedAt).toBeLessThan(left!.finishedAt);
    expect(join!.startedAt).toBeGreaterThanOrEqual(Math.max(left!.finishedAt, right!.finishedAt));
    expect(join!.input).toEqual({ left: 'left', right: 'right' });
  });

  it('rejects bad flows at deploy time, every problem with its path', async () => {
    const cases: [Body, RegExp, string][] = [
      [flow('cyclic', [{ id: 'x', dependsOn: ['y'] }, { id: 'y', dependsOn: ['x'] }]), /cycle/i, 'nodes'],
      [flow('ghost', [{ id: 'x', agent: 'no-such-agent' }]), /no-such-agent/, 'nodes[0].agent'],
      [flow('sideways', [{ id: 'x' }, { id: 'y', inputs: { v: '{{ x.node }}' }, dependsOn: [] }, { id: 'z', dependsOn: ['y'] }]), /upstream|depend/i, 'nodes[1].inputs.v'],
      [{ id: 'missing-field', nodes: [{ id: 'x', agent: 'llm', outputSchema: { type: 'object', properties: { intent: { type: 'string' } } } }, { id: 'y', agent: 't-alpha', dependsOn: ['x'], inputs: { v: '{{ x.mood }}' } }] }, /mood/, 'nodes[1].inputs.v'],
      [flow('bad-cel', [{ id: 'x', condition: '{{ trigger.a == }}' }]), /.+/, 'nodes[0].condition'],
      [{ id: 'tool-scope', nodes: [{ id: 'x', type: 'tool', tool: 'send_template', params: { templateId: 't' } }], scopes: { allowedTools: ['search_knowledge'] } }, /send_template/, 'nodes[0].tool'],
    ];
    for (const [doc, message, path] of cases) {
      const res = await admin.post('/v1/flows', doc);
      expect(res.status, `${String(doc['id'])}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body['code']).toBe('INVALID_ARGUMENT');
      expect(String(res.body['message']), JSON.stringify(res.body)).toMatch(message);
      expect(Object.keys(res.body['details'] as Body).some((k) => k.startsWith(path)), `${String(doc['id'])}: ${JSON.stringify(res.body['details'])}`).toBe(true);
      expect((await admin.get(`/v1/flows/${String(doc['id'])}`)).status).toBe(404);
    }
    const dryRun = await admin.post('/v1/flows/validate', flow('ghost', [{ id: 'x', agent: 'no-such-agent' }]));
    expect(dryRun).toMatchObject({ status: 200, body: { valid: false, issues: [{ code: 'UNKNOWN_AGENT', path: 'nodes[0].agent' }] } });
  });

  it('retries retryable failures with backoff, stops at once on a non-retryable one', async () => {
    await admin.post('/v1/flows', flow('flaky', [{ id: 'x', inputs: { _failTimes: 2, _failCode: 'AGENT_UNAVAILABLE' } }], {}, 't-retry'));
    const recovered = await run('flaky');
    expect(recovered['state'], JSON.stringify(recovered)).toBe('DONE');
    expect(node(recovered, 'x').attempts).toBe(3);

    await admin.post('/v1/flows', flow('refused', [{ id: 'x', inputs: { _failTimes: 5, _failCode: 'PERMISSION_DENIED' } }, { id: 'y', dependsOn: ['x'] }], {}, 't-retry'));
    const refused = await run('refused');
    expect(refused).toMatchObject({ state: 'FAILED', error: { code: 'PERMISSION_DENIED', nodeId: 'x' } });
    expect(node(refused, 'x').attempts).toBe(1);
    expect(nodesOf(refused).map((n) => n.nodeId)).not.toContain('y');
  });

  it('opens the circuit breaker after repeated agent failures and closes it after the cool-down', async () => {
    const breakerAgent = faultAgents['t-breaker'];
    await admin.post('/v1/flows', flow('breaker', [{ id: 'x', retry: { maxAttempts: 1 }, inputs: { _failTimes: 1, _failCode: 'INTERNAL' } }], {}, 't-breaker'));
    for (let i = 0; i < 3; i++) expect((await run('breaker'))['error']).toMatchObject({ code: 'INTERNAL' });
    const before = await counter(breakerAgent.httpUrl, 'spine_test_agent_runs_total', { node: 'x' });
    const blocked = await run('breaker');
    expect(blocked['error']).toMatchObject({ code: 'AGENT_UNAVAILABLE', details: { reason: 'circuit_open' } });
    expect(await counter(breakerAgent.httpUrl, 'spine_test_agent_runs_total', { node: 'x' })).toBe(before);
    // Past the 1 s cool-down the breaker lets one trial call through; until then each run is refused (circuit_open).
    await admin.post('/v1/flows', flow('breaker', [{ id: 'x', retry: { maxAttempts: 1 } }], {}, 't-breaker'));
    const closed = await waitFor(async () => {
      const e = await run('breaker');
      if (e['state'] === 'DONE') return e;
      expect(e['error'], JSON.stringify(e)).toMatchObject({ code: 'AGENT_UNAVAILABLE', details: { reason: 'circuit_open' } });
      return false;
    }, { intervalMs: 200, what: 'the breaker to close after its cool-down' });
    expect(node(closed, 'x').state).toBe('succeeded');
    expect(await counter(breakerAgent.httpUrl, 'spine_test_agent_runs_total', { node: 'x' })).toBe(before + 1);
  });

  it('fails with TIMEOUT near maxExecutionTimeMs, and with BUDGET_EXCEEDED over maxTotalTokens', async () => {
    await admin.post('/v1/flows', flow('slow', [{ id: 'x', inputs: { _delayMs: 5_000 } }], { maxExecutionTimeMs: 800 }));
    const started = Date.now();
    const slow = await run('slow');
    // The node would take 5 s: TIMEOUT with reason execution_budget comes from the 800 ms budget, not before it.
    expect(slow).toMatchObject({ state: 'FAILED', error: { code: 'TIMEOUT', details: { reason: 'execution_budget' } } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);

    await admin.post('/v1/flows', flow('greedy', [{ id: 'x', inputs: { _tokens: 600 } }, { id: 'y', dependsOn: ['x'], inputs: { _tokens: 600 } }, { id: 'z', dependsOn: ['y'] }], { maxTotalTokens: 1_000 }));
    const greedy = await run('greedy');
    expect(greedy).toMatchObject({ state: 'FAILED', error: { code: 'BUDGET_EXCEEDED', nodeId: 'y' } });
    expect(nodesOf(greedy).map((n) => n.nodeId)).not.toContain('z');
  });

  it("counts a failed attempt's tokens against maxTotalTokens: a final failure keeps its usage, a retry that goes over fails BUDGET_EXCEEDED", async () => {
    // An llm node that fails SCHEMA_VIOLATION after its repair call has spent tokens; the test agent reports them and fails so.
    await admin.post('/v1/flows', flow('spent-fail', [{ id: 'x', inputs: { _tokens: 300, _failTimes: 1, _failCode: 'SCHEMA_VIOLATION' } }], { maxTotalTokens: 1_000 }, 't-retry'));
    const failed = await run('spent-fail');
    expect(failed).toMatchObject({ state: 'FAILED', error: { code: 'SCHEMA_VIOLATION', nodeId: 'x' } });
    expect(node(failed, 'x')).toMatchObject({ state: 'failed', usage: { totalTokens: '300' } });

    // 600 spent by the failed attempt + 600 by the retry: over 1 000 only if the failed attempt counts.
    await admin.post('/v1/flows', flow('spent-retry', [{ id: 'x', inputs: { _tokens: 600, _failTimes: 1, _failCode: 'AGENT_UNAVAILABLE' } }, { id: 'y', dependsOn: ['x'] }], { maxTotalTokens: 1_000 }, 't-retry'));
    const over = await run('spent-retry');
    expect(over).toMatchObject({ state: 'FAILED', error: { code: 'BUDGET_EXCEEDED', nodeId: 'x' } });
    expect(node(over, 'x').attempts).toBe(2);
    expect(nodesOf(over).map((n) => n.nodeId)).not.toContain('y');
  });

  it('cancels mid-flow: CANCELLED, the running node is stopped in its agent, and nothing is dispatched after the cancel', async () => {
    await admin.post('/v1/flows', flow('long', [{ id: 'c1', inputs: { _delayMs: 20_000 } }, { id: 'c2', dependsOn: ['c1'] }, { id: 'c3', dependsOn: ['c2'] }]));
    const before = await counter(alpha.httpUrl, 'spine_test_agent_runs_total', { node: 'c2' });
    const abortedBefore = await counter(alpha.httpUrl, 'spine_test_agent_aborted_total', { node: 'c1' });
    const started = await admin.post('/v1/flows/long/executions', { input: {} });
    expect(started.status).toBe(202);
    const id = String(started.body['executionId']);
    await waitFor(async () => (await admin.get(`/v1/executions/${id}`)).body['nodes'] !== undefined && node((await admin.get(`/v1/executions/${id}`)).body, 'c1')?.state === 'running', { intervalMs: 20, what: 'c1 running' });
    const cancel = await api(b.url, '').post(`/v1/executions/${id}/cancel`);
    expect(cancel.status).toBe(401);
    expect((await admin.post(`/v1/executions/${id}/cancel`)).status).toBe(202);
    const final = await waitFor(async () => {
      const e = (await admin.get(`/v1/executions/${id}`)).body;
      return e['state'] === 'CANCELLED' && e;
    }, { what: 'CANCELLED' });
    // c1 would sleep 20 s; the cancel reaches the agent, whose handler stops (its signal aborts). Bounded below the
    // 30 s node timeout, which would abort it too: within this bound only the cancel can.
    await waitFor(async () => (await counter(alpha.httpUrl, 'spine_test_agent_aborted_total', { node: 'c1' })) === abortedBefore + 1, { timeoutMs: 20_000, what: 'c1 stopped in its agent' });
    expect(await counter(alpha.httpUrl, 'spine_test_agent_runs_total', { node: 'c2' })).toBe(before);
    expect(nodesOf(final).map((n) => n.nodeId)).toEqual(['c1']);
    // A dispatch is committed (a node_runs row) before it is sent: no row for c2 means none was or will be sent.
    const rows = await orchestrators.sql<{ node_id: string }>(`SELECT node_id FROM orchestrator.node_runs WHERE execution_id = $1`, [id]);
    expect(rows.map((r) => r.node_id)).toEqual(['c1']);
    expect(node(final, 'c1')).toMatchObject({ state: 'failed', error: { code: 'CANCELLED' } });
  });

  it('a cancel during a retry\'s backoff: the retry is never sent', async () => {
    const retrying = { id: 'r1', inputs: { _failTimes: 1, _failCode: 'AGENT_UNAVAILABLE' }, retry: { maxAttempts: 3, initialBackoffMs: 3_000, maxBackoffMs: 3_000 } };
    const backoffAgent = faultAgents['t-backoff'];
    await admin.post('/v1/flows', flow('backoff', [retrying, { id: 'r2', dependsOn: ['r1'] }], {}, 't-backoff'));
    const started = await admin.post('/v1/flows/backoff/executions', { input: {} });
    const id = String(started.body['executionId']);
    // The retry's start (attempt 2) is committed before it waits 1.5–3 s for its backoff.
    await waitFor(async () => node((await admin.get(`/v1/executions/${id}`)).body, 'r1')?.attempts === 2, { intervalMs: 20, what: 'r1 waiting to retry' });
    const runsBefore = await counter(backoffAgent.httpUrl, 'spine_test_agent_runs_total', { node: 'r1' });
    expect((await admin.post(`/v1/executions/${id}/cancel`)).status).toBe(202);
    await waitFor(async () => (await admin.get(`/v1/executions/${id}`)).body['state'] === 'CANCELLED', { what: 'CANCELLED' });
    // Not a sleep for an event: the retry was due 3 s after attempt 1; this waits past that instant to see it not happen.
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    expect(await counter(backoffAgent.httpUrl, 'spine_test_agent_runs_total', { node: 'r1' })).toBe(runsBefore);
  });

  it("keeps tenants apart: another tenant's flows and executions answer 404; roles and keys are checked", async () => {
    // Its own flow: the test does not depend on what an earlier test deployed.
    expect((await admin.post('/v1/flows', flow('acme-only', [{ id: 'x' }, { id: 'y', dependsOn: ['x'] }]))).status).toBe(201);
    const mine = await run('acme-only');
    expect((await other.get(`/v1/executions/${String(mine['id'])}`)).status).toBe(404);
    expect((await other.post(`/v1/executions/${String(mine['id'])}/cancel`)).status).toBe(404);
    expect((await other.get('/v1/flows/acme-only')).status).toBe(404);
    expect((await other.post('/v1/flows/acme-only/executions', { input: {} })).status).toBe(404);
    expect((await other.get('/v1/flows')).body).toEqual({ flows: [] });
    expect((await api(a.url, 'spk_nope_nope').get('/v1/flows')).status).toBe(401);
    const client = api(a.url, await orchestrators.createKey('acme', 'client'));
    expect((await client.post('/v1/flows', flow('by-client', [{ id: 'x' }]))).status).toBe(403);
    expect((await client.get('/v1/flows/acme-only')).status).toBe(200);
    expect((await admin.get('/v1/executions/not-a-uuid')).status).toBe(404);
  });

  it('publishes its OpenAPI document with every public route, and interactive docs', async () => {
    const res = await fetch(`${a.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { securitySchemes: Body } };
    expect(doc.openapi).toMatch(/^3\./);
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    for (const route of [
      'POST /v1/flows', 'POST /v1/flows/validate', 'GET /v1/flows', 'GET /v1/flows/{id}', 'GET /v1/flows/{id}/versions/{version}',
      'POST /v1/flows/{id}/executions', 'GET /v1/executions/{id}', 'POST /v1/executions/{id}/cancel', 'GET /v1/executions/{id}/stream',
      'POST /v1/conversations', 'GET /v1/conversations/{id}', 'POST /v1/conversations/{id}/messages', 'GET /v1/conversations/{id}/events',
      'GET /v1/agents', 'POST /v1/admin/api-keys',
    ]) expect(routes).toContain(route);
    const start = doc.paths['/v1/flows/{id}/executions']!['post'] as { requestBody: { content: Record<string, { schema: { properties: Body } }> } };
    expect(Object.keys(start.requestBody.content['application/json']!.schema.properties)).toEqual(expect.arrayContaining(['input', 'version', 'wait']));
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
    const docs = await fetch(`${a.url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger-ui/i);
  });

  it('finishes a flow on the other replica when the one running it is killed -9 in its third node; every node runs once', async () => {
    const five = flow('five', [
      { id: 'n1' },
      { id: 'n2', dependsOn: ['n1'] },
      { id: 'n3', dependsOn: ['n2'], inputs: { _delayMs: 1_500 } },
      { id: 'n4', dependsOn: ['n3'] },
      { id: 'n5', dependsOn: ['n4'] },
    ]);
    const victim = await orchestrators.startOrchestrator('orch-victim');
    const onVictim = api(victim.url, await orchestrators.createKey('acme', 'admin'));
    expect((await onVictim.post('/v1/flows', five)).status).toBe(201);
    const runsBefore = await Promise.all(['n1', 'n2', 'n3', 'n4', 'n5'].map((n) => counter(alpha.httpUrl, 'spine_test_agent_runs_total', { node: n })));
    const started = await onVictim.post('/v1/flows/five/executions', { input: {} });
    const id = String(started.body['executionId']);
    await waitFor(async () => node((await admin.get(`/v1/executions/${id}`)).body, 'n3')?.state === 'running', { intervalMs: 20, what: 'n3 running' });
    victim.service.kill('SIGKILL');
    const done = await waitFor(async () => {
      const e = (await admin.get(`/v1/executions/${id}`)).body;
      return e['state'] === 'DONE' && e;
    }, { what: 'DONE on a surviving replica' });
    expect(nodesOf(done).map((n) => [n.nodeId, n.state])).toEqual([['n1', 'succeeded'], ['n2', 'succeeded'], ['n3', 'succeeded'], ['n4', 'succeeded'], ['n5', 'succeeded']]);
    const rows = await orchestrators.sql<{ node_id: string }>(`SELECT node_id FROM orchestrator.node_runs WHERE execution_id = $1`, [id]);
    expect(rows.map((r) => r.node_id).sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    const runsAfter = await Promise.all(['n1', 'n2', 'n3', 'n4', 'n5'].map((n) => counter(alpha.httpUrl, 'spine_test_agent_runs_total', { node: n })));
    expect(runsAfter.map((n, i) => n - runsBefore[i]!)).toEqual([1, 1, 1, 1, 1]);
    // n3 was sent again by the survivor (same attempt) and answered from the agent's replay cache.
    expect(node(done, 'n3').attempts).toBe(1);
    const states = (await admin.get(`/v1/executions/${id}/events`)).body['events'] as { seq: number; type: string }[];
    expect(states.map((e) => e.seq)).toEqual(states.map((_, i) => i + 1));
  });
});
