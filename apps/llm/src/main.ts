import { bootstrapAgent } from '@spine/agent-kit';
import { loadLlmConfig } from '@spine/llm';
import { AnswerHandler } from './answer/answer.handler.js';
import { llmAgent } from './llm.agent.js';
import { LlmAgentModule } from './llm-agent.module.js';

await bootstrapAgent({ agent: llmAgent, module: LlmAgentModule.with(loadLlmConfig()), handler: AnswerHandler });
