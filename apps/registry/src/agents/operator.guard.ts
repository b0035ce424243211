import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config.js';

interface OperatorRequest {
  headers: Record<string, string | string[] | undefined>;
  socket: { remoteAddress?: string };
}

/** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6 (a dual-stack socket's `::ffff:127.0.0.1`). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * The operator API (`GET /agents`) lists every tenant's third-party agents with their endpoints. With OPERATOR_TOKEN
 * set it takes `Authorization: Bearer <OPERATOR_TOKEN>` (compared in constant time); without one it answers only
 * calls from this machine (loopback: `npm start`, `kubectl port-forward`). Health and metrics stay open.
 */
@Injectable()
export class OperatorGuard implements CanActivate {
  private readonly token: Buffer | undefined;

  constructor(@Inject(REGISTRY_CONFIG) config: RegistryConfig) {
    this.token = config.OPERATOR_TOKEN ? digest(config.OPERATOR_TOKEN) : undefined;
  }

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<OperatorRequest>();
    if (!this.token) {
      if (isLoopback(req.socket.remoteAddress)) return true;
      throw new SpineError(ErrorCode.PERMISSION_DENIED, 'the operator API answers only local calls; set OPERATOR_TOKEN to call it from elsewhere');
    }
    const auth = req.headers['authorization'];
    const bearer = typeof auth === 'string' ? /^bearer[ \t]+(\S+)[ \t]*$/i.exec(auth)?.[1] : undefined;
    if (bearer === undefined || !timingSafeEqual(digest(bearer), this.token)) {
      throw new SpineError(ErrorCode.UNAUTHENTICATED, 'the operator API needs Authorization: Bearer <OPERATOR_TOKEN>');
    }
    return true;
  }
}
