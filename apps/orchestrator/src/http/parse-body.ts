import { SpineError } from '@spine/contracts';
import { boundedInt } from '@spine/observability';
import type { z } from 'zod';

/** A request body checked against a zod schema; every problem reported at once, by field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const problems = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || 'body', i.message]));
  throw SpineError.invalid(`invalid body: ${Object.entries(problems).map(([k, v]) => `${k} ${v}`).join('; ')}`, problems);
}

/** Postgres `integer`: flow versions are stored in one. */
export const INT4_MAX = 2_147_483_647;

/** A positive integer path or query parameter that fits a Postgres `integer` (a flow version). */
export function positiveInt(value: string, name: string): number {
  return boundedInt(value, name, { min: 1, max: INT4_MAX });
}
