import { TaskState, type Message, type StreamResponse, type Task } from '@a2a-js/sdk';
import { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory } from '@a2a-js/sdk/client';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import OpenAI, { AuthenticationError, BadRequestError } from 'openai';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AssistantSuite, projectName } from '../support/assistant-suite.js';

// The ERP assistant behind the doors other than the conversations API (issue 20): the official `openai` client on
// /v1/chat/completions and /v1/models, and an @a2a-js/sdk client on /a2a/default/erp-assistant. Every door enters
// through the same code that fills the conversation trigger, so the flow behaves as over REST (the rows prove it).

const suite = new AssistantSuite();
let openai: OpenAI;

beforeAll(async () => {
  await suite.start(inject('natsUrl'), inject('postgresAdminUrl'));
  openai = new OpenAI({ baseURL: `${suite.mesh.url}/v1`, apiKey: await suite.mesh.createKey('client'), maxRetries: 0 });
});

afterAll(() => suite.stop());

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('OpenAI-compatible endpoint, with the official openai client', () => {
  it('models.list() shows the tenant\'s conversation flows, and models.retrieve() one of them', async () => {
    const models = [];
    for await (const model of openai.models.list()) models.push(model);
    expect(models.map((m) => m.id)).toContain('erp-assistant');
    expect(await openai.models.retrieve('erp-assistant')).toMatchObject({ id: 'erp-assistant', object: 'model', owned_by: 'spine' });
  });

  it('a streaming chat creates the project and streams the reply token by token, then the usage', async () => {
    const name = projectName('Kepler');
    const { data: stream, response } = await openai.chat.completions
      .create({ model: 'erp-assistant', stream: true, stream_options: { include_usage: true }, user: `u-${name}`, messages: [{ role: 'user', content: `crea el proyecto ${name}` }] })
      .withResponse();
    const executionId = response.headers.get('x-spine-execution-id') ?? '';
    expect(executionId).toMatch(new RegExp(`^${UUID}$`));
    const deltas: string[] = [];
    let finish: string | null = null;
    let usage: unknown;
    for await (const chunk of stream) {
      expect(chunk.id).toBe(`chatcmpl-${executionId}`);
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      finish = choice?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(deltas.length).toBeGreaterThan(1); // streamed, not one block
    expect(deltas.join('')).toMatch(/Listo: creé el proyecto/);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ total_tokens: expect.any(Number) });
    expect(await suite.projectRow(name)).toBeDefined();
  });

  it('a non-streaming call answers one completion whose id is the execution\'s', async () => {
    const completion = await openai.chat.completions.create({ model: 'flow:erp-assistant', messages: [{ role: 'user', content: 'thanks a lot!' }] });
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toMatch(new RegExp(`^chatcmpl-${UUID}$`));
    expect(completion.choices[0]?.message.content).toMatch(/You're welcome/);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('the history in messages completes a request: the question asked before is answered by the last message', async () => {
    const name = projectName('Vesta');
    const completion = await openai.chat.completions.create({
      model: 'erp-assistant',
      messages: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: 'crea un proyecto' },
        { role: 'assistant', content: '¿Cómo se llama el proyecto?' },
        { role: 'user', content: name },
      ],
    });
    expect(completion.choices[0]?.message.content).toMatch(/creé el proyecto/);
    expect(await suite.projectRow(name)).toBeDefined();
  });

  it('a wrong key raises AuthenticationError; client-side tools and an unknown model raise BadRequestError / NotFound with OpenAI\'s error shape', async () => {
    const stranger = new OpenAI({ baseURL: `${suite.mesh.url}/v1`, apiKey: 'spk_not_a_key', maxRetries: 0 });
    await expect(stranger.chat.completions.create({ model: 'erp-assistant', messages: [{ role: 'user', content: 'hola' }] })).rejects.toBeInstanceOf(AuthenticationError);
    await expect(stranger.models.list()).rejects.toBeInstanceOf(AuthenticationError);

    const withTools = openai.chat.completions.create({
      model: 'erp-assistant',
      messages: [{ role: 'user', content: 'hola' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }],
    });
    await expect(withTools).rejects.toBeInstanceOf(BadRequestError);
    await expect(withTools).rejects.toMatchObject({ status: 400, code: 'INVALID_ARGUMENT', param: 'tools', type: 'invalid_request_error' });

    await expect(openai.chat.completions.create({ model: 'no-such-flow', messages: [{ role: 'user', content: 'hola' }] })).rejects.toMatchObject({ status: 404, type: 'not_found_error' });
    await expect(openai.chat.completions.create({ model: 'erp-assistant', messages: [{ role: 'assistant', content: 'hola' }] })).rejects.toMatchObject({ status: 400, param: 'messages' });
  });
});

