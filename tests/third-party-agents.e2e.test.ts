import { createDatabase, freePort, waitFor, type ServiceHandle } from '@spine/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, OrchestratorMesh, type OrchestratorProcess } from './support/orchestrators.js';
import { startProbingRegistry, startSdkAgent } from './support/third-party.js';

type Body = Record<string, unknown>;
type NodeRun = { nodeId: string; state: string; attempts: number; output: Body | null; error: Body | null };

const echoSchema = { type: 'object', properties: { echo: { type: 'string' } }, required: ['echo'] };
const nodeOf = (execution: Body, id: string) => (execution['nodes'] as NodeRun[]).find((n) => n.nodeId === id)!;

describe('third-party agents: HTTP and gRPC agents as their own processes, registered through the API, in flows', () => {
  let registry: { service: ServiceHandle; port: number };
  let orchestrators: OrchestratorMesh;
  let orch: OrchestratorProcess;
  let publisher: ReturnType<typeof api> & { put: (path: string, body: unknown) => Promise<{ status: number; body: Body }> };
  let admin: ReturnType<typeof api>;
  let httpAgent: ServiceHandle;
  let grpcAgent: ServiceHandle;
  let httpPort: number;
  let httpSecret: string;

  const run = async (flowId: string, input: Body = {}) => {
    const res = await admin.post(`/v1/flows/${flowId}/executions`, { input, wait: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const deploy = async (flow: Body) => {
    const res = await admin.post('/v1/flows', flow);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const stateOf = async (name: string) =>
    ((await admin.get('/v1/agents')).body['agents'] as { name: string; instances: { state: string }[] }[]).find((a) => a.name === name)?.instances[0]?.state;
  const waitState = (name: string, state: string) => waitFor(async () => (await stateOf(name)) === state, { intervalMs: 50, what: `${name} ${state}` });

  beforeAll(async () => {
    registry = await startProbingRegistry(inject('natsUrl'), inject('postgresAdminUrl'));
    orchestrators = new OrchestratorMesh(inject('natsUrl'), await createDatabase(inject('postgresAdminUrl'), 'orch'), {
      AGENT_ENDPOINT_ALLOW: '127.0.0.1',
      AGENT_ENDPOINT_DENY: `localhost:${registry.port}`,
      AGENT_SECRET_KEY: 'e2e-agent-secret-key-0123456789',
      RETRY_INITIAL_MS: '20',
      BREAKER_FAILURES: '50',
    });
    await orchestrators.migrate();
    await orchestrators.startTestAgent('t-builtin');
    orch = await orchestrators.startOrchestrator('orch-3p');
    const publisherKey = await orchestrators.createKey('acme', 'agent-publisher');
    publisher = Object.assign(api(orch.url, publisherKey), {
      put: async (path: string, body: unknown) => {
        const res = await fetch(`${orch.url}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${publisherKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as Body };
      },
    });
    admin = api(orch.url, await orchestrators.createKey('acme', 'admin'));

    // Register first (the agents are not up yet: unhealthy), then start each with what registration gave it.
    httpPort = await freePort();
    const grpcPort = await freePort();
    const http = await publisher.post('/v1/agents', {
      name: 'sdk-http', version: '1.0.0', transport: 'http', endpoint: `http://127.0.0.1:${httpPort}`, capabilities: ['text.echo'],
      inputSchema: { type: 'object' }, outputSchema: echoSchema, timeoutMs: 800, retry: { maxAttempts: 2 },
    });
    expect(http.status, JSON.stringify(http.body)).toBe(201);
    httpSecret = http.body['secret'] as string;
    const grpc = await publisher.post('/v1/agents', {
      name: 'sdk-grpc', version: '1.0.0', transport: 'grpc', endpoint: `127.0.0.1:${grpcPort}`, capabilities: ['text.echo'],
      // Far longer than any wait below, so only a cancel can end a slow call while a test watches.
      inputSchema: { type: 'object' }, outputSchema: echoSchema, timeoutMs: 240_000,
    });
    expect(grpc.status, JSON.stringify(grpc.body)).toBe(201);
    [httpAgent, grpcAgent] = await Promise.all([startSdkAgent('http', httpPort, httpSecret), startSdkAgent('grpc', grpcPort, grpc.body['secret'] as string)]);
    await Promise.all([waitState('sdk-http', 'healthy'), waitState('sdk-grpc', 'healthy')]);
    await waitState('t-builtin', 'healthy');
  });

  afterAll(async () => {
    await Promise.allSettled([httpAgent?.stop(3_000), grpcAgent?.stop(3_000)]);
    await orchestrators?.stop();
    await registry?.service.stop(3_000);
  });

  it('runs HTTP agent → built-in agent → gRPC agent, each output feeding the next node', async () => {
    await deploy({
      id: 'mixed',
      nodes: [
        { id: 'viahttp', agent: 'sdk-http', inputs: { text: '{{ trigger.content }}' }, config: { max_turns: 5 } },
        { id: 'builtin', agent: 't-builtin', dependsOn: ['viahttp'], inputs: { fromHttp: '{{ viahttp.echo }}' } },
        { id: 'viagrpc', agent: 'sdk-grpc', dependsOn: ['builtin'], inputs: { text: '{{ viahttp.echo }} via grpc' } },
      ],
    });
    const execution = await run('mixed', { content: 'hola' });
    expect(execution['state'], JSON.stringify(execution)).toBe('DONE');
    expect(nodeOf(execution, 'viahttp').output).toMatchObject({ echo: 'hola', transport: 'http', config: { max_turns: 5 } });
    expect(nodeOf(execution, 'builtin').output).toMatchObject({ agent: 't-builtin', input: { fromHttp: 'hola' } });
    expect(nodeOf(execution, 'viagrpc').output).toMatchObject({ echo: 'hola via grpc', transport: 'grpc' });
  });

  it('stopped agent: probed unhealthy, executions fail with AGENT_UNAVAILABLE without a call; restarted: healthy, flows run', async () => {
    await deploy({ id: 'http-only', nodes: [{ id: 'viahttp', agent: 'sdk-http', inputs: { text: '{{ trigger.content }}' } }] });
    await httpAgent.stop(3_000);
    await waitState('sdk-http', 'unhealthy');
    const failed = await run('http-only', { content: 'x' });
    expect(failed['state']).toBe('FAILED');
    // Refused at dispatch (the agent is unhealthy): no call timed out, and nothing was retried.
    expect(nodeOf(failed, 'viahttp').error).toMatchObject({ code: 'AGENT_UNAVAILABLE' });

    httpAgent = await startSdkAgent('http', httpPort, httpSecret);
    await waitState('sdk-http', 'healthy');
    const ok = await run('http-only', { content: 'back' });
    expect(ok['state']).toBe('DONE');
    expect(nodeOf(ok, 'viahttp').output).toMatchObject({ echo: 'back' });
  });

  it('a slow agent is a TIMEOUT at the card timeoutMs', async () => {
    await deploy({ id: 'slow', nodes: [{ id: 'viahttp', agent: 'sdk-http', retry: { maxAttempts: 1 }, inputs: { mode: 'slow', ms: 5_000 } }] });
    const execution = await run('slow');
    expect(execution['state']).toBe('FAILED');
    // The agent would answer after 5 s; TIMEOUT can only come from the card's 800 ms.
    expect(nodeOf(execution, 'viahttp').error).toMatchObject({ code: 'TIMEOUT' });
  });

  it('a cancel stops a third-party node in its agent: the gRPC call is cancelled', async () => {
    await deploy({ id: 'cancel-grpc', nodes: [{ id: 'viagrpc', agent: 'sdk-grpc', retry: { maxAttempts: 1 }, inputs: { mode: 'slow', ms: 20_000, text: 'cancel-grpc' } }] });
    const started = await admin.post('/v1/flows/cancel-grpc/executions', { input: {} });
    expect(started.status).toBe(202);
    const id = String(started.body['executionId']);
    await waitFor(async () => nodeOf((await admin.get(`/v1/executions/${id}`)).body, 'viagrpc')?.state === 'running', { intervalMs: 20, what: 'viagrpc running' });
    expect((await admin.post(`/v1/executions/${id}/cancel`)).status).toBe(202);
    // The card gives the call 240 s and the agent would sleep 20 s: within waitFor's bound only the cancel can abort it.
    await waitFor(() => grpcAgent.lines().some((l) => l.includes('ABORTED grpc cancel-grpc')), { intervalMs: 20, what: 'the gRPC agent to see its call cancelled' });
    expect((await admin.get(`/v1/executions/${id}`)).body['state']).toBe('CANCELLED');
  });

  it('output violating outputSchema is SCHEMA_VIOLATION, not retried (HTTP and gRPC)', async () => {
    for (const [agent, id] of [['sdk-http', 'bad-http'], ['sdk-grpc', 'bad-grpc']] as const) {
      await deploy({ id, nodes: [{ id: 'x', agent, retry: { maxAttempts: 3 }, inputs: { mode: 'bad-output' } }] });
      const execution = await run(id);
      expect(execution['state']).toBe('FAILED');
      expect(nodeOf(execution, 'x'), agent).toMatchObject({ attempts: 1, error: { code: 'SCHEMA_VIOLATION' } });
    }
  });

  it('a 500 is retried per policy: succeeds on the next attempt; capped by the card retry policy', async () => {
    const key = `k-${Date.now()}`;
    await deploy({ id: 'flaky', nodes: [{ id: 'viahttp', agent: 'sdk-http', retry: { maxAttempts: 3 }, inputs: { mode: 'flaky', key, failTimes: 1 } }] });
    const recovered = await run('flaky');
    expect(recovered['state']).toBe('DONE');
    expect(nodeOf(recovered, 'viahttp')).toMatchObject({ attempts: 2, output: { echo: 'ok after 1 failures' } });

    // The node allows 3 attempts, the card (retry.maxAttempts 2) allows 2: the third never happens.
    await deploy({ id: 'flaky-capped', nodes: [{ id: 'viahttp', agent: 'sdk-http', retry: { maxAttempts: 3 }, inputs: { mode: 'flaky', key: `${key}-capped`, failTimes: 5 } }] });
    const capped = await run('flaky-capped');
    expect(capped['state']).toBe('FAILED');
    expect(nodeOf(capped, 'viahttp')).toMatchObject({ attempts: 2, error: { code: 'INTERNAL' } });

    // The gRPC agent has no card cap: the node's 3 attempts apply.
    await deploy({ id: 'flaky-grpc', nodes: [{ id: 'viagrpc', agent: 'sdk-grpc', retry: { maxAttempts: 3 }, inputs: { mode: 'flaky', key: `${key}-grpc`, failTimes: 2 } }] });
    const grpcRecovered = await run('flaky-grpc');
    expect(grpcRecovered['state']).toBe('DONE');
    expect(nodeOf(grpcRecovered, 'viagrpc').attempts).toBe(3);
  });

  it("refuses the registry's own port on localhost; another tenant neither sees the agents nor deploys a flow naming them", async () => {
    const refused = await publisher.post('/v1/agents', { name: 'sneaky', version: '1.0.0', transport: 'http', endpoint: `http://localhost:${registry.port}`, inputSchema: {}, outputSchema: {}, timeoutMs: 1_000 });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'INVALID_ARGUMENT', details: { reason: 'cluster-service' } });
    const other = api(orch.url, await orchestrators.createKey('globex', 'admin'));
    const names = ((await other.get('/v1/agents')).body['agents'] as { name: string }[]).map((a) => a.name);
    expect(names).toContain('t-builtin');
    expect(names).not.toContain('sdk-http');
    const denied = await other.post('/v1/flows', { id: 'steal', nodes: [{ id: 'x', agent: 'sdk-http' }] });
    expect(denied.status).toBe(400);
    expect(JSON.stringify(denied.body)).toContain('UNKNOWN_AGENT');
  });
});
