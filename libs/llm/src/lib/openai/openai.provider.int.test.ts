import { ErrorCode } from '@spine/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamChunk } from '../llm.types.js';
import { HashedEmbedder } from '../local/hashed.embedder.js';
import { LocalProvider } from '../local/local.provider.js';
import { ModelRouter } from '../routing/model-router.js';
import { OpenAiProvider } from './openai.provider.js';
import { chunk, completion, ScriptedOpenAiServer } from './scripted-openai.server.js';

const user = (content: string) => ({ role: 'user' as const, content });
const createTask = { name: 'createTask', description: 'Creates a task', parameters: { type: 'object', properties: { title: { type: 'string' }, project: { type: 'string' } } } };

async function collect(stream: AsyncIterable<StreamChunk>): Promise<StreamChunk[]> {
  const out: StreamChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

describe('OpenAiProvider against a scripted OpenAI-compatible server', () => {
  let server: ScriptedOpenAiServer;
  let openai: OpenAiProvider;

  beforeEach(async () => {
    server = new ScriptedOpenAiServer();
    await server.start();
    openai = new OpenAiProvider({ baseUrl: server.baseUrl, apiKey: 'sk-test', model: 'gpt-test', embeddingModel: 'embed-test', timeoutMs: 5_000 });
  });

  afterEach(async () => {
    await server.stop();
  });

  it('completes with the configured model, key and the nowContext in the prompt, and reports usage', async () => {
    server.reply('/v1/chat/completions', { status: 200, body: completion({ content: 'Hola' }) });
    const c = await openai.complete({ messages: [user('hola')], now: { timezone: 'America/Mexico_City', now: new Date('2026-01-26T15:30:00Z') } });
    expect(c).toMatchObject({ text: 'Hola', finishReason: 'stop', usage: { promptTokens: 11, completionTokens: 7, totalTokens: 18, model: 'gpt-test', provider: 'openai' } });
    const sent = server.requests[0];
    expect(sent?.authorization).toBe('Bearer sk-test');
    expect(sent?.body['model']).toBe('gpt-test');
    expect(JSON.stringify(sent?.body['messages'])).toContain('2026-01-26T09:30:00-06:00');
  });

  it('streams text chunks and assembles streamed tool calls', async () => {
    server.reply('/v1/chat/completions', {
      sse: [
        chunk({ role: 'assistant', content: 'Creo ' }),
        chunk({ content: 'la tarea' }),
        chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'createTask', arguments: '{"title":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"revisar el contrato","project":"Website"}' } }] }),
        chunk({}, { finish: 'tool_calls' }),
        chunk({}, { usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 } }),
      ],
    });
    const chunks = await collect(openai.stream({ messages: [user('crea una tarea')], tools: [createTask] }));
    expect(chunks.filter((c) => c.type === 'text').map((c) => (c.type === 'text' ? c.delta : ''))).toEqual(['Creo ', 'la tarea']);
    expect(chunks.find((c) => c.type === 'tool_call')).toEqual({ type: 'tool_call', call: { id: 'call_1', name: 'createTask', arguments: { title: 'revisar el contrato', project: 'Website' }, rawArguments: '{"title":"revisar el contrato","project":"Website"}' } });
    expect(chunks.at(-1)).toEqual({ type: 'done', finishReason: 'tool_calls', usage: { promptTokens: 20, completionTokens: 9, totalTokens: 29, model: 'gpt-test', provider: 'openai' } });
    const body = server.requests[0]?.body;
    expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true }, tools: [{ type: 'function', function: { name: 'createTask' } }] });
  });

  it('returns tool calls and structured output from a plain completion', async () => {
    server.reply(
      '/v1/chat/completions',
      { status: 200, body: completion({ tool_calls: [{ id: 'c9', type: 'function', function: { name: 'createTask', arguments: '{"title":"x"}' } }] }, 'tool_calls') },
      { status: 200, body: completion({ content: '{"route":"SMALL_TALK"}' }) },
    );
    const tools = await openai.complete({ messages: [user('crea')], tools: [createTask], toolChoice: 'required' });
    expect(tools.toolCalls).toEqual([{ id: 'c9', name: 'createTask', arguments: { title: 'x' }, rawArguments: '{"title":"x"}' }]);
    expect(server.requests[0]?.body['tool_choice']).toBe('required');
    const structured = await openai.complete({ messages: [user('hola')], responseFormat: { type: 'json_schema', name: 'route', schema: { type: 'object' } } });
    expect(structured.output).toEqual({ route: 'SMALL_TALK' });
    expect(server.requests[1]?.body['response_format']).toMatchObject({ type: 'json_schema', json_schema: { name: 'route' } });
  });

  it('embeds texts as floats in input order', async () => {
    server.reply('/v1/embeddings', {
      status: 200,
      body: { object: 'list', model: 'embed-test', data: [{ object: 'embedding', index: 1, embedding: [0, 1] }, { object: 'embedding', index: 0, embedding: [1, 0] }], usage: { prompt_tokens: 4, total_tokens: 4 } },
    });
    const e = await openai.embed(['a', 'b']);
    expect(e).toEqual({ vectors: [[1, 0], [0, 1]], dimensions: 2, usage: { promptTokens: 4, completionTokens: 0, totalTokens: 4, model: 'embed-test', provider: 'openai' } });
    expect(server.requests[0]?.body).toMatchObject({ model: 'embed-test', input: ['a', 'b'], encoding_format: 'float' });
  });

  it('maps 429 to RATE_LIMITED, 500 to AGENT_UNAVAILABLE (both retryable) and 400 to INVALID_ARGUMENT', async () => {
    server.reply(
      '/v1/chat/completions',
      { status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after': '2' } },
      { status: 500, body: { error: { message: 'boom' } } },
      { status: 400, body: { error: { message: 'bad tools' } } },
    );
    await expect(openai.complete({ messages: [user('a')] })).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED, retryable: true, details: { retryAfterMs: '2000' } });
    await expect(openai.complete({ messages: [user('a')] })).rejects.toMatchObject({ code: ErrorCode.AGENT_UNAVAILABLE, retryable: true });
    await expect(openai.complete({ messages: [user('a')] })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, retryable: false });
    expect(server.requests).toHaveLength(3);
  });

  it('retries 429 and 500 through the router, then answers', async () => {
    server.reply('/v1/chat/completions', { status: 429, body: { error: { message: 'slow down' } } }, { status: 500, body: { error: { message: 'boom' } } }, { status: 200, body: completion({ content: 'por fin' }) });
    const router = new ModelRouter({ providers: [{ provider: openai, defaultModel: 'gpt-test', models: '*' }], defaultModel: 'openai', retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 10 } });
    const c = await router.forNode().complete({ messages: [user('hola')] });
    expect(c.text).toBe('por fin');
    expect(server.requests).toHaveLength(3);
  });

  it('falls back to the next provider when every retry fails, streaming included', async () => {
    const fail = { status: 503, body: { error: { message: 'unavailable' } } };
    server.reply('/v1/chat/completions', fail, fail, fail, fail, fail, fail);
    const local = new LocalProvider({ embedder: new HashedEmbedder() });
    const router = new ModelRouter({
      providers: [
        { provider: openai, defaultModel: 'gpt-test', models: '*' },
        { provider: local, defaultModel: 'local', models: ['local'] },
      ],
      defaultModel: 'openai',
      fallback: ['local'],
      retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 10 },
      breaker: { consecutiveFailures: 10 },
    });
    const c = await router.forNode().complete({ messages: [user('hola')] });
    expect(c.usage.provider).toBe('local');
    expect(c.text.length).toBeGreaterThan(0);
    const chunks = await collect(router.forNode().stream({ messages: [user('gracias')] }));
    expect(chunks.at(-1)).toMatchObject({ type: 'done', usage: { provider: 'local' } });
    expect(server.requests).toHaveLength(6);
  });

  it('gives up on a request that hangs past its deadline, and on one cancelled by the caller', async () => {
    server.reply('/v1/chat/completions', { hang: true }, { hang: true });
    // The server never answers: only the deadline, then the caller's abort, can end these calls.
    await expect(openai.complete({ messages: [user('a')], deadline: Date.now() + 150 })).rejects.toMatchObject({ code: ErrorCode.DEADLINE_EXCEEDED });
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    await expect(openai.complete({ messages: [user('a')], signal: ctrl.signal })).rejects.toMatchObject({ code: ErrorCode.CANCELLED });
  });
});
