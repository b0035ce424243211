import { ErrorCode, SpineError } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { llmErrors } from '../llm.errors.js';
import type { Completion, CompletionRequest, Embeddings, LlmProvider, StreamChunk } from '../llm.types.js';
import { usageOf } from '../usage.js';
import { ModelRouter } from './model-router.js';

type Step = 'ok' | SpineError;

/** A provider that answers from a script, one entry per call, and records what it was asked. */
class ScriptedProvider implements LlmProvider {
  readonly calls: string[] = [];
  constructor(
    readonly name: string,
    private readonly script: Step[],
  ) {}
  private next(model: string | undefined): void {
    this.calls.push(model ?? '');
    const step = this.script.shift() ?? 'ok';
    if (step !== 'ok') throw step;
  }
  complete(req: CompletionRequest): Promise<Completion> {
    this.next(req.model);
    return Promise.resolve({ text: `from ${this.name}`, toolCalls: [], finishReason: 'stop', usage: usageOf(this.name, req.model ?? '', 1, 1) });
  }
  async *stream(req: CompletionRequest): AsyncIterable<StreamChunk> {
    this.next(req.model);
    yield { type: 'text', delta: this.name };
    if (this.script[0] instanceof SpineError) throw this.script.shift();
    yield { type: 'done', finishReason: 'stop', usage: usageOf(this.name, req.model ?? '', 1, 1) };
  }
  embed(texts: readonly string[]): Promise<Embeddings> {
    this.next(undefined);
    return Promise.resolve({ vectors: texts.map(() => [1]), dimensions: 1, usage: usageOf(this.name, 'e', 1, 0) });
  }
}

const fast = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 };
const req: CompletionRequest = { messages: [{ role: 'user', content: 'hola' }] };

function router(openai: ScriptedProvider, local: ScriptedProvider, extra: { fallback?: string[]; failures?: number } = {}) {
  return new ModelRouter({
    providers: [
      { provider: openai, defaultModel: 'gpt-4o-mini', models: '*' },
      { provider: local, defaultModel: 'local', models: ['local'] },
    ],
    defaultModel: 'openai',
    fallback: extra.fallback ?? ['local'],
    retry: fast,
    breaker: { consecutiveFailures: extra.failures ?? 50, halfOpenAfterMs: 60_000 },
  });
}

