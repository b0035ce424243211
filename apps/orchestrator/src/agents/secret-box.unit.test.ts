import { describe, expect, it } from 'vitest';
import { loadConfig } from '../orchestrator.config.js';
import { SecretBox } from './secret-box.js';

const OLD = 'old-key-0123456789abcdef';
const NEW = 'new-key-fedcba9876543210';
const box = (key?: string, previous: string[] = []) => new SecretBox({ AGENT_SECRET_KEY: key, AGENT_SECRET_KEY_PREVIOUS: previous });

describe('secrets fail closed in production', () => {
  const base = { DATABASE_URL: 'postgres://localhost/spine' };

  it('refuses to start with NODE_ENV=production and no AGENT_SECRET_KEY, naming the variable', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(/AGENT_SECRET_KEY/);
  });

  it('starts in production with a key, and outside production without one', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production', AGENT_SECRET_KEY: NEW }).AGENT_SECRET_KEY).toBe(NEW);
    expect(loadConfig({ ...base }).AGENT_SECRET_KEY).toBeUndefined();
  });

  it('refuses a short previous key', () => {
    expect(() => loadConfig({ ...base, AGENT_SECRET_KEY: NEW, AGENT_SECRET_KEY_PREVIOUS: 'short' })).toThrow(/AGENT_SECRET_KEY_PREVIOUS/);
  });
});

describe('SecretBox key rotation', () => {
  it('opens what it sealed, and a box with another key cannot', () => {
    const sealed = box(OLD).seal('s3cret');
    expect(box(OLD).open(sealed)).toBe('s3cret');
    expect(() => box(NEW).open(sealed)).toThrow(/no configured AGENT_SECRET_KEY/);
    expect(() => box(undefined).open(sealed)).toThrow();
  });

  it('opens a secret sealed with a previous key, and re-seals it with the current one', () => {
    const sealedOld = box(OLD).seal('s3cret');
    const rotating = box(NEW, [OLD]);
    expect(rotating.open(sealedOld)).toBe('s3cret');
    const resealed = rotating.reseal(sealedOld)!;
    expect(resealed).toBeInstanceOf(Buffer);
    expect(box(NEW).open(resealed)).toBe('s3cret');
    expect(rotating.reseal(resealed)).toBeUndefined(); // already current
  });

  it('seals with a fresh IV each time', () => {
    expect(box(NEW).seal('same').equals(box(NEW).seal('same'))).toBe(false);
  });
});
