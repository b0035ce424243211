import { CreateErp1763910000000 } from './1763910000000-create-erp.js';

/** Every tool-executor migration, oldest first. */
export const migrations = [CreateErp1763910000000];
