import { describe, expect, it } from 'vitest';
import { sign, verify } from './signature.js';

const body = '{"input":{"q":"hola"}}';
const now = 1_767_225_600_000;

describe('sign / verify', () => {
  it('accepts what sign() produced with the same secret', () => {
    expect(sign('s3cret', body, now)).toMatch(/^t=1767225600000,v1=[0-9a-f]{64}$/);
    expect(verify('s3cret', body, sign('s3cret', body, now), { nowMs: now + 1_000 })).toEqual({ ok: true });
    expect(verify('s3cret', Buffer.from(body), sign('s3cret', body, now), { nowMs: now })).toEqual({ ok: true });
  });

  it('rejects a missing, malformed, stale or mismatched signature, saying which', () => {
    expect(verify('s3cret', body, undefined, { nowMs: now })).toEqual({ ok: false, reason: 'missing' });
    expect(verify('s3cret', body, 'v1=abc', { nowMs: now })).toEqual({ ok: false, reason: 'malformed' });
    expect(verify('s3cret', body, sign('s3cret', body, now), { nowMs: now + 5 * 60_000 + 1 })).toEqual({ ok: false, reason: 'stale' });
    expect(verify('s3cret', body, sign('s3cret', body, now + 5 * 60_000 + 1), { nowMs: now })).toEqual({ ok: false, reason: 'stale' });
    expect(verify('other', body, sign('s3cret', body, now), { nowMs: now })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify('s3cret', body + ' ', sign('s3cret', body, now), { nowMs: now })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('binds the timestamp into the MAC, so it cannot be refreshed', () => {
    const header = sign('s3cret', body, now).replace(`t=${now}`, `t=${now + 60_000}`);
    expect(verify('s3cret', body, header, { nowMs: now + 60_000 })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts any of several secrets while one is rotated', () => {
    expect(verify(['new', 'old'], body, sign('old', body, now), { nowMs: now })).toEqual({ ok: true });
  });
});
