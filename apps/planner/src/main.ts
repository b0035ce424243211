import { bootstrapAgent } from '@spine/agent-kit';
import { loadLlmConfig } from '@spine/llm';
import { PlanHandler } from './plan/plan.handler.js';
import { plannerAgent } from './planner.agent.js';
import { PlannerModule } from './planner.module.js';

await bootstrapAgent({ agent: plannerAgent, module: PlannerModule.with(loadLlmConfig()), handler: PlanHandler });
