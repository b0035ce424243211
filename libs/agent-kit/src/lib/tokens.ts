import type { DescMessage } from '@bufbuild/protobuf';
import type { AgentDefinition, AgentHandler } from './agent-definition.js';

export type AnyAgentDefinition = AgentDefinition<DescMessage, DescMessage>;
export type AnyAgentHandler = AgentHandler<DescMessage, DescMessage>;

export const AGENT = Symbol('spine.agent');
export const AGENT_HANDLER = Symbol('spine.agent.handler');
export const AGENT_CONFIG = Symbol('spine.agent.config');
