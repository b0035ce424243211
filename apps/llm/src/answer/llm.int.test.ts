import { fromBinary, fromJson, toJson, type JsonObject } from '@bufbuild/protobuf';
import { StructSchema } from '@bufbuild/protobuf/wkt';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { bootstrapAgent, type RunningAgent } from '@spine/agent-kit';
import { ErrorCode, StreamChunkSchema, streams, subjects, type StreamChunk } from '@spine/contracts';
import { loadLlmConfig } from '@spine/llm';
import { completion, ScriptedOpenAiServer } from '@spine/llm/testing';
import { AgentClient, ProtoClient } from '@spine/messaging';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { llmAgent } from '../llm.agent.js';
import { LlmAgentModule } from '../llm-agent.module.js';
import { AnswerHandler } from './answer.handler.js';

const INTENT_SCHEMA = {
  type: 'object',
  properties: { intent: { enum: ['pregunta_producto', 'queja', 'saludo', 'otro'] }, confidence: { type: 'number' }, entities: { type: 'object' } },
  required: ['intent', 'confidence', 'entities'],
};

async function start(env: Record<string, string>): Promise<RunningAgent> {
  const all = { NATS_URL: inject('natsUrl'), HTTP_PORT: '0', LOG_LEVEL: 'error', REGISTRY_TIMEOUT_MS: '200', LOCAL_TIMEZONE: 'UTC', ...env };
  return bootstrapAgent({ agent: llmAgent, module: LlmAgentModule.with(loadLlmConfig(all)), handler: AnswerHandler, env: all, handleSignals: false });
}

describe('llm agent: one model call per node', () => {
  let nc: NatsConnection;
  let agents: AgentClient;

  beforeAll(async () => {
    nc = await connect({ servers: inject('natsUrl') });
    agents = new AgentClient(new ProtoClient(nc, 10_000));
  });

  afterAll(async () => {
    await nc?.close();
  });

  const invoke = async (input: JsonObject, context: JsonObject, model = '', executionId = randomUUID()) => {
    const res = await agents.invoke('llm', { input: StructSchema, output: StructSchema }, fromJson(StructSchema, input), { executionId, nodeId: 'n1', tenantId: 'acme', attempt: 1, context, model });
    return { ...res, output: res.output ? (toJson(StructSchema, res.output) as JsonObject) : undefined };
  };

  describe('offline (local provider)', () => {
    let agent: RunningAgent;
    beforeAll(async () => (agent = await start({})));
    afterAll(async () => agent?.shutdown());

    it('answers an outputSchema node with schema-valid JSON: the intent classified into its enum', async () => {
      const config = { systemPrompt: 'Clasifica la intención del usuario en: pregunta_producto, queja, saludo, otro', maxTokens: 100, temperature: 0.1 };
      const complaint = await invoke({}, { config, outputSchema: INTENT_SCHEMA, trigger: { content: 'Tengo una queja: mi pedido llegó roto y nadie me responde' } }, 'llama-3.1-8b-instant');
      expect(complaint.error).toBeUndefined();
      expect(complaint.output).toMatchObject({ intent: 'queja', entities: {} });
      expect(typeof complaint.output?.['confidence']).toBe('number');
      expect(Number(complaint.usage?.totalTokens)).toBeGreaterThan(0);
      const question = await invoke({}, { config, outputSchema: INTENT_SCHEMA, trigger: { content: '¿Cuánto cuesta el plan Pro?' } });
      expect(question.output).toMatchObject({ intent: 'pregunta_producto' });
    });

    it('streams a free-text answer to the execution stream and answers it with its length', async () => {
      const executionId = randomUUID();
      const res = await invoke({ user_message: 'hola, buenos días', intent: 'saludo' }, { config: { systemPrompt: 'Responde con amabilidad' } }, '', executionId);
      expect(res.error).toBeUndefined();
      const text = res.output?.['text'] as string;
      expect(text.length).toBeGreaterThan(0);
      expect(res.output).toMatchObject({ response: { text, length: text.length, contains_pii: false } });
      const chunks = await chunksOf(nc, executionId);
      expect(chunks.map((c) => c.text).join('')).toBe(text);
      expect(chunks.at(-1)).toMatchObject({ final: true });
    });
  });

  describe('against an OpenAI-compatible server', () => {
    let agent: RunningAgent;
    const server = new ScriptedOpenAiServer();
    beforeAll(async () => {
      await server.start();
      agent = await start({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseUrl, LLM_DEFAULT_MODEL: 'openai', LLM_RETRY_ATTEMPTS: '1' });
    });
    afterAll(async () => {
      await agent?.shutdown();
      await server.stop();
    });

    const context = { config: { systemPrompt: 'Clasifica' }, outputSchema: INTENT_SCHEMA, trigger: { content: 'hola' } };

    it('repairs an invalid answer once, showing the model what was wrong', async () => {
      const before = server.requests.length;
      server.reply('/v1/chat/completions', { status: 200, body: completion({ content: '{"intent":"enojo"}' }) }, { status: 200, body: completion({ content: '{"intent":"saludo","confidence":0.8,"entities":{}}' }) });
      const res = await invoke({}, context, 'gpt-4o-mini');
      expect(res.error).toBeUndefined();
      expect(res.output).toEqual({ intent: 'saludo', confidence: 0.8, entities: {} });
      const sent = server.requests.slice(before);
      expect(sent).toHaveLength(2);
      expect(JSON.stringify(sent[1]?.body['messages'])).toMatch(/does not match the JSON Schema/);
      expect(Number(res.usage?.totalTokens)).toBe(36); // both calls count against the flow's budget
    });

    it('fails SCHEMA_VIOLATION when the repaired answer is still invalid', async () => {
      const before = server.requests.length;
      server.reply('/v1/chat/completions', { status: 200, body: completion({ content: '{"intent":"enojo"}' }) }, { status: 200, body: completion({ content: 'no sé' }) });
      const res = await invoke({}, context, 'gpt-4o-mini');
      expect(res.error?.code).toBe(ErrorCode.SCHEMA_VIOLATION);
      expect(server.requests.length - before).toBe(2);
      expect(Number(res.usage?.totalTokens)).toBe(36); // the failed node's two calls still count against the flow's budget
    });
  });
});

async function chunksOf(nc: NatsConnection, executionId: string): Promise<StreamChunk[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.consumers.add(streams.executionStreams.name, { filter_subject: subjects.executionStream('acme', executionId), ack_policy: 'none' as never });
  const consumer = await jetstream(nc).consumers.get(streams.executionStreams.name, info.name);
  const out: StreamChunk[] = [];
  for (;;) {
    const msg = await consumer.next({ expires: 1_000 });
    if (!msg) return out;
    const chunk = fromBinary(StreamChunkSchema, msg.data);
    out.push(chunk);
    if (chunk.final) return out;
  }
}
