import { fromJson, toJson, type JsonObject } from '@bufbuild/protobuf';
import { StructSchema, type Struct } from '@bufbuild/protobuf/wkt';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ChunkPublisher, type AgentHandler, type InvokeContext } from '@spine/agent-kit';
import { ChunkKind, ErrorCode, SpineError, type LlmNodeSettings } from '@spine/contracts';
import { llmErrors, nodeModelSpec, type ChatMessage, type CompletionRequest, type LlmProvider, type ModelRouter, type Usage } from '@spine/llm';
import { messagesOf, nodeSettings, userTurn } from './node-settings.js';
import { SchemaCheck } from './schema-check.js';
import { containsPii } from '@spine/pii';

export const LLM_MODELS = Symbol('spine.llm.models');

/** Usage of every call the node made (a repair is a second call), reported once. */
class Spent {
  private total: Usage | undefined;

  add(u: Usage): void {
    this.total = this.total
      ? { ...u, promptTokens: this.total.promptTokens + u.promptTokens, completionTokens: this.total.completionTokens + u.completionTokens, totalTokens: this.total.totalTokens + u.totalTokens }
      : u;
  }

  report(ctx: InvokeContext): void {
    if (this.total) ctx.reportUsage({ ...this.total, model: `${this.total.provider}:${this.total.model}` });
  }
}

/**
 * One model call per node. With an outputSchema the answer is JSON, validated against it; an invalid answer gets
 * one repair call (the errors are shown to the model), then the node fails SCHEMA_VIOLATION. Without one, the text
 * is streamed to the execution stream as it comes and answered as LlmAnswer.
 */
@Injectable()
export class AnswerHandler implements AgentHandler<typeof StructSchema, typeof StructSchema> {
  private readonly logger = new Logger(AnswerHandler.name);

  constructor(
    @Inject(LLM_MODELS) private readonly models: ModelRouter,
    private readonly chunks: ChunkPublisher,
    private readonly schemas: SchemaCheck,
  ) {}

  async handle(input: Struct, ctx: InvokeContext): Promise<Struct> {
    return fromJson(StructSchema, await this.answer(toJson(StructSchema, input) as JsonObject, ctx));
  }

  private async answer(input: JsonObject, ctx: InvokeContext): Promise<JsonObject> {
    const settings = nodeSettings(ctx.context);
    const messages = messagesOf(settings, userTurn(settings, input, ctx.context));
    const provider = this.providerFor(ctx);
    const spent = new Spent();
    try {
      return settings.outputSchema ? await this.structured(provider, settings, messages, ctx, spent) : await this.streamed(provider, settings, messages, ctx, spent);
    } finally {
      spent.report(ctx);
    }
  }

  /** The node's model; one no configured provider serves (a seed's "llama-3.1-8b-instant" with no API key) runs on the default. */
  private providerFor(ctx: InvokeContext): LlmProvider {
    try {
      this.models.resolve(ctx.model || 'local');
    } catch {
      this.logger.warn({ msg: 'llm.model_unserved', model: ctx.model });
      return this.models.forNode({});
    }
    return this.models.forNode(nodeModelSpec(ctx.model, ctx.scope?.allowedModels ?? []));
  }

  private request(settings: LlmNodeSettings, messages: ChatMessage[], ctx: InvokeContext): CompletionRequest {
    return {
      messages,
      ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
      ...(settings.maxTokens !== undefined ? { maxTokens: settings.maxTokens } : {}),
      signal: ctx.signal,
      ...(ctx.deadline ? { deadline: ctx.deadline } : {}),
    };
  }

  private async structured(provider: LlmProvider, settings: LlmNodeSettings, messages: ChatMessage[], ctx: InvokeContext, spent: Spent): Promise<JsonObject> {
    const schema = settings.outputSchema as JsonObject;
    const ask = async (turns: ChatMessage[]) => {
      const c = await provider.complete({ ...this.request(settings, turns, ctx), responseFormat: { type: 'json_schema', name: 'output', schema } }).catch((err: unknown) => {
        if (!(err instanceof SpineError) || err.details['reason'] !== 'invalid_json') throw err;
        const d = err.details;
        const [prompt, completion] = [Number(d['promptTokens'] ?? 0), Number(d['completionTokens'] ?? 0)];
        if (prompt + completion > 0) spent.add({ provider: d['provider'] ?? provider.name, model: d['model'] ?? '', promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion });
        return undefined;
      });
      if (c) spent.add(c.usage);
      const value = c ? (c.output ?? parseJson(c.text)) : undefined;
      return { text: c?.text ?? '', value, verdict: value === undefined ? { ok: false as const, errors: ['the answer is not JSON'] } : this.schemas.validate(schema, value) };
    };
    const first = await ask(messages);
    if (first.verdict.ok) return first.value as JsonObject;
    const repair: ChatMessage[] = [
      ...messages,
      { role: 'assistant', content: first.text },
      { role: 'user', content: `That answer does not match the JSON Schema: ${first.verdict.errors.join('; ')}. Answer again with only the corrected JSON object.` },
    ];
    const second = await ask(repair);
    this.logger.warn({ msg: 'llm.schema_repair', node: ctx.nodeId, repaired: second.verdict.ok });
    if (second.verdict.ok) return second.value as JsonObject;
    const errors = second.verdict.ok ? [] : second.verdict.errors;
    throw new SpineError(ErrorCode.SCHEMA_VIOLATION, `the answer does not match the node's outputSchema after one repair: ${errors.join('; ')}`, { node: ctx.nodeId, errors: errors.join('; ') }, false);
  }

  private async streamed(provider: LlmProvider, settings: LlmNodeSettings, messages: ChatMessage[], ctx: InvokeContext, spent: Spent): Promise<JsonObject> {
    if (!ctx.executionId || !ctx.tenantId) throw SpineError.invalid('execution_id and tenant_id are required: they name the stream', { field: 'execution_id' });
    const where = { tenantId: ctx.tenantId, executionId: ctx.executionId, nodeId: ctx.nodeId };
    let text = '';
    let sequence = 0;
    let model = '';
    for await (const chunk of provider.stream(this.request(settings, messages, ctx))) {
      if (chunk.type === 'text' && chunk.delta) {
        text += chunk.delta;
        await this.chunks.publish({ ...where, sequence: ++sequence, kind: ChunkKind.TOKEN, text: chunk.delta, final: false });
      }
      if (chunk.type === 'done') {
        spent.add(chunk.usage);
        model = `${chunk.usage.provider}:${chunk.usage.model}`;
      }
    }
    await this.chunks.publish({ ...where, sequence: ++sequence, kind: ChunkKind.TOKEN, text: '', final: true });
    if (!text) throw llmErrors.invalid('the model answered nothing');
    return { text, response: { text, length: text.length, contains_pii: containsPii(text) }, model };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
