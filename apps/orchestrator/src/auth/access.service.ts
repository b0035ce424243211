import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import { RETRY_AFTER_DETAIL } from '@spine/observability';
import { TokenBuckets } from '../limits/token-bucket.js';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import { ApiKeysService } from './api-keys.service.js';
import type { Principal, Role } from './principal.js';

export type CallHeaders = Record<string, string | string[] | undefined>;

/** The API key of a call: `authorization: Bearer <key>`, else `x-api-key`. */
export function tokenOf(headers: CallHeaders): string | undefined {
  const auth = headers['authorization'];
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  const key = headers['x-api-key'];
  return typeof key === 'string' ? key : undefined;
}

/** Who may call, for every transport (HTTP guard, gRPC): API key → principal, then the roles, then the tenant's rate limit. */
@Injectable()
export class AccessService {
  // One bucket per tenant across transports, so gRPC and REST share the tenant's rate.
  private readonly buckets: TokenBuckets;

  constructor(
    private readonly keys: ApiKeysService,
    @Inject(ORCHESTRATOR_CONFIG) config: OrchestratorConfig,
  ) {
    this.buckets = new TokenBuckets(config.RATE_LIMIT_PER_SECOND, config.RATE_LIMIT_BURST);
  }

  async admit(headers: CallHeaders, roles?: readonly Role[]): Promise<Principal> {
    const principal = await this.keys.authenticate(tokenOf(headers));
    if (roles && !roles.includes(principal.role)) {
      throw new SpineError(ErrorCode.PERMISSION_DENIED, `this needs the role ${roles.join(' or ')}; the key has ${principal.role}`);
    }
    const taken = this.buckets.take(principal.tenantId);
    if (!taken.ok) {
      throw new SpineError(ErrorCode.RATE_LIMITED, 'too many requests for this tenant', { [RETRY_AFTER_DETAIL]: String(Math.ceil(taken.retryAfterMs / 1000)) });
    }
    return principal;
  }
}
