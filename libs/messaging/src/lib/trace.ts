import { randomUUID } from 'node:crypto';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

// Ids come from randomUUID, which Node serves from a pool of random bytes: a randomBytes call per hop showed in
// profiles. A trace id is a v4 UUID's 32 hex digits (122 random bits); a span id is 16 of its fully random ones.
const traceId = () => randomUUID().replaceAll('-', '');
const spanId = () => {
  const u = randomUUID();
  return u.slice(0, 8) + u.slice(28, 36);
};

/** A W3C `traceparent` for a new trace. */
export function newTraceparent(): string {
  return `00-${traceId()}-${spanId()}-01`;
}

/** The same trace, a new span: what a hop sends downstream. */
export function childTraceparent(parent: string | undefined): string {
  const match = parent ? TRACEPARENT.exec(parent) : null;
  if (!match) return newTraceparent();
  return `00-${match[1]}-${spanId()}-${match[3]}`;
}

export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent ? TRACEPARENT.exec(traceparent)?.[1] : undefined;
}
