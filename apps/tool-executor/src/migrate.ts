import { createRootLogger } from '@spine/observability';
import { runMigrations } from '@spine/persistence';
import { loadConfig } from './tool-executor.config.js';
import { erpDataSource } from './tool-executor.module.js';

const logger = createRootLogger({ service: 'tool-executor-migrate' });
const applied = await runMigrations(erpDataSource(loadConfig().DATABASE_URL));
logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'schema is up to date');
logger.flush();
