import { assertCallable, callScope } from '../call-signal.js';
import { groundedAnswer } from './grounded-answer.js';
import type { ChatMessage, Completion, CompletionRequest, EmbedOptions, Embeddings, KnownNames, LlmProvider, Locale, NowContext, StreamChunk, ToolCall, ToolDefinition } from '../llm.types.js';
import { countMessageTokens, countTokens, usageOf } from '../usage.js';
import { isCancel } from './cancel.js';
import { planToolCall, type ToolPlan } from './conversation.js';
import { HybridEmbedder } from './energetic.embedder.js';
import type { TextEmbedder } from './hashed.embedder.js';
import { IntentClassifier, type IntentMatch } from './intent.classifier.js';
import { defaultIntents, type IntentDefinition } from './intent.examples.js';
import { replies } from './replies.js';
import { answerToSchema } from './schema-answer.js';
import { taskInNewProject, taskStillToAsk } from './project-and-task.js';
import { taskTitles } from './several-tasks.js';
import { twoRequests } from './two-requests.js';
import { fillStructured } from './structured.js';
import { detectLocale } from './text.js';
import { parseToolMessage, toolReply } from './tool-replies.js';

export interface LocalProviderOptions {
  /** Default: sentence embeddings + hashed n-grams (`HybridEmbedder`). */
  embedder?: TextEmbedder;
  intents?: readonly IntentDefinition[];
  /** Below this similarity a message is UNKNOWN. */
  minConfidence?: number;
  /** The model name reported in usage. */
  model?: string;
  defaultLocale?: Locale;
  /** Used when a request carries no `now`. */
  defaultTimezone?: string;
  /** Pause between streamed tokens (0: as fast as the consumer reads). */
  tokenDelayMs?: number;
  clock?: () => Date;
}

interface Answer {
  text: string;
  toolCalls: ToolCall[];
  output?: unknown;
}

const lastOf = (messages: readonly ChatMessage[], role: ChatMessage['role']): ChatMessage | undefined => [...messages].reverse().find((m) => m.role === role);

/** The plan's calls: one, or one per task when the message asks for several ("crea 2 tareas en Website: revisar enlaces y optimizar imágenes"). */
function callsOf(plan: ToolPlan, said: string): ToolCall[] {
  const title = plan.args['title'];
  const titles = plan.tool.name === 'createTask' && typeof title === 'string' ? taskTitles(said, title) : [];
  const argsOf = titles.length > 1 ? titles.map((t) => ({ ...plan.args, title: t })) : [plan.args];
  return argsOf.map((args, i) => ({ id: `call_local_${plan.tool.name}${i ? `_${i + 1}` : ''}`, name: plan.tool.name, arguments: args, rawArguments: JSON.stringify(args) }));
}

/**
 * The offline provider: nearest-neighbour intents over labelled examples, arguments read from the
 * text by each tool's JSON Schema, replies from templates. Deterministic; no network, no download.
 */
export class LocalProvider implements LlmProvider {
  readonly name = 'local';
  readonly classifier: IntentClassifier;
  private readonly embedder: TextEmbedder;
  private readonly model: string;
  private readonly opts: LocalProviderOptions;

  constructor(opts: LocalProviderOptions = {}) {
    this.opts = opts;
    this.embedder = opts.embedder ?? new HybridEmbedder();
    this.classifier = new IntentClassifier(this.embedder, opts.intents ?? defaultIntents, opts.minConfidence === undefined ? {} : { minConfidence: opts.minConfidence });
    this.model = opts.model ?? 'local';
  }

  /** Loads the embedding model and embeds the labelled examples, so the first request is fast. */
  warmUp(): Promise<void> {
    return this.classifier.warmUp();
  }

  /** The route and intent of one message (what the router agent needs). */
  classify(text: string): Promise<IntentMatch> {
    return this.classifier.classify(text);
  }

  async complete(req: CompletionRequest): Promise<Completion> {
    assertCallable(this.name, req);
    const answer = await this.answer(req);
    assertCallable(this.name, req);
    return this.completion(req, answer);
  }

