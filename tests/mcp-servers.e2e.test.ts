import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createDatabase, freePort, startService, waitFor, type ServiceHandle } from '@spine/testing';
import { createServer, type IncomingHttpHeaders, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { entry, FAST_HEALTH } from './support/mesh.js';
import { api, OrchestratorMesh, type OrchestratorProcess } from './support/orchestrators.js';
import { startProbingRegistry } from './support/third-party.js';

type Body = Record<string, unknown>;
type NodeRun = { nodeId: string; state: string; output: Body | null; error: Body | null };

const SECRET = 'calc-secret-0123';
const ADD_SCHEMA = { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false };

/**
 * A third party's MCP server, written with the SDK as its authors would: Streamable HTTP, stateless, a bearer secret.
 * It remembers the headers of every call so a test can see what Spine sent.
 */
async function startCalcServer(): Promise<{ url: string; calls: IncomingHttpHeaders[]; close: () => Promise<void> }> {
  const calls: IncomingHttpHeaders[] = [];
  const mcpServer = () => {
    const server = new Server({ name: 'calc', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: [
        { name: 'add', description: 'Adds two numbers', inputSchema: ADD_SCHEMA },
        { name: 'echo', description: 'Says it back', inputSchema: { type: 'object', properties: { text: { type: 'string' } } }, annotations: { readOnlyHint: true } },
      ],
    }));
    server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
      calls.push(extra.requestInfo?.headers ?? {});
      const args = request.params.arguments ?? {};
      if (request.params.name === 'add') {
        const sum = Number(args['a']) + Number(args['b']);
        return { content: [{ type: 'text', text: String(sum) }], structuredContent: { sum } };
      }
      return { content: [{ type: 'text', text: String(args['text'] ?? '') }] };
    });
    return server;
  };
  const http: HttpServer = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${SECRET}`) {
      res.writeHead(401).end();
      return;
    }
    const server = mcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    void server.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

describe('MCP servers: a tenant registers one, its flows call its tools through the tool-executor; /mcp offers the ERP tools', () => {
  let registry: { service: ServiceHandle; port: number };
  let orchestrators: OrchestratorMesh;
  let orch: OrchestratorProcess;
  let toolExecutor: ServiceHandle;
  let calc: Awaited<ReturnType<typeof startCalcServer>>;
  let acmeKey: string;
  let acme: ReturnType<typeof api>;
  let globex: ReturnType<typeof api>;

  const del = (key: string, path: string) => fetch(`${orch.url}${path}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
  const run = async (flowId: string, input: Body = {}) => {
    const res = await acme.post(`/v1/flows/${flowId}/executions`, { input, wait: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const nodeOf = (execution: Body, id: string) => (execution['nodes'] as NodeRun[]).find((n) => n.nodeId === id)!;
  const register = async (client: ReturnType<typeof api>, name: string, url: string) => client.post('/v1/mcp-servers', { name, url, secret: SECRET });
  /** A flow whose tool-executor node calls `tool` with `args`, and a last node that keeps the first result. */
  const callingFlow = (id: string, tool: string, args: Body, allowedTools: string[] = [tool]) => ({
    id,
    trigger: { type: 'api' },
    nodes: [
      { id: 'call', agent: 'tool-executor', tools: [tool], inputs: { calls: [{ tool, arguments: args }], userId: 'u-1', roles: ['client'] } },
      { id: 'reply', type: 'transform', dependsOn: ['call'], inputs: { result: '{{ call.results[0].result }}', ok: '{{ call.results[0].ok }}' } },
    ],
    scopes: { allowedTools },
  });

  beforeAll(async () => {
    calc = await startCalcServer();
    registry = await startProbingRegistry(inject('natsUrl'), inject('postgresAdminUrl'));
    const databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'mcp');
    orchestrators = new OrchestratorMesh(inject('natsUrl'), databaseUrl, {
      AGENT_ENDPOINT_ALLOW: '127.0.0.1',
      AGENT_ENDPOINT_DENY: `localhost:${registry.port}`,
      AGENT_SECRET_KEY: 'e2e-agent-secret-key-0123456789',
      RETRY_INITIAL_MS: '20',
      NODE_MAX_ATTEMPTS: '2',
    });
    await orchestrators.migrate();
    const env = { NATS_URL: inject('natsUrl'), DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', SHUTDOWN_GRACE_MS: '1000', ...FAST_HEALTH };
    const migrate = await startService({ name: 'tool-executor-migrate', entry: entry('tool-executor', 'migrate.js'), env });
    expect(await migrate.exited, migrate.lines().join('\n')).toBe(0);
    const port = await freePort();
    toolExecutor = await startService({ name: 'tool-executor', entry: entry('tool-executor'), env: { ...env, HTTP_PORT: String(port) }, readyUrl: `http://127.0.0.1:${port}/health/ready` });
    orch = await orchestrators.startOrchestrator('orch-mcp');
    acmeKey = await orchestrators.createKey('acme', 'admin');
    acme = api(orch.url, acmeKey);
    globex = api(orch.url, await orchestrators.createKey('globex', 'admin'));
    await waitFor(async () => ((await acme.get('/v1/agents')).body['agents'] as { name: string; healthy: number }[]).some((a) => a.name === 'tool-executor' && a.healthy > 0), {
      what: 'tool-executor healthy',
    });
    const registered = await register(acme, 'calc', calc.url);
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  });

  afterAll(async () => {
    await orchestrators?.stop();
    await toolExecutor?.stop(3_000);
    await registry?.service.stop(3_000);
    await calc?.close();
  });

  it('lists the registered server with its tools namespaced, and never reads its secret back', async () => {
    const { status, body } = await acme.get('/v1/mcp-servers');
    expect(status).toBe(200);
    const [server] = body['servers'] as Body[];
    expect(server).toMatchObject({ name: 'calc', url: calc.url, headerNames: ['authorization'], status: 'healthy' });
    expect((server!['tools'] as Body[]).map((t) => t['name']).sort()).toEqual(['calc.add', 'calc.echo']);
    expect(JSON.stringify(body)).not.toContain(SECRET);
  });

  it('refuses wrong credentials, a server that cannot be reached, a duplicate name, a stdio command and a cluster address', async () => {
    expect(await acme.post('/v1/mcp-servers', { name: 'nokey', url: calc.url })).toMatchObject({ status: 400, body: { code: 'INVALID_ARGUMENT', details: { field: 'secret' } } });
    const nowhere = await acme.post('/v1/mcp-servers', { name: 'nowhere', url: `http://127.0.0.1:${await freePort()}/mcp` });
    expect(nowhere).toMatchObject({ status: 503, body: { code: 'AGENT_UNAVAILABLE' } });
    expect((await register(acme, 'calc', calc.url)).status).toBe(409);
    expect((await acme.post('/v1/mcp-servers', { name: 'shell', command: 'rm', url: calc.url })).status).toBe(400);
    const own = await register(acme, 'self', `http://localhost:${registry.port}/mcp`);
    expect(own.status, JSON.stringify(own.body)).toBe(400);
    expect(own.body['details']).toMatchObject({ field: 'url' });
  });

  it('runs a flow that calls the server\'s tool: the result reaches the last node, sent with the call\'s idempotency key', async () => {
    const deployed = await acme.post('/v1/flows', callingFlow('mcp-add', 'calc.add', { a: '{{ trigger.a }}', b: 2 }));
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    const done = await run('mcp-add', { a: 3 });
    expect(done['state'], JSON.stringify(done)).toBe('DONE');
    expect(nodeOf(done, 'reply').output).toEqual({ result: { sum: 5 }, ok: true });
    expect(calc.calls.map((h) => h['idempotency-key'])).toContain(`${String(done['id'])}:call:0`);
  });

  it('types the tool\'s arguments from its JSON Schema and refuses a tool outside allowedTools, at deploy, with code and path', async () => {
    const typed = await acme.post('/v1/flows/validate', { id: 'typed', nodes: [{ id: 'x', type: 'tool', tool: 'calc.add', params: { a: 'three', b: 2 } }], scopes: { allowedTools: ['calc.add'] } });
    expect(typed.body).toMatchObject({ valid: false, issues: [{ code: 'INPUT_TYPE', path: 'nodes[0].params.a' }] });
    const res = await acme.post('/v1/flows', callingFlow('mcp-outside', 'calc.add', { a: 1, b: 2 }, ['calc.echo']));
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(String(res.body['message'])).toMatch(/calc\.add/);
    expect(Object.keys(res.body['details'] as Body)).toContain('nodes[0].tools[0]');
    const dry = await acme.post('/v1/flows/validate', callingFlow('mcp-outside', 'calc.add', { a: 1, b: 2 }, ['calc.echo']));
    expect(dry.body).toMatchObject({ valid: false, issues: [{ code: 'TOOL_NOT_ALLOWED', path: 'nodes[0].tools[0]' }] });
  });

  it('fails the node with AGENT_UNAVAILABLE when the server is down, and the probe says so', async () => {
    const flaky = await startCalcServer();
    expect((await register(acme, 'flaky', flaky.url)).status).toBe(201);
    await expect(acme.post('/v1/flows', callingFlow('mcp-flaky', 'flaky.echo', { text: 'hi' }))).resolves.toMatchObject({ status: 201 });
    expect(nodeOf(await run('mcp-flaky'), 'reply').output).toEqual({ result: { text: 'hi' }, ok: true });
    await flaky.close();
    const failed = await run('mcp-flaky');
    expect(failed['state']).toBe('FAILED');
    expect(nodeOf(failed, 'call').error).toMatchObject({ code: 'AGENT_UNAVAILABLE' });
    expect((await acme.get('/v1/mcp-servers/flaky')).body).toMatchObject({ status: 'unreachable' });
  });

  it('keeps a tenant\'s server from every other tenant: not listed, not probed, not removable, not callable', async () => {
    expect((await globex.get('/v1/mcp-servers')).body).toEqual({ servers: [] });
    expect((await globex.get('/v1/mcp-servers/calc')).status).toBe(404);
    const foreignKey = await orchestrators.createKey('globex', 'admin');
    expect((await del(foreignKey, '/v1/mcp-servers/calc')).status).toBe(404);
    const deploy = await globex.post('/v1/flows', callingFlow('steal', 'calc.add', { a: 1, b: 2 }));
    expect(deploy.status).toBe(400);
    expect(deploy.body['message']).toMatch(/calc\.add.*not registered/);
    expect((await acme.get('/v1/mcp-servers/calc')).body).toMatchObject({ status: 'healthy' });
  });

  it('removes a server: its tools are gone from deploy-time checks', async () => {
    const other = await startCalcServer();
    try {
      expect((await register(acme, 'gone', other.url)).status).toBe(201);
      expect((await del(acmeKey, '/v1/mcp-servers/gone')).status).toBe(204);
      const res = await acme.post('/v1/flows/validate', callingFlow('after', 'gone.add', { a: 1, b: 2 }));
      expect(res.body).toMatchObject({ valid: false, issues: [{ code: 'UNKNOWN_TOOL' }] });
    } finally {
      await other.close();
    }
  });

  it('offers the ERP tools over /mcp to the roles that may call them, and runs one for an SDK client', async () => {
    const connect = async (key: string) => {
      const client = new Client({ name: 'e2e', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${orch.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
      return client;
    };
    const asClient = await connect(await orchestrators.createKey('acme', 'client'));
    const asAdmin = await connect(acmeKey);
    try {
      const clientTools = (await asClient.listTools()).tools.map((t) => t.name);
      expect(clientTools).toContain('erp_createProject');
      expect(clientTools).not.toContain('erp_createUser');
      expect((await asAdmin.listTools()).tools.map((t) => t.name)).toContain('erp_createUser');
      const created = await asClient.callTool({ name: 'erp_createProject', arguments: { name: 'Via MCP' } });
      expect(created.isError ?? false, JSON.stringify(created)).toBe(false);
      const rows = await orchestrators.sql<{ name: string }>(`SELECT name FROM erp.projects WHERE tenant_id = 'acme' AND name = 'Via MCP'`);
      expect(rows).toHaveLength(1);
      await expect(asClient.callTool({ name: 'erp_createUser', arguments: { name: 'X', email: 'x@example.com' } })).rejects.toThrow(/erp_createUser/);
    } finally {
      await Promise.allSettled([asClient.close(), asAdmin.close()]);
    }
  });
});
