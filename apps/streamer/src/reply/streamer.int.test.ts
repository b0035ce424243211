import { fromBinary } from '@bufbuild/protobuf';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { bootstrapAgent, type RunningAgent } from '@spine/agent-kit';
import {
  ChunkKind, StreamChunkSchema, StreamerInputSchema, StreamerOutputSchema, streams, subjects,
  type StreamChunk, type StreamerInput,
} from '@spine/contracts';
import { loadLlmConfig } from '@spine/llm';
import { AgentClient, ProtoClient } from '@spine/messaging';
import { randomUUID } from 'node:crypto';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { streamerAgent } from '../streamer.agent.js';
import { StreamerModule } from '../streamer.module.js';
import { ReplyHandler } from './reply.handler.js';

describe('streamer agent: reply chunks on JetStream', () => {
  let agent: RunningAgent;
  let nc: NatsConnection;
  let agents: AgentClient;

  beforeAll(async () => {
    const env = { NATS_URL: inject('natsUrl'), HTTP_PORT: '0', LOG_LEVEL: 'error', REGISTRY_TIMEOUT_MS: '200', LOCAL_TIMEZONE: 'UTC' };
    agent = await bootstrapAgent({ agent: streamerAgent, module: StreamerModule.with(loadLlmConfig(env)), handler: ReplyHandler, env, handleSignals: false });
    nc = await connect({ servers: inject('natsUrl') });
    agents = new AgentClient(new ProtoClient(nc, 10_000));
  });

  afterAll(async () => {
    await nc?.close();
    await agent?.shutdown();
  });

  async function reply(input: Omit<MessageInitShape<typeof StreamerInputSchema>, '$typeName'>, executionId = randomUUID(), attempt = 1) {
    const res = await agents.invoke('streamer', { input: StreamerInputSchema, output: StreamerOutputSchema }, input as StreamerInput, { executionId, nodeId: 'streamer', tenantId: 'acme', attempt });
    expect(res.error).toBeUndefined();
    return { executionId, output: res.output! };
  }

  async function chunksOf(executionId: string): Promise<StreamChunk[]> {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.consumers.add(streams.executionStreams.name, { filter_subject: subjects.executionStream('acme', executionId), ack_policy: 'none' as never });
    const consumer = await jetstream(nc).consumers.get(streams.executionStreams.name, info.name);
    const out: StreamChunk[] = [];
    for (;;) {
      const msg = await consumer.next({ expires: 1_000 });
      if (!msg) return out;
      out.push(fromBinary(StreamChunkSchema, msg.data));
    }
  }

  async function replaysCounted(): Promise<number> {
    const text = await fetch(`${agent.httpUrl}/metrics`).then((r) => r.text());
    const line = text.split('\n').find((l) => l.startsWith('spine_agent_replays_total{'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  it('streams a confirmation that quotes the ids and values the tool returned, numbered from 1, then a final chunk', async () => {
    const taskId = randomUUID();
    const { executionId, output } = await reply({
      userText: 'crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website',
      language: 'es',
      route: 'FLOW_EXECUTION',
      toolResults: [{ tool: 'createTask', callIndex: 0, ok: true, result: { taskId, title: 'Revisar el contrato', project: 'Website', dueAt: '2026-11-24T10:00:00.000Z' } }],
    });
    expect(output.text).toContain(taskId);
    expect(output.text).toContain('Website');
    const chunks = await chunksOf(executionId);
    expect(chunks.map((c) => Number(c.sequence))).toEqual(Array.from({ length: Number(output.chunks) }, (_, i) => i + 1));
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.map((c) => c.text).join('')).toBe(output.text);
    expect(chunks.at(-1)).toMatchObject({ final: true, text: '' });
    expect(chunks.slice(0, -1).every((c) => c.kind === ChunkKind.TOKEN && !c.final)).toBe(true);
  });

  it('passes a business-rule refusal on with its suggestion, and claims no task', async () => {
    const { output } = await reply({
      userText: 'create a task in Mobil App for tomorrow',
      language: 'en',
      toolResults: [{ tool: 'createTask', callIndex: 0, ok: false, error: { code: 'NOT_FOUND', message: 'no project "Mobil App"', suggestion: 'existing projects: Mobile App', field: 'project' } }],
    });
    expect(output.text).toContain('Mobile App');
    expect(output.text.toLowerCase()).not.toMatch(/i created/);
  });

  it('streams the planner question as it is', async () => {
    const question = '¿En qué proyecto creo la tarea?';
    const { executionId, output } = await reply({ userText: 'crea una tarea', language: 'es', question });
    expect(output.text).toBe(question);
    const chunks = await chunksOf(executionId);
    expect(chunks.every((c) => c.kind === ChunkKind.QUESTION)).toBe(true);
  });

  it('stores each chunk once when the node is retried', async () => {
    const input = { userText: 'hola', language: 'es', question: 'Hola, ¿en qué te ayudo?' };
    const first = await reply(input);
    const replaysBefore = await replaysCounted();
    // Attempt 2 is a new run (agent-kit replays only the same attempt): it publishes every chunk again, and only
    // JetStream's dedupe on the message id (execution:node:sequence) keeps one copy of each.
    const retry = await reply(input, first.executionId, 2);
    expect(retry.output.chunks).toBe(first.output.chunks);
    expect(await replaysCounted()).toBe(replaysBefore); // the handler ran again: no replay answered it
    const chunks = await chunksOf(first.executionId);
    expect(chunks.map((c) => Number(c.sequence))).toEqual(Array.from({ length: Number(first.output.chunks) }, (_, i) => i + 1));
  });
});
