import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessService, type CallHeaders } from './access.service.js';
import { ROLES_KEY, type Principal, type Role } from './principal.js';

interface AuthRequest {
  headers: CallHeaders;
  principal?: Principal;
}

/** API key → principal; then the route's roles; then the tenant's rate limit (AccessService, shared with gRPC). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly access: AccessService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthRequest>();
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [ctx.getHandler(), ctx.getClass()]);
    req.principal = await this.access.admit(req.headers, roles);
    return true;
  }
}
