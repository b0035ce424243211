import { createDatabase, waitFor } from '@spine/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Mesh } from './support/mesh.js';
import { api, OrchestratorMesh, type OrchestratorProcess } from './support/orchestrators.js';
import { readSse, type SseEvent } from './support/sse.js';

type Body = Record<string, unknown>;

/** Items of one source (events or chunks) in the order received, by sequence. */
const seqs = (events: SseEvent[], chunk: boolean) => events.filter((e) => (e.event === 'chunk') === chunk && e.event !== 'end').map((e) => Number(e.data['seq']));
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('streaming: SSE with resume on any replica, conversations', () => {
  let mesh: Mesh;
  let orchestrators: OrchestratorMesh;
  let a: OrchestratorProcess;
  let b: OrchestratorProcess;
  let token: string;
  let admin: ReturnType<typeof api>;

  beforeAll(async () => {
    mesh = await Mesh.start(inject('natsUrl'), inject('postgresAdminUrl'));
    orchestrators = new OrchestratorMesh(inject('natsUrl'), await createDatabase(inject('postgresAdminUrl'), 'stream'));
    await orchestrators.migrate();
    await Promise.all([
      orchestrators.startTestAgent('t-alpha'),
      orchestrators.startTestAgent('streamer', { rules: [{ match: {}, output: { text: 'Hola, ¿en qué te ayudo?' } }] }),
    ]);
    [a, b] = await Promise.all([orchestrators.startOrchestrator('stream-a'), orchestrators.startOrchestrator('stream-b')]);
    token = await orchestrators.createKey('acme', 'admin');
    admin = api(a.url, token);
    await waitFor(async () => {
      const agents = (await admin.get('/v1/agents')).body['agents'] as { name: string; healthy: number }[];
      return ['t-alpha', 'streamer'].every((n) => agents.some((x) => x.name === n && x.healthy > 0));
    }, { what: 'test agents healthy' });
    const chatty = {
      id: 'chatty',
      nodes: [
        { id: 'n1', agent: 't-alpha' },
        { id: 'n2', agent: 't-alpha', dependsOn: ['n1'], inputs: { _chunks: 8, _chunkDelayMs: 60 } },
        { id: 'n3', agent: 't-alpha', dependsOn: ['n2'] },
      ],
    };
    const chat = {
      id: 'chat',
      trigger: { type: 'message_received' },
      nodes: [
        { id: 'understand', agent: 't-alpha', inputs: { text: '{{ trigger.content }}' } },
        { id: 'reply', agent: 'streamer', dependsOn: ['understand'], inputs: { heard: '{{ understand.input.text }}', _chunks: 3 } },
      ],
    };
    for (const flow of [chatty, chat]) expect((await admin.post('/v1/flows', flow)).status).toBe(201);
  });

  afterAll(async () => {
    await orchestrators?.stop();
    await mesh?.stop();
  });

  it('streams events and tokens in order; a reconnect with Last-Event-ID to the other replica resumes with no gap and no duplicate', async () => {
    const started = await admin.post('/v1/flows/chatty/executions', { input: {} });
    const id = String(started.body['executionId']);
    const headers = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    // Drop the connection in the middle of the token stream.
    const first = await readSse(`${a.url}/v1/executions/${id}/stream`, { headers }, (events) => seqs(events, true).length >= 3);
    expect(first.status).toBe(200);
    const last = first.events.at(-1)!.id!;
    const second = await readSse(`${b.url}/v1/executions/${id}/stream`, { headers: { ...headers, 'last-event-id': last } }, (events) => events.at(-1)?.event === 'end');
    const all = [...first.events, ...second.events];
    const eventSeqs = seqs(all, false);
    expect(eventSeqs).toEqual(range(eventSeqs.length));
    expect(seqs(all, true)).toEqual(range(8));
    expect(all.map((e) => e.data['text']).filter(Boolean).join('')).toBe('t1 t2 t3 t4 t5 t6 t7 t8 ');
    expect(all.filter((e) => e.event === 'state_changed').map((e) => (e.data['payload'] as Body)['current'])).toEqual(['RECEIVED', 'DONE']);
    expect(second.events.at(-1)?.event).toBe('end');
    // The ids only grow, per source, so a client may resume from any of them.
    const positions = all.filter((e) => e.id).map((e) => e.id!.split('.').map(Number));
    positions.slice(1).forEach((p, i) => expect(p[0]! >= positions[i]![0]! && p[1]! >= positions[i]![1]!).toBe(true));
  });

  it('streams a finished execution from the start, and refuses another tenant', async () => {
    const done = await admin.post('/v1/flows/chatty/executions', { input: {}, wait: true });
    const id = String(done.body['id']);
    const replay = await readSse(`${b.url}/v1/executions/${id}/stream`, { headers: { authorization: `Bearer ${token}` } }, (events) => events.at(-1)?.event === 'end');
    expect(seqs(replay.events, true)).toEqual(range(8));
    // A node's tokens come between its start and its completion, even though the two travel apart (JetStream chunks,
    // Postgres events) and a replay has every event at hand before the first chunk arrives.
    const at = (type: string, node: string) => replay.events.findIndex((e) => e.event === type && (e.data['payload'] as Body)['nodeId'] === node);
    const chunkAt = replay.events.map((e, i) => (e.event === 'chunk' ? i : -1)).filter((i) => i >= 0);
    expect(chunkAt[0]).toBeGreaterThan(at('node_started', 'n2'));
    expect(chunkAt.at(-1)).toBeLessThan(at('node_completed', 'n2'));
    const stranger = await orchestrators.createKey('globex', 'client');
    expect((await readSse(`${b.url}/v1/executions/${id}/stream`, { headers: { authorization: `Bearer ${stranger}` } })).status).toBe(404);
  });

  it('runs a conversation: the message starts an execution, the reply streams back and both turns are stored', async () => {
    const created = await admin.post('/v1/conversations', { flowId: 'chat', userId: 'u-ana' });
    expect(created.status).toBe(201);
    const id = String(created.body['id']);
    const sent = await readSse(`${a.url}/v1/conversations/${id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hola', locale: 'es' }),
    }, (events) => events.at(-1)?.event === 'end');
    expect(sent.status).toBe(200);
    expect(seqs(sent.events, true)).toEqual([1, 2, 3]);
    const conversation = await waitFor(async () => {
      const c = (await api(b.url, token).get(`/v1/conversations/${id}`)).body;
      return (c['messages'] as unknown[]).length === 2 && c;
    }, { what: 'both turns stored' });
    expect(conversation['messages']).toMatchObject([{ role: 'user', text: 'hola' }, { role: 'assistant', text: 'Hola, ¿en qué te ayudo?' }]);
    const timeline = (await admin.get(`/v1/conversations/${id}/events`)).body;
    const nodes = (timeline['events'] as { type: string; payload: Body }[]).filter((e) => e.type === 'node_completed');
    expect(nodes.map((e) => e.payload['nodeId'])).toEqual(['understand', 'reply']);
    expect(nodes[1]!.payload['output']).toMatchObject({ input: { heard: 'hola' } });

    const plain = await admin.post(`/v1/conversations/${id}/messages`, { text: 'otra vez' });
    expect(plain).toMatchObject({ status: 202, body: { conversationId: id } });
    expect(typeof plain.body['executionId']).toBe('string');
  });

  it('validates conversation input and keeps tenants apart', async () => {
    expect((await admin.post('/v1/conversations', { flowId: 'no-such-flow' })).status).toBe(404);
    const id = String((await admin.post('/v1/conversations', { flowId: 'chat' })).body['id']);
    expect((await admin.post(`/v1/conversations/${id}/messages`, { text: '   ' })).body).toMatchObject({ code: 'INVALID_ARGUMENT', details: { text: 'is empty' } });
    expect((await admin.post(`/v1/conversations/${id}/messages`, { text: 'hola', extra: 1 })).status).toBe(400);
    const other = api(a.url, await orchestrators.createKey('globex', 'admin'));
    expect((await other.get(`/v1/conversations/${id}`)).status).toBe(404);
    expect((await other.post(`/v1/conversations/${id}/messages`, { text: 'hola' })).status).toBe(404);
    expect((await admin.get(`/v1/conversations/${id}`)).body['messages']).toEqual([]);
  });
});
