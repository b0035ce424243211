import { CreateAgentInstances1763900000000 } from './1763900000000-create-agent-instances.js';
import { CreateExternalAgents1763910000000 } from './1763910000000-create-external-agents.js';

/** Every registry migration, oldest first. */
export const migrations = [CreateAgentInstances1763900000000, CreateExternalAgents1763910000000];
