// The mesh under the NATS users deploy/ generates for Kubernetes: a nats-server with the SPINE account of
// deploy/k8s/dependencies/nats-values.yaml (one user per service, with its subject permissions), the registry, two
// orchestrator replicas and agents logged in as `intake` and `router`. What a service needs and its user may not
// do fails here, not in a cluster.
import { connect } from '@nats-io/transport-node';
import { createDatabase, startNats, waitFor, type NatsServerHandle } from '@spine/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AssistantClient } from './support/assistant-client.js';
import { AssistantMesh } from './support/assistant.js';
import { counter, Mesh, repoRoot } from './support/mesh.js';
import { api, OrchestratorMesh, type OrchestratorProcess } from './support/orchestrators.js';

type Body = Record<string, unknown>;
interface NatsUser {
  user: string;
  permissions: Body;
}

/** The generated users, each with a password of our own in place of the chart's `<< $ENV >>` reference. */
function accountsConfig(): string {
  const values = parse(readFileSync(join(repoRoot, 'deploy/k8s/dependencies/nats-values.yaml'), 'utf8')) as { config: { merge: { accounts: { SPINE: { users: NatsUser[] } } } } };
  const users = values.config.merge.accounts.SPINE.users.map((u) => ({ user: u.user, password: passwordOf(u.user), permissions: u.permissions }));
  return `accounts { SPINE { jetstream: enabled, users: ${JSON.stringify(users)} } }`;
}

const passwordOf = (service: string) => `e2e-${service}-password`;
// The install `spine`: its users are `spine-<service>` (deploy/src/k8s/nats.ts).
const login = (service: string) => ({ NATS_USER: `spine-${service}`, NATS_PASSWORD: passwordOf(`spine-${service}`) });

describe('the mesh under the NATS permissions deploy/ generates', () => {
  let nats: NatsServerHandle;
  let mesh: Mesh;
  let orchestrators: OrchestratorMesh;
  let a: OrchestratorProcess;
  let b: OrchestratorProcess;
  let router: { httpUrl: string };
  let adminA: ReturnType<typeof api>;
  let adminB: ReturnType<typeof api>;

  beforeAll(async () => {
    nats = await startNats({ extraConfig: accountsConfig() });
    mesh = await Mesh.start(nats.url, inject('postgresAdminUrl'), login('registry'));
    orchestrators = new OrchestratorMesh(nats.url, await createDatabase(inject('postgresAdminUrl'), 'orch'), { ...login('orchestrator'), RATE_LIMIT_PER_SECOND: '0.2', RATE_LIMIT_BURST: '12' });
    await orchestrators.migrate();
    const agents = await Promise.all([orchestrators.startTestAgent('intake', { env: login('intake') }), orchestrators.startTestAgent('router', { env: login('router') })]);
    router = agents[1];
    [a, b] = await Promise.all([orchestrators.startOrchestrator('perm-a'), orchestrators.startOrchestrator('perm-b')]);
    const key = await orchestrators.createKey('acme', 'admin');
    [adminA, adminB] = [api(a.url, key), api(b.url, key)];
    await waitFor(async () => {
      const { agents: listed } = (await adminA.get('/v1/agents')).body as { agents: { name: string; healthy: number }[] };
      return ['intake', 'router'].every((name) => listed.some((x) => x.name === name && x.healthy > 0));
    }, { what: 'intake and router registered and healthy' });
  });

  afterAll(async () => {
    await orchestrators?.stop();
    await mesh?.stop();
    await nats?.stop();
  });

  it('a client without credentials is refused', async () => {
    await expect(connect({ servers: nats.url, reconnect: false })).rejects.toThrow(/authorization/i);
  });

  it('runs a flow: invoke, registry, events to JetStream, SSE on the other replica', async () => {
    expect((await adminA.post('/v1/flows', { id: 'perm-flow', nodes: [{ id: 'i', agent: 'intake' }, { id: 'r', agent: 'router', dependsOn: ['i'] }] })).status).toBe(201);
    const run = await adminA.post('/v1/flows/perm-flow/executions', { input: { content: 'hola' }, wait: true });
    expect(run.body['state'], JSON.stringify(run.body)).toBe('DONE');
    const id = String(run.body['id']);
    // Replica b reads the stream: the events that replica a published, through the orchestrator user's JetStream rights.
    const res = await fetch(`${b.url}/v1/executions/${id}/stream`, { headers: { authorization: `Bearer ${await orchestrators.createKey('acme', 'client')}`, accept: 'text/event-stream' } });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('event: node_completed');
    expect(text).toContain('event: end');
    // The published marks reach Postgres only once JetStream acknowledged every event.
    await waitFor(async () => {
      const [row] = await orchestrators.sql<{ published: string; last: string }>(`SELECT events_published::text AS published, last_seq::text AS last FROM orchestrator.executions WHERE id = $1`, [id]);
      return row !== undefined && row.published === row.last;
    }, { what: 'every event of the execution acknowledged by JetStream' });
  });

  it('a cancel reaches the agent running the node (spine.agent.<name>.cancel)', async () => {
    expect((await adminA.post('/v1/flows', { id: 'perm-slow', nodes: [{ id: 'slow', agent: 'router', inputs: { _delayMs: 20_000 } }] })).status).toBe(201);
    const aborted = await counter(router.httpUrl, 'spine_test_agent_aborted_total', { node: 'slow' });
    const started = await adminA.post('/v1/flows/perm-slow/executions', { input: {} });
    const id = String(started.body['executionId']);
    await waitFor(async () => ((await adminA.get(`/v1/executions/${id}`)).body['nodes'] as { nodeId: string; state: string }[] | undefined)?.some((n) => n.state === 'running') ?? false, { intervalMs: 20, what: 'slow running' });
    expect((await adminB.post(`/v1/executions/${id}/cancel`)).status).toBe(202);
    // Bounded below the 30 s node timeout, which would abort the node too: within this bound only the cancel can.
    await waitFor(async () => (await counter(router.httpUrl, 'spine_test_agent_aborted_total', { node: 'slow' })) === aborted + 1, { timeoutMs: 20_000, what: 'the router agent to stop the node' });
  });

  it("replicas share a tenant's rate (spine.orchestrator.rate_spent)", async () => {
    const client = api(a.url, await orchestrators.createKey('umbrella', 'client'));
    const onB = api(b.url, await orchestrators.createKey('umbrella', 'client'));
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await client.get('/v1/whoami')).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    // Still a sleep: seeing replica a's report on the wire (tried) does not tell when replica b has applied it, and
    // polling b would spend b's own bucket. An event for "b applied a report" (a metric, a log line) would replace it.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await onB.get('/v1/whoami')).status).toBe(429);
  });
});

