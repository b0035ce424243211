export { defineAgent, type AgentDefinition, type AgentDefinitionInit, type AgentHandler, type InvokeContext, type TokenUsage } from './lib/agent-definition.js';
export { bootstrapAgent, type BootstrapAgentOptions, type RunningAgent } from './lib/bootstrap.js';
export { loadAgentConfig, type AgentConfig } from './lib/agent.config.js';
export { AgentKitModule } from './lib/agent-kit.module.js';
export { Clock, SystemClock } from './lib/clock.js';
export { ChunkPublisher } from './lib/chunk.publisher.js';
