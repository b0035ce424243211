import { type DynamicModule, Module } from '@nestjs/common';
import { createModelRouter, HashedEmbedder, HybridEmbedder, LocalProvider, type LlmConfig } from '@spine/llm';
import { AnswerHandler, LLM_MODELS } from './answer/answer.handler.js';
import { ChunkPublisher } from '@spine/agent-kit';
import { SchemaCheck } from './answer/schema-check.js';

@Module({})
export class LlmAgentModule {
  static with(config: LlmConfig): DynamicModule {
    const local = new LocalProvider({
      embedder: config.LOCAL_EMBEDDER === 'hashed' ? new HashedEmbedder() : new HybridEmbedder(),
      defaultTimezone: config.LOCAL_TIMEZONE,
      defaultLocale: config.LOCAL_LOCALE,
      tokenDelayMs: config.LOCAL_TOKEN_DELAY_MS,
    });
    return {
      module: LlmAgentModule,
      providers: [AnswerHandler, ChunkPublisher, SchemaCheck, { provide: LLM_MODELS, useValue: createModelRouter(config, { local }) }],
      exports: [AnswerHandler],
    };
  }
}