describe('the ERP assistant under the same NATS users', () => {
  let nats: NatsServerHandle;
  let mesh: AssistantMesh;
  let admin: AssistantClient;

  beforeAll(async () => {
    nats = await startNats({ extraConfig: accountsConfig() });
    mesh = await AssistantMesh.start(nats.url, inject('postgresAdminUrl'), { serviceEnv: (app) => login(app) });
    admin = new AssistantClient(mesh.url, await mesh.createKey('admin'));
    // The router loads its embedding model in the background: the first message waits for it.
    await waitFor(async () => (await admin.say(await admin.conversation('u-perm'), 'hola')).state === 'DONE', { intervalMs: 500, what: 'a first reply' });
  });

  afterAll(async () => {
    await mesh?.stop();
    await nats?.stop();
  });

  it('every agent does its part: the tool runs, the reply streams, the event-logger audits and indexes the summary', async () => {
    const project = `Perm${Date.now().toString(36)}`;
    const turn = await admin.say(await admin.conversation('u-perm'), `crea el proyecto ${project}`);
    expect(turn.state, turn.reply).toBe('DONE');
    expect(turn.reply).toMatch(/Listo: creé el proyecto/);
    expect(turn.chunks.length).toBeGreaterThan(1);
    expect(await mesh.sql(`SELECT 1 FROM erp.projects WHERE tenant_id = 'default' AND name = $1`, [project])).toHaveLength(1);
    await waitFor(async () => (await mesh.sql(`SELECT 1 FROM event_logger.audit_events WHERE execution_id = $1`, [turn.executionId])).length > 0, { what: 'audit rows' });
    await waitFor(async () => (await mesh.sql(`SELECT 1 FROM event_logger.summaries WHERE execution_id = $1 AND indexed_at IS NOT NULL`, [turn.executionId])).length > 0, {
      intervalMs: 250,
      what: 'the summary indexed in Cerebro (event-logger → retrieval)',
    });
  });
});
