import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN = /^spk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface ParsedToken {
  id: string;
  secret: string;
}

/** A new key: `spk_<id>_<secret>`. Only the secret's hash is stored; the token is shown once. */
export function newToken(): { id: string; token: string; hash: Buffer } {
  const id = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `spk_${id}_${secret}`, hash: hashSecret(secret) };
}

export function parseToken(token: string): ParsedToken | undefined {
  const match = TOKEN.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

// 256 random bits need no slow hash: SHA-256 cannot be brute-forced back to them.
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Compared against when a key id is unknown, so that costs the same hash and compare as a wrong secret. */
export const NO_KEY_HASH = hashSecret(randomBytes(32).toString('base64url'));

export function secretMatches(secret: string, hash: Buffer): boolean {
  const candidate = hashSecret(secret);
  return candidate.length === hash.length && timingSafeEqual(candidate, hash);
}
