import type { MessageInitShape } from '@bufbuild/protobuf';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { bootstrapAgent, type RunningAgent } from '@spine/agent-kit';
import { ContextPackSchema, ErrorCode, RetrievalInputSchema } from '@spine/contracts';
import { loadLlmConfig } from '@spine/llm';
import { AgentClient, ProtoClient } from '@spine/messaging';
import { loadVectorConfig } from '@spine/vector';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { retrievalAgent } from '../retrieval.agent.js';
import { RetrievalModule } from '../retrieval.module.js';
import { CerebroHandler } from './cerebro.handler.js';

type Input = Omit<MessageInitShape<typeof RetrievalInputSchema>, '$typeName'>;

describe('retrieval (Cerebro) over NATS', () => {
  let agent: RunningAgent;
  let nc: NatsConnection;
  let agents: AgentClient;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spine-cerebro-'));
    const env = { NATS_URL: inject('natsUrl'), HTTP_PORT: '0', LOG_LEVEL: 'error', REGISTRY_TIMEOUT_MS: '200', VECTOR_DIR: dir };
    const module = await RetrievalModule.with(loadLlmConfig(env), loadVectorConfig(env), '');
    agent = await bootstrapAgent({ agent: retrievalAgent, module, handler: CerebroHandler, env, handleSignals: false });
    nc = await connect({ servers: inject('natsUrl') });
    agents = new AgentClient(new ProtoClient(nc, 20_000));
  });

  afterAll(async () => {
    await nc?.close();
    await agent?.shutdown();
    await rm(dir, { recursive: true, force: true });
  });

  async function call(input: Input, tenantId = 'acme') {
    const { error, output } = await agents.invoke('retrieval', { input: RetrievalInputSchema, output: ContextPackSchema }, input as never, { executionId: randomUUID(), nodeId: 'retrieval', tenantId });
    return { error, pack: output };
  }

  it('ingests the starter pack and answers a Spanish question with cited snippets', async () => {
    const ingested = await call({ ingestPack: 'erp-starter' });
    expect(ingested.error).toBeUndefined();
    expect(ingested.pack!.upsertedChunks).toBeGreaterThan(8);
    const { pack } = await call({ query: '¿la fecha de vencimiento de una tarea puede estar en el pasado?', limit: 3, filter: { language: 'es' } });
    expect(pack!.snippets.length).toBeGreaterThan(0);
    expect(pack!.snippets[0]).toMatchObject({ documentId: 'knowledge-tareas', title: 'Cómo se gestionan las tareas', version: '1', kind: 'knowledge', language: 'es', metadata: { source: 'tareas.es.md' } });
    expect(pack!.snippets[0]!.text).toContain('pasado');
    expect(pack!.snippets.every((s) => s.language === 'es')).toBe(true);
  });

  it("serves a seed rag node: the trigger's content as the query, topK and minScore from its config, the texts as `context`", async () => {
    const tenantId = `rag-${randomUUID()}`;
    expect((await call({ ingestPack: 'erp-starter' }, tenantId)).error).toBeUndefined();
    const ask = (config: { topK: number; minScore: number }) =>
      agents.invoke('retrieval', { input: RetrievalInputSchema, output: ContextPackSchema }, {} as never, {
        executionId: randomUUID(), nodeId: 'knowledge-lookup', tenantId, context: { trigger: { content: '¿la fecha de vencimiento de una tarea puede estar en el pasado?' }, config },
      });
    const { error, output } = await ask({ topK: 2, minScore: 0 });
    expect(error).toBeUndefined();
    expect(output!.snippets).toHaveLength(2);
    expect(output!.context).toBe(output!.snippets.map((s) => s.text).join('\n\n'));
    expect((await ask({ topK: 2, minScore: 1.01 })).output).toMatchObject({ snippets: [], context: '' });
  });

  it('finds the API contract of a tool', async () => {
    await call({ ingestPack: 'erp-starter' }, 'contracts');
    const { pack } = await call({ query: 'createCalendarEvent overlapping slot tool arguments', filter: { kind: 'api-contract' } }, 'contracts');
    expect(pack!.snippets[0]).toMatchObject({ documentId: 'api-createCalendarEvent', kind: 'api-contract' });
  });

  it("never returns another tenant's documents", async () => {
    const canary = `canary-${randomUUID()}`;
    await call({ upsert: [{ id: canary, title: 'Secret plan', version: '1', kind: 'knowledge', language: 'en', text: `The launch code word of globex is ${canary}.` }] }, 'globex');
    const own = await call({ query: `launch code word ${canary}`, limit: 20 }, 'globex');
    expect(own.pack!.snippets.map((s) => s.documentId)).toContain(canary);
    const other = await call({ query: `launch code word ${canary}`, limit: 20 }, 'acme');
    expect(other.pack!.snippets.map((s) => s.documentId)).not.toContain(canary);
    expect(other.pack!.snippets.some((s) => s.text.includes(canary))).toBe(false);
  });

  it('replaces the chunks of a document upserted again with a new version', async () => {
    const id = `doc-${randomUUID().slice(0, 8)}`;
    const text = (v: string) => `${v} paragraph one about invoices.\n\n${'word '.repeat(150)}\n\n${v} paragraph three about invoices.`;
    expect((await call({ upsert: [{ id, title: 'Invoices', version: '1', kind: 'knowledge', language: 'en', text: text('first') }] }, 'versions')).pack!.upsertedChunks).toBe(3);
    await call({ upsert: [{ id, title: 'Invoices', version: '2', kind: 'knowledge', language: 'en', text: 'second and only paragraph about invoices.' }] }, 'versions');
    const { pack } = await call({ query: 'invoices paragraph', limit: 20 }, 'versions');
    expect(pack!.snippets.map((s) => `${s.version}#${s.chunk}`)).toEqual(['2#0']);
  });

  it('lists a document\'s chunks in order with their section and language, and deletes them', async () => {
    const id = `doc-${randomUUID().slice(0, 8)}`;
    const text = `# Vacaciones\n\nLas vacaciones se piden con quince días de antelación en el portal del empleado.\n\n# Expenses\n\nExpenses above one hundred euros need a receipt attached to the claim.`;
    await call({ upsert: [{ id, title: 'Políticas', version: '1', kind: 'knowledge', language: 'es', text }] }, 'listing');
    const { pack } = await call({ documentChunks: id }, 'listing');
    expect(pack!.snippets.map((s) => [s.chunk, s.language, s.metadata['section']])).toEqual([
      [0, 'es', 'Vacaciones'],
      [1, 'en', 'Expenses'],
    ]);
    expect((await call({ documentChunks: id }, 'other-tenant')).pack!.snippets).toEqual([]);
    await call({ deleteDocument: id }, 'listing');
    expect((await call({ documentChunks: id }, 'listing')).pack!.snippets).toEqual([]);
  });

  it.each([
    ['nothing to do', {}],
    ['two things at once', { query: 'x', ingestPack: 'erp-starter' }],
    ['an unknown kind', { upsert: [{ id: 'a', title: 't', version: '1', kind: 'gossip', language: 'en', text: 'x' }] }],
    ['a bad language', { upsert: [{ id: 'a', title: 't', version: '1', kind: 'knowledge', language: 'fr', text: 'x' }] }],
    ['a pack name with a path', { ingestPack: '../../etc' }],
  ])('refuses %s with a coded error', async (_label, input) => {
    expect((await call(input as Input)).error).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
  });

  it('answers an unknown pack with NOT_FOUND', async () => {
    expect((await call({ ingestPack: 'no-such-pack' })).error).toMatchObject({ code: ErrorCode.NOT_FOUND });
  });
});