describe('ModelRouter', () => {
  it('resolves provider:model, a provider name and a bare model name', () => {
    const r = router(new ScriptedProvider('openai', []), new ScriptedProvider('local', []));
    expect(r.resolve('openai:gpt-4o')).toEqual({ provider: 'openai', model: 'gpt-4o', ref: 'openai:gpt-4o' });
    expect(r.resolve('local')).toEqual({ provider: 'local', model: 'local', ref: 'local:local' });
    expect(r.resolve('llama-3.1-8b-instant').ref).toBe('openai:llama-3.1-8b-instant');
    expect(() => r.resolve('local:gpt-4o')).toThrow(SpineError);
  });

  it('refuses a model outside allowedModels with PERMISSION_DENIED and calls nothing', () => {
    const openai = new ScriptedProvider('openai', []);
    const r = router(openai, new ScriptedProvider('local', []));
    expect(() => r.forNode({ model: 'gpt-4o', allowedModels: ['gpt-4o-mini', 'local'] })).toThrow(expect.objectContaining({ code: ErrorCode.PERMISSION_DENIED }));
    expect(openai.calls).toEqual([]);
    expect(() => r.forNode({ model: 'openai:gpt-4o', allowedModels: ['openai:*'] })).not.toThrow();
  });

  it('retries a rate limit and a 5xx with backoff, then answers', async () => {
    const openai = new ScriptedProvider('openai', [llmErrors.rateLimited('openai'), llmErrors.unavailable('openai', 'upstream 500')]);
    const local = new ScriptedProvider('local', []);
    const c = await router(openai, local).forNode({ model: 'gpt-4o-mini' }).complete(req);
    expect(c.text).toBe('from openai');
    expect(openai.calls).toEqual(['gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o-mini']);
    expect(local.calls).toEqual([]);
  });

  it('falls back to the next model when retries run out, and usage names who answered', async () => {
    const down = () => llmErrors.unavailable('openai', 'upstream 503');
    const openai = new ScriptedProvider('openai', [down(), down(), down()]);
    const local = new ScriptedProvider('local', []);
    const c = await router(openai, local).forNode({ model: 'gpt-4o-mini' }).complete(req);
    expect(openai.calls).toHaveLength(3);
    expect(c.usage).toMatchObject({ provider: 'local', model: 'local' });
  });

  it('neither retries nor falls back on INVALID_ARGUMENT', async () => {
    const openai = new ScriptedProvider('openai', [llmErrors.invalid('bad schema')]);
    const local = new ScriptedProvider('local', []);
    await expect(router(openai, local).forNode().complete(req)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
    expect(openai.calls).toHaveLength(1);
    expect(local.calls).toEqual([]);
  });

  it('leaves fallbacks outside allowedModels out of the chain', async () => {
    const openai = new ScriptedProvider('openai', [llmErrors.rateLimited('openai'), llmErrors.rateLimited('openai'), llmErrors.rateLimited('openai')]);
    const local = new ScriptedProvider('local', []);
    await expect(router(openai, local).forNode({ allowedModels: ['gpt-4o-mini'] }).complete(req)).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED });
    expect(local.calls).toEqual([]);
  });

  it('falls a stream back before its first chunk, never after', async () => {
    const openai = new ScriptedProvider('openai', [llmErrors.unavailable('openai', 'x'), llmErrors.unavailable('openai', 'x'), llmErrors.unavailable('openai', 'x')]);
    const local = new ScriptedProvider('local', []);
    const chunks: StreamChunk[] = [];
    for await (const c of router(openai, local).forNode().stream(req)) chunks.push(c);
    expect(chunks[0]).toEqual({ type: 'text', delta: 'local' });

    const flaky = new ScriptedProvider('openai', ['ok', llmErrors.unavailable('openai', 'cut')]);
    const seen: StreamChunk[] = [];
    const run = (async () => {
      for await (const c of router(flaky, new ScriptedProvider('local', [])).forNode().stream(req)) seen.push(c);
    })();
    await expect(run).rejects.toMatchObject({ code: ErrorCode.AGENT_UNAVAILABLE });
    expect(seen).toEqual([{ type: 'text', delta: 'openai' }]);
  });

  it('opens the circuit after consecutive failures and goes straight to the fallback', async () => {
    const down = () => llmErrors.unavailable('openai', 'down');
    const openai = new ScriptedProvider('openai', Array.from({ length: 10 }, down));
    const local = new ScriptedProvider('local', []);
    const r = router(openai, local, { failures: 3 });
    await r.forNode().complete(req);
    expect(openai.calls).toHaveLength(3);
    await r.forNode().complete(req);
    expect(openai.calls).toHaveLength(3);
    expect(local.calls).toHaveLength(2);
  });

  it('stops at the deadline instead of retrying past it', async () => {
    const openai = new ScriptedProvider('openai', [llmErrors.rateLimited('openai'), llmErrors.rateLimited('openai'), llmErrors.rateLimited('openai')]);
    const slow = new ModelRouter({ providers: [{ provider: openai, defaultModel: 'm', models: '*' }], defaultModel: 'openai', retry: { maxAttempts: 3, initialDelayMs: 500, maxDelayMs: 500 } });
    await expect(slow.forNode().complete({ ...req, deadline: Date.now() + 50 })).rejects.toMatchObject({ code: ErrorCode.DEADLINE_EXCEEDED });
    expect(openai.calls).toHaveLength(1);
  });

  it('embeds with the node provider only, never a fallback with other dimensions', async () => {
    // A retryable failure on every attempt: complete() would fall back to local on it (checked below), embed() must not.
    const down = () => llmErrors.unavailable('openai', 'down');
    const openai = new ScriptedProvider('openai', [down(), down(), down(), 'ok']);
    const local = new ScriptedProvider('local', []);
    const r = router(openai, local);
    await expect(r.forNode().embed(['a'])).rejects.toMatchObject({ code: ErrorCode.AGENT_UNAVAILABLE });
    expect(openai.calls).toHaveLength(3);
    expect(local.calls).toEqual([]);
    expect((await r.forNode().embed(['a'])).usage.provider).toBe('openai');
    expect(local.calls).toEqual([]);

    const completing = new ScriptedProvider('openai', [down(), down(), down()]);
    expect((await router(completing, local).forNode().complete(req)).text).toBe('from local');
  });
});
