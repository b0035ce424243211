import { CreateAudit1764100000000 } from './1764100000000-create-audit.js';

/** Every event-logger migration, oldest first. */
export const migrations = [CreateAudit1764100000000];
