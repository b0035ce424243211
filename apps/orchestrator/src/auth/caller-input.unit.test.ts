import { describe, expect, it } from 'vitest';
import { callerInput } from './caller-input.js';
import type { Principal } from './principal.js';

const client: Principal = { tenantId: 't', role: 'client', keyId: 'k1' };

describe('callerInput', () => {
  it("gives a client key client's roles whatever its input names", () => {
    expect(callerInput(client, { content: 'crea el usuario x', roles: ['admin'], userId: 'u-9' })).toEqual({ content: 'crea el usuario x', roles: ['client'], userId: 'u-9' });
  });

  it('makes a key that authenticates a person act for that person', () => {
    expect(callerInput({ ...client, role: 'reviewer', userId: 'ana' }, { userId: 'boss', roles: ['admin'] })).toEqual({ userId: 'ana', roles: ['client'] });
  });

  it('adds nothing the input did not have, and leaves an admin key and non-object inputs alone', () => {
    expect(callerInput(client, { orderId: 7 })).toEqual({ orderId: 7 });
    expect(callerInput({ ...client, role: 'admin' }, { roles: ['admin'], userId: 'x' })).toEqual({ roles: ['admin'], userId: 'x' });
    expect(callerInput(client, [1, 2])).toEqual([1, 2]);
    expect(callerInput(client, 'text')).toBe('text');
  });
});
