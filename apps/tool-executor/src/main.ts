import { bootstrapAgent } from '@spine/agent-kit';
import { toolExecutorAgent } from './tool-executor.agent.js';
import { loadConfig } from './tool-executor.config.js';
import { ToolExecutorModule } from './tool-executor.module.js';
import { ToolsHandler } from './tools/tools.handler.js';

await bootstrapAgent({ agent: toolExecutorAgent, module: ToolExecutorModule.with(loadConfig()), handler: ToolsHandler });
