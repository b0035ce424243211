import { bootstrapAgent } from '@spine/agent-kit';
import { loadLlmConfig } from '@spine/llm';
import { loadVectorConfig } from '@spine/vector';
import { CerebroHandler } from './cerebro/cerebro.handler.js';
import { retrievalAgent } from './retrieval.agent.js';
import { RetrievalModule } from './retrieval.module.js';

await bootstrapAgent({ agent: retrievalAgent, module: await RetrievalModule.with(loadLlmConfig(), loadVectorConfig()), handler: CerebroHandler });