describe('A2A', () => {
  it('the ERP assistant answers SendMessage from an @a2a-js/sdk client: the project is created, the task completes with the reply', async () => {
    const key = await suite.mesh.createKey('client');
    const fetchImpl: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${key}`);
      return fetch(input, { ...init, headers });
    };
    const factory = new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl })], cardResolver: new DefaultAgentCardResolver({ fetchImpl }) });
    const client = await factory.createFromUrl(`${suite.mesh.url}/a2a/default/erp-assistant/`);
    const name = projectName('Halley');
    const message: Message = {
      messageId: crypto.randomUUID(), contextId: '', taskId: '', role: 1, metadata: undefined, extensions: [], referenceTaskIds: [],
      parts: [{ content: { $case: 'text', value: `create a project called ${name}` }, mediaType: 'text/plain', filename: '', metadata: undefined }],
    };
    const task = (await client.sendMessage({ tenant: '', message, configuration: undefined, metadata: undefined })) as Task;
    expect(task.status?.state, JSON.stringify(task.status)).toBe(TaskState.TASK_STATE_COMPLETED);
    const reply = task.status?.message?.parts[0]?.content;
    expect(reply).toMatchObject({ $case: 'text', value: expect.stringMatching(/I created the project/) });
    expect(await suite.projectRow(name)).toBeDefined();
  });

  it('a streaming client watches the task work, answers its input-required question in a follow-up, and the same task completes', async () => {
    const key = await suite.mesh.createKey('client');
    const fetchImpl: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${key}`);
      return fetch(input, { ...init, headers });
    };
    const factory = new ClientFactory({ transports: [new JsonRpcTransportFactory({ fetchImpl })], cardResolver: new DefaultAgentCardResolver({ fetchImpl }) });
    const client = await factory.createFromUrl(`${suite.mesh.url}/a2a/default/erp-assistant/`);
    expect((await client.getAgentCard()).capabilities?.streaming).toBe(true);
    const say = (text: string, ids: { taskId: string; contextId: string }): Message => ({
      messageId: crypto.randomUUID(), ...ids, role: 1, metadata: undefined, extensions: [], referenceTaskIds: [],
      parts: [{ content: { $case: 'text', value: text }, mediaType: 'text/plain', filename: '', metadata: undefined }],
    });
    const stream = async (message: Message) => {
      const events: StreamResponse[] = [];
      for await (const event of client.sendMessageStream({ tenant: '', message, configuration: undefined, metadata: undefined })) events.push(event);
      return events;
    };
    const statesOf = (events: StreamResponse[]) => events.flatMap((e) => (e.payload?.$case === 'statusUpdate' ? [e.payload.value.status?.state] : e.payload?.$case === 'task' ? [e.payload.value.status?.state] : []));
    const replyOf = (events: StreamResponse[]) =>
      events.flatMap((e) => (e.payload?.$case === 'artifactUpdate' && e.payload.value.artifact?.name === 'reply' ? e.payload.value.artifact.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')) : []));
    const lastStatus = (events: StreamResponse[]) => {
      const last = events.at(-1)?.payload;
      return last?.$case === 'statusUpdate' ? last.value : undefined;
    };

    const asked = await stream(say('crea un proyecto', { taskId: '', contextId: '' }));
    const first = asked[0]?.payload;
    expect(first?.$case).toBe('task');
    const task = first?.$case === 'task' ? first.value : undefined;
    const states = statesOf(asked);
    expect(states[0]).toBe(TaskState.TASK_STATE_WORKING);
    expect(states.filter((s) => s === TaskState.TASK_STATE_WORKING).length).toBeGreaterThan(1); // progress while it runs
    const question = lastStatus(asked);
    expect(question?.status?.state, JSON.stringify(question?.status)).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(question?.status?.message?.parts[0]?.content).toMatchObject({ $case: 'text', value: '¿Cómo se llama el proyecto?' });

    const name = projectName('Tempel');
    const answered = await stream(say(name, { taskId: task!.id, contextId: task!.contextId }));
    const reply = replyOf(answered);
    expect(reply.length).toBeGreaterThan(1); // the reply streamed as artifact chunks
    expect(reply.join('')).toMatch(/creé el proyecto/);
    const done = lastStatus(answered);
    expect(done?.taskId).toBe(task!.id);
    expect(done?.status?.state, JSON.stringify(done?.status)).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(await suite.projectRow(name)).toBeDefined();

    const read = await client.getTask({ tenant: '', id: task!.id, historyLength: undefined });
    expect(read.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(read.contextId).toBe(task!.contextId);
    // A completed task takes no more messages: the SDK answers the specification's UnsupportedOperationError.
    await expect(stream(say('otra cosa', { taskId: task!.id, contextId: task!.contextId }))).rejects.toThrow(/terminal state/);
  });
});

describe('MCP server at /mcp', () => {
  const connect = async (key: string) => {
    const client = new McpClient({ name: 'spine-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${suite.mesh.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    return client;
  };

  it('an MCP client from the SDK lists the tenant\'s flows as tools and runs the ERP assistant through one', async () => {
    const client = await connect(await suite.mesh.createKey('client'));
    try {
      const { tools } = await client.listTools();
      const assistant = tools.find((t) => t.name === 'erp-assistant');
      expect(assistant?.inputSchema).toMatchObject({ type: 'object', required: ['message'] });
      const name = projectName('Encke');
      const result = await client.callTool({ name: 'erp-assistant', arguments: { message: `crea el proyecto ${name}`, conversationKey: `k-${name}` } });
      expect(result.isError ?? false).toBe(false);
      expect((result.content as { type: string; text: string }[])[0]?.text).toMatch(/creé el proyecto/);
      expect(result.structuredContent).toMatchObject({ state: 'DONE', executionId: expect.any(String) });
      expect(await suite.projectRow(name)).toBeDefined();

      await expect(client.callTool({ name: 'no-such-flow', arguments: {} })).rejects.toThrow(/no tool 'no-such-flow'/);
    } finally {
      await client.close();
    }
  });

  it('refuses a call without a valid key (401) and shows another tenant none of this tenant\'s flows', async () => {
    await expect(connect('spk_not_a_key')).rejects.toThrow(/401|Unauthorized|UNAUTHENTICATED/i);
    const other = await connect(await suite.mesh.createKey('admin', `t-${projectName('x').toLowerCase()}`));
    try {
      const { tools } = await other.listTools();
      expect(tools.map((t) => t.name)).not.toContain('erp-assistant');
    } finally {
      await other.close();
    }
  });
});
