import { runMigrations } from '@spine/persistence';
import { createRootLogger } from '@spine/observability';
import { loadConfig } from './registry.config.js';
import { registryDataSource } from './registry.module.js';

const logger = createRootLogger({ service: 'registry-migrate' });
const applied = await runMigrations(registryDataSource(loadConfig().DATABASE_URL));
logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'schema is up to date');
logger.flush();
