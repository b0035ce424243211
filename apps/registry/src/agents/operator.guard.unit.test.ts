import type { ExecutionContext } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import type { RegistryConfig } from '../registry.config.js';
import { isLoopback, OperatorGuard } from './operator.guard.js';

const contextOf = (remoteAddress: string | undefined, authorization?: string) =>
  ({ switchToHttp: () => ({ getRequest: () => ({ headers: { authorization }, socket: { remoteAddress } }) }) }) as unknown as ExecutionContext;
const guard = (token?: string) => new OperatorGuard({ OPERATOR_TOKEN: token } as RegistryConfig);
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'allowed';
  } catch (err) {
    return err instanceof SpineError ? ErrorCode[err.code] : String(err);
  }
};

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])('%s is loopback', (a) => expect(isLoopback(a)).toBe(true));
  it.each([undefined, '', '10.0.0.5', '192.168.1.2', '::ffff:10.0.0.1', 'fe80::1', '128.0.0.1', '::'])('%s is not', (a) => expect(isLoopback(a)).toBe(false));
});

describe('OperatorGuard', () => {
  it('without a token: loopback only', () => {
    expect(codeOf(() => guard().canActivate(contextOf('127.0.0.1')))).toBe('allowed');
    expect(codeOf(() => guard().canActivate(contextOf('10.1.2.3')))).toBe('PERMISSION_DENIED');
    expect(codeOf(() => guard().canActivate(contextOf('10.1.2.3', 'Bearer anything')))).toBe('PERMISSION_DENIED');
  });

  it('with a token: the token, wherever the call comes from', () => {
    const token = 't'.repeat(40);
    expect(codeOf(() => guard(token).canActivate(contextOf('10.1.2.3', `Bearer ${token}`)))).toBe('allowed');
    expect(codeOf(() => guard(token).canActivate(contextOf('127.0.0.1')))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => guard(token).canActivate(contextOf('127.0.0.1', `Bearer ${'t'.repeat(39)}`)))).toBe('UNAUTHENTICATED');
  });
});
