import type { MessageInitShape } from '@bufbuild/protobuf';
import { Inject, Injectable } from '@nestjs/common';
import { ChunkPublisher, type AgentHandler, type InvokeContext } from '@spine/agent-kit';
import { ChunkKind, SpineError, type StreamerInput, type StreamerInputSchema, type StreamerOutputSchema } from '@spine/contracts';
import { dontKnow, isValidTimezone, nodeModelSpec, type CompletionRequest, type GroundingSource, type ModelRouter, type StreamChunk } from '@spine/llm';
import { knowledgeMessages, replyMessages } from './reply.messages.js';

export const STREAMER_MODELS = Symbol('spine.streamer.models');
/**
 * Retrieval's cosine similarity below which a snippet does not count as an answer
 * (STREAMER_KNOWLEDGE_MIN_SCORE). The scale is the embedder's: with the offline hashed embedder an
 * answering chunk scores 0.2-0.5 and an unrelated one under 0.11; set it higher for a provider's embeddings.
 */
export const KNOWLEDGE_MIN_SCORE = Number(process.env['STREAMER_KNOWLEDGE_MIN_SCORE'] ?? 0.15);
/** Snippets a reply is written from, at most. */
const MAX_SOURCES = 4;

/** Writes the reply token by token through the node's model and publishes every chunk as it comes. */
@Injectable()
export class ReplyHandler implements AgentHandler<typeof StreamerInputSchema, typeof StreamerOutputSchema> {
  constructor(
    @Inject(STREAMER_MODELS) private readonly models: ModelRouter,
    private readonly chunks: ChunkPublisher,
  ) {}

  async handle(input: StreamerInput, ctx: InvokeContext): Promise<MessageInitShape<typeof StreamerOutputSchema>> {
    if (!ctx.executionId || !ctx.tenantId) throw SpineError.invalid('execution_id and tenant_id are required: they name the stream', { field: 'execution_id' });
    const pieces = input.question ? this.words(input.question) : this.generate(input, ctx);
    const kind = input.question ? ChunkKind.QUESTION : ChunkKind.TOKEN;
    let text = '';
    let sequence = 0;
    for await (const piece of pieces) {
      text += piece;
      await this.chunks.publish({ tenantId: ctx.tenantId, executionId: ctx.executionId, nodeId: ctx.nodeId, sequence: ++sequence, kind, text: piece, final: false });
    }
    await this.chunks.publish({ tenantId: ctx.tenantId, executionId: ctx.executionId, nodeId: ctx.nodeId, sequence: ++sequence, kind, text: '', final: true });
    return { text, chunks: BigInt(sequence) };
  }

  private async *generate(input: StreamerInput, ctx: InvokeContext): AsyncIterable<string> {
    const written = writtenFrom(input);
    // A knowledge question with nothing relevant enough: no model is asked, so none can make an answer up.
    if (!written) return yield* this.words(dontKnow[input.language === 'en' ? 'en' : 'es']);
    const provider = this.models.forNode(nodeModelSpec(ctx.model, ctx.scope?.allowedModels ?? []));
    const stream: AsyncIterable<StreamChunk> = provider.stream({
      ...written,
      ...(input.language === 'es' || input.language === 'en' ? { locale: input.language } : {}),
      ...(input.timezone && isValidTimezone(input.timezone) ? { now: { timezone: input.timezone, now: new Date() } } : {}),
      signal: ctx.signal,
      ...(ctx.deadline ? { deadline: ctx.deadline } : {}),
    });
    for await (const chunk of stream) {
      if (chunk.type === 'text' && chunk.delta) yield chunk.delta;
      if (chunk.type === 'done') ctx.reportUsage(chunk.usage);
    }
  }

  private async *words(text: string): AsyncIterable<string> {
    for (const piece of text.match(/\S+\s*/g) ?? []) yield piece;
  }
}

/** What the reply is written from: tool results, or for a knowledge question its sources (undefined: none relevant). */
function writtenFrom(input: StreamerInput): Pick<CompletionRequest, 'messages' | 'grounding'> | undefined {
  if (input.route !== 'KNOWLEDGE') return { messages: replyMessages(input) };
  const sources = sourcesOf(input);
  return sources.length ? { messages: knowledgeMessages(input, sources), grounding: sources } : undefined;
}

/** The context pack's snippets that score above the threshold, numbered by document (two chunks of one document share its number). */
export function sourcesOf(input: StreamerInput): GroundingSource[] {
  const numbers = new Map<string, number>();
  return (input.context?.snippets ?? [])
    .filter((s) => s.score >= KNOWLEDGE_MIN_SCORE)
    .slice(0, MAX_SOURCES)
    .map((s) => {
      if (!numbers.has(s.documentId)) numbers.set(s.documentId, numbers.size + 1);
      return { n: numbers.get(s.documentId)!, title: s.title, documentId: s.documentId, text: s.text, score: s.score };
    });
}
