import { Injectable } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import { RETRY_AFTER_DETAIL } from '@spine/observability';
import { TenantRates } from '../limits/tenant-rates.js';
import { ApiKeysService } from './api-keys.service.js';
import type { Principal, Role } from './principal.js';

export type CallHeaders = Record<string, string | string[] | undefined>;

/** The API key of a call: `authorization: Bearer <key>` (the scheme in any case, RFC 9110 §11.1), else `x-api-key`. */
export function tokenOf(headers: CallHeaders): string | undefined {
  const auth = headers['authorization'];
  const bearer = typeof auth === 'string' ? /^bearer[ \t]+(\S+)[ \t]*$/i.exec(auth) : null;
  if (bearer) return bearer[1];
  const key = headers['x-api-key'];
  return typeof key === 'string' ? key : undefined;
}

/** Who may call, for every transport (HTTP guard, gRPC): API key → principal, then the roles, then the tenant's rate limit. */
@Injectable()
export class AccessService {
  constructor(
    private readonly keys: ApiKeysService,
    // One rate per tenant across transports (gRPC and REST share it) and across replicas.
    private readonly rates: TenantRates,
  ) {}

  async admit(headers: CallHeaders, roles?: readonly Role[]): Promise<Principal> {
    const principal = await this.keys.authenticate(tokenOf(headers));
    if (roles && !roles.includes(principal.role)) {
      throw new SpineError(ErrorCode.PERMISSION_DENIED, `this needs the role ${roles.join(' or ')}; the key has ${principal.role}`);
    }
    const taken = this.rates.take(principal.tenantId);
    if (!taken.ok) {
      throw new SpineError(ErrorCode.RATE_LIMITED, 'too many requests for this tenant', { [RETRY_AFTER_DETAIL]: String(Math.ceil(taken.retryAfterMs / 1000)) });
    }
    return principal;
  }
}
