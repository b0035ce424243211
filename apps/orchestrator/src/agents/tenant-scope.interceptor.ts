import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { currentScope, runInScope } from '@spine/observability';
import type { Observable } from 'rxjs';
import type { Principal } from '../auth/principal.js';

/**
 * Binds the caller's tenant to the call scope once the guard has authenticated it, so what runs inside the request
 * (log lines; the agent directory, which then lists only built-ins and that tenant's own agents) knows the tenant.
 */
@Injectable()
export class TenantScopeInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const principal = ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal;
    if (!principal) return next.handle();
    return runInScope({ ...currentScope(), tenantId: principal.tenantId }, () => next.handle());
  }
}
