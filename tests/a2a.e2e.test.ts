import { AgentCard, TaskState, type Message, type StreamResponse, type Task } from '@a2a-js/sdk';
import { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';
import { createDatabase, freePort, SOURCE_NODE_ARGS, startService, waitFor, type ServiceHandle } from '@spine/testing';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot } from './support/mesh.js';
import { api, OrchestratorMesh, type OrchestratorProcess } from './support/orchestrators.js';
import { startProbingRegistry } from './support/third-party.js';

type Body = Record<string, unknown>;
type NodeRun = { nodeId: string; state: string; output: Body | null; error: Body | null };

/** An A2A client as a third party writes it with @a2a-js/sdk: the card resolved from the flow's URL, the key as a bearer token. */
function a2aClientFactory(key: string): ClientFactory {
  const fetchImpl: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${key}`);
    return fetch(input, { ...init, headers });
  };
  return new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl })], cardResolver: new DefaultAgentCardResolver({ fetchImpl }) });
}

const userMessage = (parts: Message['parts']): Message => ({ messageId: crypto.randomUUID(), contextId: '', taskId: '', role: 1, parts, metadata: undefined, extensions: [], referenceTaskIds: [] });
const text = (value: string): Message['parts'][number] => ({ content: { $case: 'text', value }, mediaType: 'text/plain', filename: '', metadata: undefined });
const data = (value: Body): Message['parts'][number] => ({ content: { $case: 'data', value }, mediaType: 'application/json', filename: '', metadata: undefined });
const send = (client: Client, message: Message) => client.sendMessage({ tenant: '', message, configuration: undefined, metadata: undefined });

async function startA2aAgent(port: number): Promise<ServiceHandle> {
  const service = await startService({
    name: 'a2a-agent', entry: join(repoRoot, 'tests/support/a2a-agent.ts'), nodeArgs: [...SOURCE_NODE_ARGS], cwd: repoRoot,
    env: { PORT: String(port) },
  });
  await service.line((line) => line.startsWith('READY'), 'READY');
  return service;
}

describe('A2A: Spine flows as A2A agents, and A2A agents imported into Spine, with @a2a-js/sdk on the other side', () => {
  let registry: { service: ServiceHandle; port: number };
  let orchestrators: OrchestratorMesh;
  let orch: OrchestratorProcess;
  let acmeKey: string;
  let globexKey: string;
  let admin: ReturnType<typeof api>;
  let publisher: ReturnType<typeof api>;
  let fx: Promise<{ agent: ServiceHandle; port: number; imported: { status: number; body: Body } }> | undefined;

  /** The fx-converter A2A agent, started and imported by whichever test needs it first (the tests run in any order). */
  const fxConverter = () =>
    (fx ??= (async () => {
      const port = await freePort();
      const agent = await startA2aAgent(port);
      // The card gives a call 4 minutes, longer than any wait here: only a cancel can end a slow task while a test watches.
      const imported = await publisher.post('/v1/agents/import-a2a', { url: `http://127.0.0.1:${port}`, timeoutMs: 240_000 });
      expect(imported.status, JSON.stringify(imported.body)).toBe(201);
      await waitFor(async () => ((await admin.get('/v1/agents')).body['agents'] as { name: string; healthy: number }[]).some((a) => a.name === 'fx-converter' && a.healthy > 0), { what: 'fx-converter healthy' });
      return { agent, port, imported };
    })());

  const deploy = async (flow: Body) => {
    const res = await admin.post('/v1/flows', flow);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };

  beforeAll(async () => {
    registry = await startProbingRegistry(inject('natsUrl'), inject('postgresAdminUrl'));
    orchestrators = new OrchestratorMesh(inject('natsUrl'), await createDatabase(inject('postgresAdminUrl'), 'orch'), {
      AGENT_ENDPOINT_ALLOW: '127.0.0.1',
      AGENT_ENDPOINT_DENY: `localhost:${registry.port}`,
      AGENT_SECRET_KEY: 'e2e-agent-secret-key-0123456789',
      RETRY_INITIAL_MS: '20',
    });
    await orchestrators.migrate();
    await orchestrators.startTestAgent('t-a2a');
    orch = await orchestrators.startOrchestrator('orch-a2a');
    acmeKey = await orchestrators.createKey('acme', 'client');
    globexKey = await orchestrators.createKey('globex', 'admin');
    admin = api(orch.url, await orchestrators.createKey('acme', 'admin'));
    publisher = api(orch.url, await orchestrators.createKey('acme', 'agent-publisher'));
    await waitFor(async () => ((await admin.get('/v1/agents')).body['agents'] as { name: string; healthy: number }[]).some((a) => a.name === 't-a2a' && a.healthy > 0), { what: 't-a2a healthy' });
    await deploy({
      id: 'quote', name: 'Quote desk', description: 'Prices an order', trigger: { type: 'a2a_message' },
      nodes: [
        { id: 'intake', agent: 't-a2a', inputs: { text: '{{ trigger.content }}', qty: '{{ trigger.qty }}' } },
        { id: 'price', agent: 't-a2a', dependsOn: ['intake'], inputs: { heard: '{{ intake.input.text }}' } },
      ],
    });
  });

  afterAll(async () => {
    await (await fx?.catch(() => undefined))?.agent.stop(3_000);
    await orchestrators?.stop();
    await registry?.service.stop(3_000);
  });

  it('an @a2a-js/sdk client resolves a flow\'s agent card and SendMessage returns the flow\'s result as a completed task', async () => {
    const client = await a2aClientFactory(acmeKey).createFromUrl(`${orch.url}/a2a/acme/quote/`);
    const card = await client.getAgentCard();
    expect(card).toMatchObject({ name: 'Quote desk', description: 'Prices an order', skills: [expect.objectContaining({ id: 'quote', name: 'Quote desk' })] });
    expect(card.supportedInterfaces[0]).toMatchObject({ url: `${orch.url}/a2a/acme/quote`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' });
    expect(card.securitySchemes['spineBearer']?.scheme).toMatchObject({ $case: 'httpAuthSecurityScheme', value: { scheme: 'Bearer' } });

    const reply = (await send(client, userMessage([text('two boxes'), data({ qty: 2 })]))) as Task;
    expect(reply.status?.state, JSON.stringify(reply.status)).toBe(TaskState.TASK_STATE_COMPLETED);
    const output = reply.artifacts[0]?.parts[0]?.content;
    expect(output?.$case).toBe('data');
    // The final node's output: the test agent echoes its input, which came from the first node's.
    expect(output?.value).toMatchObject({ agent: 't-a2a', node: 'price', input: { heard: 'two boxes' } });

    // The task is the execution: the same id on the REST API, and GetTask answers it.
    const execution = await admin.get(`/v1/executions/${reply.id}`);
    expect(execution.body['state']).toBe('DONE');
    expect((execution.body['input'] as Body)).toEqual({ content: 'two boxes', qty: 2 });
    expect(((execution.body['nodes'] as NodeRun[]).find((n) => n.nodeId === 'intake')?.output?.['input'] as Body)).toMatchObject({ text: 'two boxes', qty: 2 });
    const again = await client.getTask({ tenant: '', id: reply.id });
    expect(again.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    // An id no task has (a UUID or not) is the specification's TaskNotFoundError.
    for (const id of ['no-such-task', crypto.randomUUID()]) await expect(client.getTask({ tenant: '', id })).rejects.toThrow(/not found/i);
  });

  it('answers v0.3 JSON-RPC message/send too (no A2A-Version header); a flow that fails is a failed task with its coded error', async () => {
    type LegacyTask = { kind: string; id: string; status: { state: string; message?: { parts: { kind: string; text?: string }[] } }; artifacts?: { parts: { kind: string; data: Body }[] }[] };
    const legacySend = async (parts: Body[]) => {
      const res = await fetch(`${orch.url}/a2a/acme/quote`, {
        method: 'POST',
        headers: { authorization: `Bearer ${acmeKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'message/send', params: { message: { kind: 'message', messageId: crypto.randomUUID(), role: 'user', parts } } }),
      });
      const body = (await res.json()) as { result?: LegacyTask; error?: unknown };
      expect(res.status, JSON.stringify(body)).toBe(200);
      return body.result;
    };
    const done = await legacySend([{ kind: 'text', text: 'legacy' }, { kind: 'data', data: { qty: 1 } }]);
    expect(done, JSON.stringify(done)).toMatchObject({ kind: 'task', status: { state: 'completed' } });
    expect(done?.artifacts?.[0]?.parts[0]).toMatchObject({ kind: 'data', data: { node: 'price', input: { heard: 'legacy' } } });

    // No qty: the first node's template fails, the execution ends FAILED, the task says why.
    const failed = await legacySend([{ kind: 'text', text: 'no quantity' }]);
    expect(failed?.status.state).toBe('failed');
    expect(failed?.status.message?.parts[0]?.text).toMatch(/^INVALID_ARGUMENT: .*trigger\.qty/);
    expect((await admin.get(`/v1/executions/${failed?.id}`)).body['state']).toBe('FAILED');
  });

  it('ListTasks reads Postgres: filters by context and state, pages newest first with a token, refuses bad params with -32602', async () => {
    await deploy({ id: 'listed', trigger: { type: 'a2a_message' }, nodes: [{ id: 'echo', agent: 't-a2a', inputs: { text: '{{ trigger.content }}' } }] });
    const client = await a2aClientFactory(acmeKey).createFromUrl(`${orch.url}/a2a/acme/listed/`);
    const contextId = crypto.randomUUID();
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) sent.push(((await send(client, { ...userMessage([text(`n${i}`)]), contextId })) as Task).id);
    const other = (await send(client, userMessage([text('elsewhere')]))) as Task;

    const page1 = await client.listTasks({ tenant: '', contextId, status: TaskState.TASK_STATE_UNSPECIFIED, pageSize: 2, pageToken: '', historyLength: 0, statusTimestampAfter: undefined, includeArtifacts: false });
    expect(page1.totalSize).toBe(3);
    expect(page1.tasks.map((t) => t.id)).toEqual([sent[2], sent[1]]); // newest first
    expect(page1.tasks.every((t) => t.contextId === contextId && t.artifacts.length === 0 && t.history.length === 0)).toBe(true);
    expect(page1.nextPageToken).not.toBe('');
    const page2 = await client.listTasks({ tenant: '', contextId, status: TaskState.TASK_STATE_UNSPECIFIED, pageSize: 2, pageToken: page1.nextPageToken, historyLength: undefined, statusTimestampAfter: undefined, includeArtifacts: true });
    expect(page2.tasks.map((t) => t.id)).toEqual([sent[0]]);
    expect(page2.nextPageToken).toBe('');
    expect(page2.tasks[0]?.artifacts.length).toBe(1);

    const completed = await client.listTasks({ tenant: '', contextId: '', status: TaskState.TASK_STATE_COMPLETED, pageSize: 100, pageToken: '', historyLength: undefined, statusTimestampAfter: undefined, includeArtifacts: false });
    expect(completed.tasks.map((t) => t.id)).toEqual(expect.arrayContaining([...sent, other.id]));
    const failedOnly = await client.listTasks({ tenant: '', contextId: '', status: TaskState.TASK_STATE_FAILED, pageSize: 100, pageToken: '', historyLength: undefined, statusTimestampAfter: undefined, includeArtifacts: false });
    expect(failedOnly.tasks).toEqual([]);
    // GetTask answers the context the client sent, also after the replica forgets the task.
    expect((await client.getTask({ tenant: '', id: sent[0]!, historyLength: undefined })).contextId).toBe(contextId);

    const raw = async (params: Body) => {
      const res = await fetch(`${orch.url}/a2a/acme/listed`, { method: 'POST', headers: { authorization: `Bearer ${acmeKey}`, 'content-type': 'application/json', 'a2a-version': '1.0' }, body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'ListTasks', params }) });
      return (await res.json()) as { id: number; error?: { code: number; message: string } };
    };
    for (const params of [{ historyLength: -1 }, { statusTimestampAfter: '-1' }, { pageToken: 'invalid-token-xyz' }, { pageSize: 0 }, { pageSize: 101 }]) {
      expect(await raw(params), JSON.stringify(params)).toMatchObject({ id: 7, error: { code: -32602 } });
    }
  });

  it('CancelTask on a running flow cancels its execution', async () => {
    await deploy({ id: 'slow', trigger: { type: 'a2a_message' }, nodes: [{ id: 'wait', agent: 't-a2a', inputs: { _delayMs: 3_000 } }] });
    const client = await a2aClientFactory(acmeKey).createFromUrl(`${orch.url}/a2a/acme/slow/`);
    const started = (await client.sendMessage({ tenant: '', message: userMessage([text('go')]), configuration: { acceptedOutputModes: [], taskPushNotificationConfig: undefined, returnImmediately: true }, metadata: undefined })) as Task;
    expect(started.status?.state).toBe(TaskState.TASK_STATE_WORKING);
    const cancelled = await client.cancelTask({ tenant: '', id: started.id, metadata: undefined });
    expect(cancelled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    await waitFor(async () => (await admin.get(`/v1/executions/${started.id}`)).body['state'] === 'CANCELLED', { what: 'execution CANCELLED' });
  });

  it('a human node makes the task input-required while streaming; a follow-up message from a reviewer decides it and the task completes', async () => {
    await deploy({
      id: 'approval', trigger: { type: 'a2a_message' },
      nodes: [
        { id: 'intake', agent: 't-a2a', inputs: { text: '{{ trigger.content }}' } },
        { id: 'review', kind: 'human', dependsOn: ['intake'], inputs: { text: '{{ intake.input.text }}' }, prompt: 'Send this quote?', decisions: ['approve', 'reject'] },
        { id: 'send', agent: 't-a2a', dependsOn: ['review'], inputs: { decision: '{{ review.decision }}', comment: '{{ review.comment }}' } },
      ],
    });
    const asClient = await a2aClientFactory(acmeKey).createFromUrl(`${orch.url}/a2a/acme/approval/`);
    const asReviewer = await a2aClientFactory(await orchestrators.createKey('acme', 'reviewer')).createFromUrl(`${orch.url}/a2a/acme/approval/`);
    const events: StreamResponse[] = [];
    for await (const event of asClient.sendMessageStream({ tenant: '', message: userMessage([text('three crates')]), configuration: undefined, metadata: undefined })) events.push(event);
    const first = events[0]?.payload;
    const task = first?.$case === 'task' ? first.value : undefined;
    // The task opens working, unless the human node was already waiting by the time the stream's first event was read.
    expect([TaskState.TASK_STATE_WORKING, TaskState.TASK_STATE_INPUT_REQUIRED]).toContain(task?.status?.state);
    const last = events.at(-1)?.payload;
    const waiting = last?.$case === 'statusUpdate' ? last.value.status : undefined;
    expect(waiting?.state, JSON.stringify(waiting)).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(waiting?.message?.parts[0]?.content).toMatchObject({ $case: 'text', value: expect.stringMatching(/^Send this quote\?/) });
    expect(waiting?.message?.parts[1]?.content).toMatchObject({ $case: 'data', value: { decisions: ['approve', 'reject'], data: { text: 'three crates' }, inboxTaskId: expect.any(String) } });
    // The node ran before the person was asked: its start and end went out as working updates.
    expect(events.filter((e) => e.payload?.$case === 'statusUpdate' && e.payload.value.metadata?.['spine']?.nodeId === 'intake').length).toBeGreaterThan(0);
    expect((await asClient.getTask({ tenant: '', id: task!.id, historyLength: undefined })).status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);

    const followUp = (value: string, client: Client) => send(client, { ...userMessage([text(value)]), taskId: task!.id, contextId: task!.contextId }) as Promise<Task>;
    // A client key may not decide (as over the inbox API); an answer that is no decision is not taken either.
    const refused = await followUp('approve', asClient);
    expect(refused.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(refused.status?.message?.parts[0]?.content).toMatchObject({ $case: 'text', value: expect.stringMatching(/^Not taken: .*role reviewer/) });
    expect((await followUp('maybe', asReviewer)).status?.message?.parts[0]?.content).toMatchObject({ value: expect.stringMatching(/approve, reject or edit/) });

    const decided = await followUp('approve: ship it', asReviewer);
    expect(decided.id).toBe(task!.id);
    expect(decided.status?.state, JSON.stringify(decided.status)).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(decided.artifacts.find((a) => a.name === 'result')?.parts[0]?.content).toMatchObject({ $case: 'data', value: { node: 'send', input: { decision: 'approve', comment: 'ship it' } } });
    const inbox = (await admin.get(`/v1/inbox/${(waiting?.message?.parts[1]?.content?.value as Body)['inboxTaskId']}`)).body;
    expect(inbox).toMatchObject({ state: 'decided', decision: 'approve', executionId: task!.id });
    // A decided, completed task takes no more messages.
    await expect(followUp('reject', asReviewer)).rejects.toThrow(/terminal state/);
  });

  it('the extended card (behind the key) names the flow\'s version and agents; the public card does not', async () => {
    const publicCard = AgentCard.fromJSON(await (await fetch(`${orch.url}/a2a/acme/quote/.well-known/agent-card.json`, { headers: { 'a2a-version': '1.0' } })).json());
    expect(publicCard.capabilities).toMatchObject({ streaming: true, extendedAgentCard: true, pushNotifications: false });
    expect(publicCard.skills[0]?.tags).toEqual(['spine-flow']);
    // The SDK's client reads the extended card when the public one says there is one.
    const extended = await (await a2aClientFactory(acmeKey).createFromAgentCard(publicCard)).getAgentCard();
    expect(extended.skills[0]?.tags).toEqual(expect.arrayContaining(['flow:quote@1', 'agent:t-a2a']));
    expect(extended.skills[0]?.description).toMatch(/intake → price/);
    await expect((await a2aClientFactory('spk_not-a-key').createFromAgentCard(publicCard)).getAgentCard()).rejects.toThrow(/401/);
  });

  it('the card is public (no key), a call without a valid key is refused 401; another tenant\'s flow is not found', async () => {
    const anonymous = await fetch(`${orch.url}/a2a/acme/quote/.well-known/agent-card.json`, { headers: { 'a2a-version': '1.0' } });
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toMatchObject({ name: 'Quote desk', supportedInterfaces: expect.arrayContaining([expect.objectContaining({ url: `${orch.url}/a2a/acme/quote`, protocolVersion: '1.0' })]) });
    const badClient = await a2aClientFactory('spk_not-a-key').createFromUrl(`${orch.url}/a2a/acme/quote/`);
    await expect(send(badClient, userMessage([text('x')]))).rejects.toThrow(/401/);

    // No such flow in the tenant of the URL: no card.
    const missing = await fetch(`${orch.url}/a2a/globex/quote/.well-known/agent-card.json`, { headers: { 'a2a-version': '1.0' } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    // globex's key on acme's flow: the public card is readable, the call is not found.
    const card = AgentCard.fromJSON(await (await fetch(`${orch.url}/a2a/acme/quote/.well-known/agent-card.json`, { headers: { 'a2a-version': '1.0' } })).json());
    await expect(send(await a2aClientFactory(globexKey).createFromAgentCard(card), userMessage([text('x')]))).rejects.toThrow(/404|not found/i);
  });

  it('imports an A2A agent (its own process, @a2a-js/sdk server) by URL; its reply feeds the downstream node', async () => {
    const { port, imported } = await fxConverter();
    expect(imported.body['agent']).toMatchObject({ name: 'fx-converter', version: '1.2.0', transport: 'a2a', endpoint: `http://127.0.0.1:${port}/rpc`, capabilities: ['convert', 'rates-today'] });

    await deploy({
      id: 'fx-quote', trigger: { type: 'api_call' },
      nodes: [
        { id: 'fx', agent: 'fx-converter', inputs: { amount: '{{ trigger.amount }}', from: 'USD', to: 'MXN' } },
        { id: 'after', agent: 't-a2a', dependsOn: ['fx'], inputs: { total: '{{ fx.converted }}', currency: '{{ fx.currency }}' } },
      ],
    });
    const ok = await admin.post('/v1/flows/fx-quote/executions', { input: { amount: 10 }, wait: true });
    expect(ok.body['state'], JSON.stringify(ok.body)).toBe('DONE');
    const nodes = ok.body['nodes'] as NodeRun[];
    expect(nodes.find((n) => n.nodeId === 'fx')?.output).toEqual({ converted: 200, currency: 'MXN', rate: 20 });
    expect(nodes.find((n) => n.nodeId === 'after')?.output).toMatchObject({ input: { total: 200, currency: 'MXN' } });

    // The agent fails its task: the node fails with a coded error carrying the agent's reason.
    const failed = await admin.post('/v1/flows/fx-quote/executions', { input: { amount: -1 }, wait: true });
    expect(failed.body['state']).toBe('FAILED');
    expect((failed.body['nodes'] as NodeRun[]).find((n) => n.nodeId === 'fx')?.error).toMatchObject({ code: 'FAILED_PRECONDITION', message: expect.stringContaining('cannot convert -1') });
  });

  it('a cancel reaches an imported A2A agent: the task it was working on is cancelled (CancelTask)', async () => {
    const { agent } = await fxConverter();
    await deploy({ id: 'fx-slow', trigger: { type: 'api_call' }, nodes: [{ id: 'fx', agent: 'fx-converter', retry: { maxAttempts: 1 }, inputs: { amount: 1, waitMs: 20_000 } }] });
    const started = await admin.post('/v1/flows/fx-slow/executions', { input: {} });
    expect(started.status).toBe(202);
    const id = String(started.body['executionId']);
    // The agent prints WORKING once it holds the task: the cancel is sent after that, never before.
    const working = await agent.line((l) => l.startsWith('WORKING '), 'WORKING <task id>');
    const taskId = working.slice('WORKING '.length);
    expect((await admin.post(`/v1/executions/${id}/cancel`)).status).toBe(202);
    // The task would work 20 s, then complete; the card gives the call 240 s: only CancelTask prints CANCELLED.
    await agent.line((l) => l === `CANCELLED ${taskId}`, `CANCELLED ${taskId}`);
    expect((await admin.get(`/v1/executions/${id}`)).body['state']).toBe('CANCELLED');
  });

  it('import: the card URL passes the SSRF policy, and only agent publishers import', async () => {
    for (const url of ['http://169.254.169.254/latest', `http://localhost:${registry.port}`, 'file:///etc/passwd']) {
      const res = await publisher.post('/v1/agents/import-a2a', { url });
      expect(res.status, url).toBe(400);
      expect(res.body, url).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'url' } });
    }
    const client = await api(orch.url, acmeKey).post('/v1/agents/import-a2a', { url: 'http://127.0.0.1:1' });
    expect(client.status).toBe(403);
  });
});
