import { type DynamicModule, Module } from '@nestjs/common';
import { createModelRouter, type LlmConfig } from '@spine/llm';
import { createVectorStore, type VectorConfig } from '@spine/vector';
import { CerebroHandler } from './cerebro/cerebro.handler.js';
import { CEREBRO_MODELS, CEREBRO_STARTER_PACK, CEREBRO_STORE, CerebroService } from './cerebro/cerebro.service.js';

@Module({})
export class RetrievalModule {
  /** The store is sized by the default embedder's dimensions, read once at boot. */
  /** `starterPack`: the pack every tenant gets before its first search (RETRIEVAL_STARTER_PACK; empty: none). */
  static async with(llm: LlmConfig, vector: VectorConfig, starterPack = process.env['RETRIEVAL_STARTER_PACK'] ?? 'erp-starter'): Promise<DynamicModule> {
    const models = createModelRouter(llm);
    const { dimensions } = await models.forNode().embed(['dimensions']);
    return {
      module: RetrievalModule,
      providers: [CerebroHandler, CerebroService, { provide: CEREBRO_MODELS, useValue: models }, { provide: CEREBRO_STORE, useValue: createVectorStore(vector, dimensions) },
        { provide: CEREBRO_STARTER_PACK, useValue: starterPack },
      ],
      exports: [CerebroHandler],
    };
  }
}
