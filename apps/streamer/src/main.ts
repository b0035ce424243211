import { bootstrapAgent } from '@spine/agent-kit';
import { loadLlmConfig } from '@spine/llm';
import { ReplyHandler } from './reply/reply.handler.js';
import { streamerAgent } from './streamer.agent.js';
import { StreamerModule } from './streamer.module.js';

await bootstrapAgent({ agent: streamerAgent, module: StreamerModule.with(loadLlmConfig()), handler: ReplyHandler });
