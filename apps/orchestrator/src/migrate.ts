import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createRootLogger } from '@spine/observability';
import { appDataSourceOptions, runMigrations } from '@spine/persistence';
import { ApiKeysRepository } from './auth/api-keys.repository.js';
import { ApiKeysService } from './auth/api-keys.service.js';
import { loadConfig } from './orchestrator.config.js';
import { orchestratorDataSource } from './orchestrator.module.js';

const config = loadConfig();
const logger = createRootLogger({ service: 'orchestrator-migrate' });
const applied = await runMigrations(orchestratorDataSource(config.DATABASE_URL));
logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'schema is up to date');

// The first admin key is created once, when none exists, and printed only here.
class FirstAdminKey {}
const ctx = await NestFactory.createApplicationContext(
  {
    module: FirstAdminKey,
    imports: [TypeOrmModule.forRoot(appDataSourceOptions(orchestratorDataSource(config.DATABASE_URL)))],
    providers: [ApiKeysRepository, ApiKeysService],
  },
  { logger: false },
);
const admin = await ctx.get(ApiKeysService).bootstrapAdmin(config.DEFAULT_TENANT);
await ctx.close();
if (admin) {
  process.stdout.write(`\n  First admin API key for tenant "${admin.tenantId}" (shown once, store it now):\n  ${admin.token}\n\n`);
}
logger.flush();
