import { type DynamicModule, Module } from '@nestjs/common';
import { createModelRouter, LocalProvider, HashedEmbedder, HybridEmbedder, type LlmConfig } from '@spine/llm';
import { LOCAL_PROVIDER, MODEL_ROUTER, RouteHandler } from './route/route.handler.js';

@Module({})
export class RouterModule {
  static with(config: LlmConfig): DynamicModule {
    const local = new LocalProvider({
      embedder: config.LOCAL_EMBEDDER === 'hashed' ? new HashedEmbedder() : new HybridEmbedder(),
      defaultTimezone: config.LOCAL_TIMEZONE,
      defaultLocale: config.LOCAL_LOCALE,
    });
    return {
      module: RouterModule,
      providers: [RouteHandler, { provide: LOCAL_PROVIDER, useValue: local }, { provide: MODEL_ROUTER, useValue: createModelRouter(config, { local }) }],
      exports: [RouteHandler],
    };
  }
}