  async *stream(req: CompletionRequest): AsyncIterable<StreamChunk> {
    assertCallable(this.name, req);
    const scope = callScope(this.name, req);
    const answer = await this.answer(req);
    const delay = this.opts.tokenDelayMs ?? 0;
    for (const token of answer.text.match(/\s*\S+/g) ?? []) {
      if (scope.signal.aborted) throw scope.abortError();
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      yield { type: 'text', delta: token };
    }
    if (scope.signal.aborted) throw scope.abortError();
    for (const call of answer.toolCalls) yield { type: 'tool_call', call };
    const done = this.completion(req, answer);
    yield { type: 'done', finishReason: done.finishReason, usage: done.usage };
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Embeddings> {
    assertCallable(this.name, options);
    const vectors = await this.embedder.embed(texts);
    const tokens = texts.reduce((sum, t) => sum + countTokens(t), 0);
    return { vectors, dimensions: this.embedder.dimensions, usage: usageOf(this.name, options.model ?? this.embedder.id, tokens, 0) };
  }

  private completion(req: CompletionRequest, answer: Answer): Completion {
    const completionTokens = countTokens(answer.text) + answer.toolCalls.reduce((sum, c) => sum + countTokens(c.rawArguments), 0);
    return {
      text: answer.text,
      toolCalls: answer.toolCalls,
      ...(answer.output === undefined ? {} : { output: answer.output }),
      finishReason: answer.toolCalls.length ? 'tool_calls' : 'stop',
      usage: usageOf(this.name, req.model ?? this.model, countMessageTokens(req.messages), completionTokens),
    };
  }

  private now(req: CompletionRequest): NowContext {
    return req.now ?? { timezone: this.opts.defaultTimezone ?? 'UTC', now: this.opts.clock?.() ?? new Date() };
  }

  private async answer(req: CompletionRequest): Promise<Answer> {
    const lastUser = lastOf(req.messages, 'user')?.content ?? '';
    const locale = req.locale ?? detectLocale(lastUser, this.opts.defaultLocale ?? 'es');
    const now = this.now(req);
    if (req.grounding) return { text: groundedAnswer(lastUser, req.grounding, locale), toolCalls: [] };
    const format = req.responseFormat;
    if (format && format.type !== 'text') {
      const match = await this.classifier.classify(lastUser);
      const output = format.type === 'json_schema' ? await answerToSchema(lastUser, format.schema, this.classifier, match, { now, locale }) : fillStructured(lastUser, {}, match, { now, locale });
      return { text: JSON.stringify(output), toolCalls: [], output };
    }
    const tools = req.tools ?? [];
    if (tools.length && req.toolChoice !== 'none') {
      const forced = typeof req.toolChoice === 'object' ? req.toolChoice.name : undefined;
      const { plan, last } = await planToolCall(req.messages, tools, this.classifier, { now, locale, ...(forced ? { forced } : {}), ...(req.knownNames ? { known: req.knownNames } : {}) });
      if (plan) {
        const then = plan.missing.length ? undefined : (taskInNewProject(lastUser, plan, tools, { now, locale }) ?? (await this.secondRequest(lastUser, tools, { now, locale, ...(req.knownNames ? { known: req.knownNames } : {}) })));
        return { text: plan.question, toolCalls: [...callsOf(plan, lastUser), ...(then ? [then] : [])] };
      }
      return { text: this.replyTo(lastUser, last, locale), toolCalls: [] };
    }
    return { text: await this.reply(req.messages, lastUser, locale, now), toolCalls: [] };
  }

  /** "… y agenda una reunión con Pedro el miércoles a las 10": the second request of a message, when it says all it needs. */
  private async secondRequest(said: string, tools: readonly ToolDefinition[], ctx: { now: NowContext; locale: Locale; known?: KnownNames }): Promise<ToolCall | undefined> {
    const second = twoRequests(said)?.[1];
    if (!second) return undefined;
    const { plan } = await planToolCall([{ role: 'user', content: second }], tools, this.classifier, ctx);
    if (!plan || plan.missing.length) return undefined;
    return { id: `call_local_${plan.tool.name}_then`, name: plan.tool.name, arguments: plan.args, rawArguments: JSON.stringify(plan.args) };
  }

  /** The reply to the end of the conversation: tool results, a draft to pass on, or the user's words. */
  private async reply(messages: readonly ChatMessage[], lastUser: string, locale: Locale, now: NowContext): Promise<string> {
    const tail: ChatMessage[] = [];
    for (const m of [...messages].reverse()) {
      if (m.role === 'system') continue;
      if (m.role !== 'tool' && tail.length) break;
      tail.unshift(m);
      if (m.role !== 'tool') break;
    }
    const last = tail.at(-1);
    if (last?.role === 'tool') {
      const results = tail.flatMap((m) => (m.role === 'tool' ? [parseToolMessage(m.content, m.name ?? '')] : []));
      const text = results.map((o) => (o ? toolReply(o, locale, now.timezone) : replies.cannotDo(locale))).join('\n');
      // "crea el proyecto Vega y una tarea": the project is made; the task's details are asked for.
      const ask = taskStillToAsk(lastUser, results.flatMap((o) => (o?.ok ? [o.tool] : [])), locale);
      return ask ? `${text}\n${ask}` : text;
    }
    if (last?.role === 'assistant') return last.content;
    return this.replyTo(lastUser, await this.classifier.classify(lastUser), locale);
  }

  private replyTo(text: string, match: IntentMatch, locale: Locale): string {
    // "olvídalo", "never mind": whatever the neighbours make of it, the reply confirms it was dropped.
    if (isCancel(text)) return replies.smallTalk(text, locale);
    switch (match.route) {
      case 'SMALL_TALK':
        return replies.smallTalk(text, locale);
      case 'UNKNOWN':
        return replies.unknown(locale);
      default:
        return replies.needMoreContext(locale);
    }
  }
}
