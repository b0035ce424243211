import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header every Spine call to an HTTP agent carries: `t=<unix ms>,v1=<hex hmac>`. */
export const SIGNATURE_HEADER = 'x-spine-signature';

/** How far a signature's timestamp may be from the agent's clock, either way. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export interface VerifyOptions {
  nowMs?: number;
  toleranceMs?: number;
}

function digest(secret: string, timestampMs: number, body: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestampMs}.`).update(body).digest();
}

/** The header value for `body`, HMAC-SHA256 over `<timestamp>.<raw body>` with the agent's secret. */
export function sign(secret: string, body: string | Uint8Array, timestampMs: number = Date.now()): string {
  return `t=${timestampMs},v1=${digest(secret, timestampMs, body).toString('hex')}`;
}

/**
 * Checks a header made by `sign()`. Several secrets may be given while one is being rotated;
 * several `v1=` entries are accepted for the same reason.
 */
export function verify(
  secret: string | readonly string[],
  body: string | Uint8Array,
  header: string | undefined,
  options: VerifyOptions = {},
): VerifyResult {
  if (!header) return { ok: false, reason: 'missing' };
  let timestampMs: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,16}$/.test(value)) timestampMs = Number(value);
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestampMs === undefined || signatures.length === 0) return { ok: false, reason: 'malformed' };
  const now = options.nowMs ?? Date.now();
  if (Math.abs(now - timestampMs) > (options.toleranceMs ?? SIGNATURE_TOLERANCE_MS)) return { ok: false, reason: 'stale' };
  const secrets = typeof secret === 'string' ? [secret] : secret;
  const expected = secrets.map((s) => digest(s, timestampMs, body));
  const match = expected.some((e) => signatures.some((s) => timingSafeEqual(e, s)));
  return match ? { ok: true } : { ok: false, reason: 'mismatch' };
}
