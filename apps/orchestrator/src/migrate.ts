import { NestFactory } from '@nestjs/core';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { createRootLogger } from '@spine/observability';
import { appDataSourceOptions, runMigrations } from '@spine/persistence';
import type { DataSource } from 'typeorm';
import { AgentSecretsRepository } from './agents/agent-secrets.repository.js';
import { resealSecrets } from './agents/reseal-secrets.js';
import { SecretBox } from './agents/secret-box.js';
import { checkAdminKeyOutput, deliverAdminKey, loadAdminKeyOutput } from './auth/admin-key-output.js';
import { ApiKeysRepository } from './auth/api-keys.repository.js';
import { ApiKeysService } from './auth/api-keys.service.js';
import { Clock, SystemClock } from './core/clock.js';
import { builtInCatalog } from './defaults/built-in-catalog.js';
import { installDefaultFlows } from './defaults/default-flows.js';
import { loadConfig, ORCHESTRATOR_CONFIG } from './orchestrator.config.js';
import { orchestratorDataSource } from './orchestrator.module.js';

const config = loadConfig();
const adminKeyOutput = loadAdminKeyOutput();
await checkAdminKeyOutput(adminKeyOutput);
const logger = createRootLogger({ service: 'orchestrator-migrate' });
const applied = await runMigrations(orchestratorDataSource(config.DATABASE_URL));
logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'schema is up to date');

// The first admin key is created once, when none exists, and delivered only here (ADMIN_KEY_OUTPUT: terminal, file or Secret).
class FirstAdminKey {}
const ctx = await NestFactory.createApplicationContext(
  {
    module: FirstAdminKey,
    imports: [TypeOrmModule.forRoot(appDataSourceOptions(orchestratorDataSource(config.DATABASE_URL)))],
    providers: [
      ApiKeysRepository, ApiKeysService, AgentSecretsRepository, SecretBox,
      { provide: ORCHESTRATOR_CONFIG, useValue: config }, { provide: Clock, useClass: SystemClock },
    ],
  },
  { logger: false },
);
const admin = await ctx.get(ApiKeysService).bootstrapAdmin(config.DEFAULT_TENANT);
const flows = await installDefaultFlows(ctx.get<DataSource>(getDataSourceToken()), config.DEFAULT_TENANT, builtInCatalog(config.FLOW_MODELS));
if (flows.length > 0) logger.info({ tenant: config.DEFAULT_TENANT, flows }, 'default flows installed');
// Key rotation: secrets sealed with a key in AGENT_SECRET_KEY_PREVIOUS are sealed again with AGENT_SECRET_KEY.
const sealed = await resealSecrets(ctx.get(AgentSecretsRepository), ctx.get(SecretBox));
if (sealed.resealed > 0) logger.info({ resealed: sealed.resealed }, 'agent secrets re-sealed with the current AGENT_SECRET_KEY');
if (sealed.unreadable.length > 0) logger.error({ agents: sealed.unreadable }, 'no configured AGENT_SECRET_KEY opens these agents\' secrets: put the key they were sealed with in AGENT_SECRET_KEY_PREVIOUS, or re-register them');
await ctx.close();
if (admin) logger.info(await deliverAdminKey(admin, adminKeyOutput));
logger.flush();
