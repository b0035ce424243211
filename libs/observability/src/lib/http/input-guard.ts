import { SpineError } from '@spine/contracts';

export interface JsonInputLimits {
  /** Deepest nesting of arrays and objects accepted (the top level is depth 1). */
  maxDepth: number;
}

export const DEFAULT_JSON_LIMITS: JsonInputLimits = { maxDepth: 64 };

/**
 * Why a string cannot be stored or passed on: Postgres text refuses NUL, and a lone UTF-16 surrogate has no UTF-8 form
 * (protobuf, JSONB and every agent would see it replaced or rejected). Undefined when it is fine.
 */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  if (!text.isWellFormed()) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

const pathOf = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (parent ? `${parent}.${key}` : key) : `${parent}[${JSON.stringify(key)}]`;

/**
 * Checks a parsed JSON value from outside before anything works on it: nesting no deeper than `maxDepth`, and every
 * string and key free of NUL and lone surrogates. Iterative, so a value nested 100,000 deep costs no stack; stops at
 * the first problem with an INVALID_ARGUMENT naming its path (`field`).
 */
export function assertSafeJson(value: unknown, limits: JsonInputLimits = DEFAULT_JSON_LIMITS, root = 'body'): void {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 1 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    const where = path ? `${root}.${path}` : root;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) throw SpineError.invalid(`${where} ${problem}`, { field: where });
      continue;
    }
    // Scalars, and bytes (a protobuf bytes field, a Buffer): nothing to check inside.
    if (typeof current !== 'object' || current === null || ArrayBuffer.isView(current)) continue;
    if (depth > limits.maxDepth) {
      throw SpineError.invalid(`${where} is nested deeper than ${limits.maxDepth} levels`, { field: where, max_depth: String(limits.maxDepth) });
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: pathOf(path, i), depth: depth + 1 });
      continue;
    }
    for (const [key, child] of Object.entries(current)) {
      const problem = textProblem(key);
      if (problem) throw SpineError.invalid(`a key in ${where} ${problem}`, { field: where });
      stack.push({ value: child, path: pathOf(path, key), depth: depth + 1 });
    }
  }
}

interface BodyRequest {
  body?: unknown;
}

/**
 * Express middleware, after the body parsers: a JSON body (or a text one) that fails `assertSafeJson` is answered
 * 400 INVALID_ARGUMENT by the global filter, before any route or store sees it.
 */
export function safeBodies(limits: JsonInputLimits = DEFAULT_JSON_LIMITS) {
  return (req: BodyRequest, _res: unknown, next: (err?: unknown) => void): void => {
    try {
      if (req.body !== undefined) assertSafeJson(req.body, limits);
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** A non-negative integer from a path or query, within `max` (default: what a Postgres bigint and a JS number both hold). */
export function boundedInt(text: string, name: string, { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}): number {
  const trimmed = text.trim();
  const n = /^\d{1,16}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw SpineError.invalid(`${name} must be an integer from ${min} to ${max}, got '${text.slice(0, 40)}'`, { field: name });
  }
  return n;
}
