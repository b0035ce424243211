import { createDatabase, freePort, SOURCE_NODE_ARGS, startService, waitFor, type ServiceHandle } from '@spine/testing';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { startOrchestrator, type RunningOrchestrator } from '../orchestrator.app.js';
import { loadConfig } from '../orchestrator.config.js';
import { orchestratorDataSource } from '../orchestrator.module.js';
import { runMigrations } from '@spine/persistence';

type Body = Record<string, unknown>;
const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const registrySource = (file: string) => fileURLToPath(new URL(`../../../registry/src/${file}`, import.meta.url));

/** A third-party HTTP agent in this process: checks the Spine signature with the secret it was given, echoes its input. */
class EchoAgent {
  secret = '';
  healthy = true;
  signatures: boolean[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      if (req.url === '/health') return void res.writeHead(this.healthy ? 200 : 503).end('{}');
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const [t, v1] = String(req.headers['x-spine-signature'] ?? '').split(',').map((p) => p.split('=')[1]);
        this.signatures.push(v1 === createHmac('sha256', this.secret).update(`${t}.`).update(body).digest('hex'));
        const { input, config } = JSON.parse(body) as { input: { text?: string }; config: Body };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ output: { echo: input.text ?? '', config } }));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('POST/PUT/DELETE/GET /v1/agents: third-party agents', () => {
  let registry: ServiceHandle;
  let registryPort: number;
  let orchestrator: RunningOrchestrator;
  let orchestratorDb: string;
  let agent: EchoAgent;
  const keys: Record<string, string> = {};

  const call = async (key: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${orchestrator.httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${keys[key]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Body };
  };
  const card = (name: string, over: Body = {}): Body => ({
    name, version: '1.0.0', transport: 'http', endpoint: agent.url, capabilities: ['text.echo'],
    inputSchema: { type: 'object', properties: { text: { type: 'string' } } },
    outputSchema: { type: 'object', properties: { echo: { type: 'string' } }, required: ['echo'] },
    timeoutMs: 2_000, ...over,
  });
  const namesSeenBy = async (key: string) => ((await call(key, 'GET', '/v1/agents')).body['agents'] as { name: string }[]).map((a) => a.name);
  const secretRows = async () => {
    const db = new pg.Client({ connectionString: orchestratorDb });
    await db.connect();
    try {
      return (await db.query<{ name: string; tenant_id: string; sealed: Buffer }>('SELECT name, tenant_id, sealed FROM orchestrator.agent_secrets ORDER BY name')).rows;
    } finally {
      await db.end();
    }
  };
  const stateOf = async (key: string, name: string) =>
    ((await call(key, 'GET', '/v1/agents')).body['agents'] as { name: string; instances: { state: string }[] }[]).find((a) => a.name === name)?.instances[0]?.state;

  beforeAll(async () => {
    agent = await new EchoAgent().start();
    const registryDb = await createDatabase(inject('postgresAdminUrl'), 'registry');
    const registryEnv = {
      NATS_URL: inject('natsUrl'), DATABASE_URL: registryDb, LOG_LEVEL: 'warn', AGENT_ENDPOINT_ALLOW: '127.0.0.1',
      PROBE_INTERVAL_MS: '100', PROBE_TIMEOUT_MS: '80', PROBE_HEALTHY_THRESHOLD: '1', PROBE_UNHEALTHY_THRESHOLD: '2', PROBE_LEASE_MS: '1000',
    };
    const migrate = await startService({ name: 'registry-migrate', entry: registrySource('migrate.ts'), nodeArgs: [...SOURCE_NODE_ARGS], cwd: repoRoot, env: registryEnv });
    expect(await migrate.exited).toBe(0);
    registryPort = await freePort();
    registry = await startService({
      name: 'registry', entry: registrySource('main.ts'), nodeArgs: [...SOURCE_NODE_ARGS], cwd: repoRoot,
      env: { ...registryEnv, HTTP_PORT: String(registryPort) }, readyUrl: `http://127.0.0.1:${registryPort}/health/ready`,
    });
    orchestratorDb = await createDatabase(inject('postgresAdminUrl'), 'orch');
    await runMigrations(orchestratorDataSource(orchestratorDb));
    orchestrator = await startOrchestrator(loadConfig({
      NATS_URL: inject('natsUrl'), DATABASE_URL: orchestratorDb, HTTP_PORT: '0', LOG_LEVEL: 'error',
      AGENT_SECRET_KEY: 'int-test-agent-secret-key', AGENT_ENDPOINT_ALLOW: '127.0.0.1', AGENT_ENDPOINT_DENY: `localhost:${registryPort}`,
    }));
    const apiKeys = orchestrator.app.get(ApiKeysService);
    keys['acme'] = (await apiKeys.create('acme', 'agent-publisher', 'publisher')).token;
    keys['acme-client'] = (await apiKeys.create('acme', 'client', 'client')).token;
    keys['acme-admin'] = (await apiKeys.create('acme', 'admin', 'admin')).token;
    keys['globex'] = (await apiKeys.create('globex', 'admin', 'admin')).token;
  }, 60_000);

  afterAll(async () => {
    await orchestrator?.close();
    await registry?.stop(5_000);
    await agent?.close();
  });

  it('registers an agent: 201 with its secret once, stored sealed; GET shows it to its tenant only', async () => {
    const res = await call('acme', 'POST', '/v1/agents', card('echo-one', { retry: { maxAttempts: 2 } }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ agent: { name: 'echo-one', transport: 'http', endpoint: agent.url, timeoutMs: 2_000, retry: { maxAttempts: 2 } }, secret: expect.stringMatching(/^[\w-]{40,}$/) });
    const secret = res.body['secret'] as string;
    const row = (await secretRows()).find((r) => r.name === 'echo-one')!;
    expect(row.tenant_id).toBe('acme');
    expect(row.sealed.includes(Buffer.from(secret))).toBe(false);
    expect(await namesSeenBy('acme')).toContain('echo-one');
    expect(await namesSeenBy('globex')).not.toContain('echo-one');
    // A second agent, so a list that hid the secret of one agent only would show here.
    expect((await call('acme', 'POST', '/v1/agents', card('echo-one-more'))).status).toBe(201);
    const listed = (await call('acme', 'GET', '/v1/agents')).body['agents'] as Body[];
    expect(listed.map((a) => a['name'])).toEqual(expect.arrayContaining(['echo-one', 'echo-one-more']));
    for (const a of listed) expect(a, `GET /v1/agents shows the secret of ${String(a['name'])}`).not.toHaveProperty('secret');
  });

  it('needs agent-publisher or admin to register, replace or delete (403), and stores nothing', async () => {
    const before = await secretRows();
    expect((await call('acme-client', 'POST', '/v1/agents', card('echo-denied'))).status).toBe(403);
    expect((await call('acme-client', 'PUT', '/v1/agents/echo-one', card('echo-one'))).status).toBe(403);
    expect((await call('acme-client', 'DELETE', '/v1/agents/echo-one')).status).toBe(403);
    expect((await call('acme-client', 'POST', '/v1/agents', card('echo-denied'))).body).toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await secretRows()).toEqual(before);
    expect(await namesSeenBy('acme')).not.toContain('echo-denied');
  });

  describe('refuses unsafe or invalid cards with 400 INVALID_ARGUMENT and stores nothing', () => {
    const cases: [string, () => Body, string, string?][] = [
      ['cloud metadata 169.254.169.254', () => ({ endpoint: 'http://169.254.169.254/latest/meta-data' }), 'endpoint', 'link-local'],
      ["the registry's port on localhost", () => ({ endpoint: `http://localhost:${registryPort}` }), 'endpoint', 'cluster-service'],
      ["the orchestrator's own port", () => ({ endpoint: `http://127.0.0.1:${new URL(orchestrator.httpUrl).port}` }), 'endpoint', 'cluster-service'],
      ['file:///etc/passwd', () => ({ endpoint: 'file:///etc/passwd' }), 'endpoint', 'scheme'],
      ['a private address not on the allow-list', () => ({ endpoint: 'http://192.168.10.20:8080' }), 'endpoint', 'private'],
      ['a gRPC endpoint on loopback outside the allow-list', () => ({ transport: 'grpc', endpoint: '[::1]:50051' }), 'endpoint', 'loopback'],
      ['an output schema that does not compile', () => ({ outputSchema: { type: 'strng' } }), 'outputSchema'],
      ['a timeout out of bounds', () => ({ timeoutMs: 10 }), 'timeoutMs'],
      ['a bad name', () => ({ name: 'Echo Agent' }), 'name'],
      ['an unknown transport', () => ({ transport: 'smtp' }), 'transport'],
      ['a reserved built-in name (refused by the registry)', () => ({ name: 'planner' }), 'name'],
    ];
    it.each(cases)('%s', async (_label, over, field, reason) => {
      const before = await secretRows();
      const res = await call('acme', 'POST', '/v1/agents', card('echo-refused', over()));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body).toMatchObject({ code: 'INVALID_ARGUMENT', details: { [field]: expect.any(String) } });
      if (reason) expect((res.body['details'] as Body)['reason']).toBe(reason);
      expect(await secretRows()).toEqual(before);
      expect(await namesSeenBy('acme')).not.toContain((over()['name'] as string | undefined) ?? 'echo-refused');
    });
  });

  it("keeps a tenant's agent private: another tenant cannot take, replace, delete, see or deploy a flow with it", async () => {
    await call('acme', 'POST', '/v1/agents', card('echo-private'));
    expect((await call('globex', 'POST', '/v1/agents', card('echo-private'))).status).toBe(409);
    expect((await call('globex', 'PUT', '/v1/agents/echo-private', card('echo-private', { description: 'mine' }))).status).toBe(404);
    expect((await call('globex', 'DELETE', '/v1/agents/echo-private')).status).toBe(404);
    const flow = { id: 'uses-echo', nodes: [{ id: 'echo', agent: 'echo-private' }] };
    const denied = await call('globex', 'POST', '/v1/flows', flow);
    expect(denied.status).toBe(400);
    expect(denied.body).toMatchObject({ code: 'INVALID_ARGUMENT', details: { 'nodes[0].agent': expect.stringContaining('UNKNOWN_AGENT') } });
    expect((await call('acme-admin', 'POST', '/v1/flows', flow)).status).toBe(201);
  });

  it('probes the agent: healthy, unhealthy when /health fails, healthy again', async () => {
    await call('acme', 'POST', '/v1/agents', card('echo-probed'));
    await waitFor(async () => (await stateOf('acme', 'echo-probed')) === 'healthy', { timeoutMs: 5_000, intervalMs: 50, what: 'healthy' });
    agent.healthy = false;
    try {
      await waitFor(async () => (await stateOf('acme', 'echo-probed')) === 'unhealthy', { timeoutMs: 5_000, intervalMs: 50, what: 'unhealthy' });
    } finally {
      agent.healthy = true;
    }
    await waitFor(async () => (await stateOf('acme', 'echo-probed')) === 'healthy', { timeoutMs: 5_000, intervalMs: 50, what: 'healthy again' });
  });

  it('runs a flow on the agent with a body signed with the secret issued at registration', async () => {
    const res = await call('acme', 'POST', '/v1/agents', card('echo-run'));
    agent.secret = res.body['secret'] as string;
    await waitFor(async () => (await stateOf('acme', 'echo-run')) === 'healthy', { timeoutMs: 5_000, intervalMs: 50, what: 'healthy' });
    const deployed = await call('acme-admin', 'POST', '/v1/flows', { id: 'echo-flow', nodes: [{ id: 'echo', agent: 'echo-run', inputs: { text: '{{ trigger.content }}' } }] });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    const run = await call('acme-admin', 'POST', '/v1/flows/echo-flow/executions', { input: { content: 'hola' }, wait: true });
    expect(run.body, JSON.stringify(run.body)).toMatchObject({ state: 'DONE' });
    expect((run.body['nodes'] as Body[])[0]).toMatchObject({ output: { echo: 'hola' } });
    expect(agent.signatures.at(-1)).toBe(true);
  });

  it('replaces and deletes the tenant\'s own agent; the secret goes with it', async () => {
    await call('acme', 'POST', '/v1/agents', card('echo-gone'));
    const replaced = await call('acme', 'PUT', '/v1/agents/echo-gone', card('echo-gone', { version: '1.1.0', description: 'v1.1' }));
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ agent: { version: '1.1.0', description: 'v1.1' } });
    expect((await call('acme', 'PUT', '/v1/agents/echo-gone', card('echo-other'))).status).toBe(400);
    expect((await call('acme', 'DELETE', '/v1/agents/echo-gone')).status).toBe(204);
    expect(await namesSeenBy('acme')).not.toContain('echo-gone');
    expect((await secretRows()).map((r) => r.name)).not.toContain('echo-gone');
    expect((await call('acme', 'DELETE', '/v1/agents/echo-gone')).status).toBe(404);
  });
});
