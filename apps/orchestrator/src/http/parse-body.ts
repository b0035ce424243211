import { SpineError } from '@spine/contracts';
import type { z } from 'zod';

/** A request body checked against a zod schema; every problem reported at once, by field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const problems = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || 'body', i.message]));
  throw SpineError.invalid(`invalid body: ${Object.entries(problems).map(([k, v]) => `${k} ${v}`).join('; ')}`, problems);
}

/** A positive integer path or query parameter. */
export function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw SpineError.invalid(`${name} must be a positive integer, got '${value}'`, { field: name });
  return n;
}
