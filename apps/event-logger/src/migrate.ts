import { createRootLogger } from '@spine/observability';
import { runMigrations } from '@spine/persistence';
import { loadConfig } from './event-logger.config.js';
import { auditDataSource } from './event-logger.module.js';

const logger = createRootLogger({ service: 'event-logger-migrate' });
const applied = await runMigrations(auditDataSource(loadConfig().DATABASE_URL));
logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'schema is up to date');
logger.flush();
