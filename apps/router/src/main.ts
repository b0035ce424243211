import { bootstrapAgent } from '@spine/agent-kit';
import { loadLlmConfig } from '@spine/llm';
import { routerAgent } from './router.agent.js';
import { RouterModule } from './router.module.js';
import { RouteHandler } from './route/route.handler.js';

await bootstrapAgent({ agent: routerAgent, module: RouterModule.with(loadLlmConfig()), handler: RouteHandler });
