import { CreateAgentInstances1763900000000 } from './1763900000000-create-agent-instances.js';

/** Every registry migration, oldest first. */
export const migrations = [CreateAgentInstances1763900000000];
