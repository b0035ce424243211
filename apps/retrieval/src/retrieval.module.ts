import { type DynamicModule, Module } from '@nestjs/common';
import { createModelRouter, type LlmConfig } from '@spine/llm';
import { createVectorStore, type VectorConfig } from '@spine/vector';
import { CerebroHandler } from './cerebro/cerebro.handler.js';
import { CEREBRO_MODELS, CEREBRO_STORE, CerebroService } from './cerebro/cerebro.service.js';

@Module({})
export class RetrievalModule {
  /** The store is sized by the default embedder's dimensions, read once at boot. */
  static async with(llm: LlmConfig, vector: VectorConfig): Promise<DynamicModule> {
    const models = createModelRouter(llm);
    const { dimensions } = await models.forNode().embed(['dimensions']);
    return {
      module: RetrievalModule,
      providers: [CerebroHandler, CerebroService, { provide: CEREBRO_MODELS, useValue: models }, { provide: CEREBRO_STORE, useValue: createVectorStore(vector, dimensions) }],
      exports: [CerebroHandler],
    };
  }
}
