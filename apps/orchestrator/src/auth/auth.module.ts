import { Module } from '@nestjs/common';
import { TenantRates } from '../limits/tenant-rates.js';
import { AccessService } from './access.service.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthGuard } from './auth.guard.js';

/** API keys, who a request is (AuthGuard) and what it may do (AccessService, with the tenant rate limits). */
@Module({
  controllers: [ApiKeysController],
  providers: [ApiKeysRepository, ApiKeysService, AccessService, TenantRates, AuthGuard],
  exports: [ApiKeysService, AccessService, AuthGuard],
})
export class AuthModule {}
