import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, SpineError } from '@spine/contracts';
import { RETRY_AFTER_DETAIL } from '@spine/observability';
import { TokenBuckets } from '../limits/token-bucket.js';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import { ApiKeysService } from './api-keys.service.js';
import { ROLES_KEY, type Principal, type Role } from './principal.js';

interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

function tokenOf(req: AuthRequest): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  const key = req.headers['x-api-key'];
  return typeof key === 'string' ? key : undefined;
}

/** API key → principal; then the route's roles; then the tenant's rate limit. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly buckets: TokenBuckets;

  constructor(
    private readonly keys: ApiKeysService,
    private readonly reflector: Reflector,
    @Inject(ORCHESTRATOR_CONFIG) config: OrchestratorConfig,
  ) {
    this.buckets = new TokenBuckets(config.RATE_LIMIT_PER_SECOND, config.RATE_LIMIT_BURST);
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthRequest>();
    const principal = await this.keys.authenticate(tokenOf(req));
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (roles && !roles.includes(principal.role)) {
      throw new SpineError(ErrorCode.PERMISSION_DENIED, `this needs the role ${roles.join(' or ')}; the key has ${principal.role}`);
    }
    const taken = this.buckets.take(principal.tenantId);
    if (!taken.ok) {
      throw new SpineError(ErrorCode.RATE_LIMITED, 'too many requests for this tenant', { [RETRY_AFTER_DETAIL]: String(Math.ceil(taken.retryAfterMs / 1000)) });
    }
    req.principal = principal;
    return true;
  }
}
