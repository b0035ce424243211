import { type DynamicModule, Module } from '@nestjs/common';
import { createModelRouter, type LlmConfig } from '@spine/llm';
import { ChunkPublisher } from '@spine/agent-kit';
import { ReplyHandler, STREAMER_MODELS } from './reply/reply.handler.js';

@Module({})
export class StreamerModule {
  static with(config: LlmConfig): DynamicModule {
    return {
      module: StreamerModule,
      providers: [ReplyHandler, ChunkPublisher, { provide: STREAMER_MODELS, useValue: createModelRouter(config) }],
      exports: [ReplyHandler],
    };
  }
}
