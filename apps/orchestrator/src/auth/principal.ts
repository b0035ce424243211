import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';

/**
 * `reviewer`: decides human-in-the-loop tasks (the inbox), nothing else an admin may do.
 * `knowledge-editor`: the knowledge API (documents, search), nothing else an admin may do.
 */
export type Role = 'client' | 'agent-publisher' | 'admin' | 'reviewer' | 'knowledge-editor';
export const ROLES: readonly Role[] = ['client', 'agent-publisher', 'admin', 'reviewer', 'knowledge-editor'];

/** Who is calling: the tenant and role of the API key that authenticated the request. */
export interface Principal {
  tenantId: string;
  role: Role;
  keyId: string;
  /** The person the key authenticates (issue 16): their conversations act for this user, never one a body names. */
  userId?: string;
}

export const ROLES_KEY = 'spine:roles';
/** Roles allowed on a route; without it any authenticated key may call. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
