import OpenAI from 'openai';
import { assertCallable, callScope, type CallScope } from '../call-signal.js';
import { llmErrors } from '../llm.errors.js';
import type { Completion, CompletionRequest, EmbedOptions, Embeddings, LlmProvider, StreamChunk, Usage } from '../llm.types.js';
import { countMessageTokens, countTokens, usageOf } from '../usage.js';
import { fromOpenAiError } from './openai.errors.js';
import { toFinishReason, toParams, toToolCall } from './openai.mapper.js';

export interface OpenAiProviderOptions {
  /** Name in usage reports and model refs; a second instance for a proxy gets its own ("proxy"). */
  name?: string;
  /** Any OpenAI-compatible endpoint, e.g. http://gateway:8080/v1. */
  baseUrl?: string;
  apiKey: string;
  model: string;
  embeddingModel: string;
  /** Per-request ceiling when the request carries no deadline. */
  timeoutMs?: number;
}

type ApiUsage = { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null | undefined;

/** The official SDK against OpenAI or any compatible proxy. Retries are the router's job, so the SDK makes none. */
export class OpenAiProvider implements LlmProvider {
  readonly name: string;
  private readonly client: OpenAI;

  constructor(private readonly opts: OpenAiProviderOptions) {
    this.name = opts.name ?? 'openai';
    this.client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseUrl ?? null, maxRetries: 0, timeout: opts.timeoutMs ?? 60_000 });
  }

  async complete(req: CompletionRequest): Promise<Completion> {
    assertCallable(this.name, req);
    const scope = callScope(this.name, req);
    const model = req.model ?? this.opts.model;
    try {
      const res = await this.client.chat.completions.create(toParams(req, model), { signal: scope.signal });
      const choice = res.choices[0];
      const message = choice?.message;
      const toolCalls = (message?.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [toToolCall(c.id, c.function.name, c.function.arguments)] : []));
      const text = message?.content ?? '';
      const completion: Completion = {
        text,
        toolCalls,
        finishReason: toFinishReason(choice?.finish_reason, toolCalls.length > 0),
        usage: this.usage(res.usage, res.model || model, req, text),
      };
      if (req.responseFormat && req.responseFormat.type !== 'text') completion.output = this.parseJson(text, completion.usage);
      return completion;
    } catch (err) {
      throw fromOpenAiError(this.name, err, scope);
    }
  }

  async *stream(req: CompletionRequest): AsyncIterable<StreamChunk> {
    assertCallable(this.name, req);
    const scope = callScope(this.name, req);
    const model = req.model ?? this.opts.model;
    const calls = new Map<number, { id: string; name: string; args: string }>();
    let text = '';
    let finish: string | null | undefined;
    let usage: ApiUsage;
    let answeredBy = model;
    try {
      const stream = await this.client.chat.completions.create({ ...toParams(req, model), stream: true, stream_options: { include_usage: true } }, { signal: scope.signal });
      for await (const chunk of stream) {
        answeredBy = chunk.model || answeredBy;
        usage = chunk.usage ?? usage;
        for (const choice of chunk.choices) {
          finish = choice.finish_reason ?? finish;
          const delta = choice.delta;
          if (delta.content) {
            text += delta.content;
            yield { type: 'text', delta: delta.content };
          }
          for (const d of delta.tool_calls ?? []) {
            const call = calls.get(d.index) ?? { id: '', name: '', args: '' };
            call.id = d.id ?? call.id;
            call.name += d.function?.name ?? '';
            call.args += d.function?.arguments ?? '';
            calls.set(d.index, call);
          }
        }
      }
    } catch (err) {
      throw fromOpenAiError(this.name, err, scope);
    }
    const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, c]) => toToolCall(c.id, c.name, c.args));
    for (const call of toolCalls) yield { type: 'tool_call', call };
    yield { type: 'done', finishReason: toFinishReason(finish, toolCalls.length > 0), usage: this.usage(usage, answeredBy, req, text) };
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Embeddings> {
    assertCallable(this.name, options);
    const scope: CallScope = callScope(this.name, options);
    const model = options.model ?? this.opts.embeddingModel;
    try {
      const res = await this.client.embeddings.create({ model, input: [...texts], encoding_format: 'float' }, { signal: scope.signal });
      const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      const prompt = res.usage?.prompt_tokens;
      const usage = prompt === undefined ? usageOf(this.name, res.model || model, texts.reduce((s, t) => s + countTokens(t), 0), 0, true) : usageOf(this.name, res.model || model, prompt, 0);
      return { vectors, dimensions: vectors[0]?.length ?? 0, usage };
    } catch (err) {
      throw fromOpenAiError(this.name, err, scope);
    }
  }

  /** Counts from the API when it sends them (a proxy may not), estimated from the text otherwise. */
  private usage(api: ApiUsage, model: string, req: CompletionRequest, text: string): Usage {
    if (api && typeof api.prompt_tokens === 'number') return usageOf(this.name, model, api.prompt_tokens, api.completion_tokens ?? 0);
    return usageOf(this.name, model, countMessageTokens(req.messages), countTokens(text), true);
  }

  private parseJson(text: string, usage: Usage): unknown {
    try {
      return JSON.parse(text);
    } catch {
      const err = llmErrors.unavailable(this.name, 'the model answered invalid JSON for a JSON response format');
      // Callers that validate structured output (the llm agent) treat it as an answer to repair, not an outage.
      err.details['reason'] = 'invalid_json';
      // The call was made and billed: its counts travel with the error, so they still count against a flow's budget.
      Object.assign(err.details, { model: usage.model, promptTokens: String(usage.promptTokens), completionTokens: String(usage.completionTokens) });
      throw err;
    }
  }
}
