import type { PayloadFilter, PayloadValue } from '../vector.types.js';

/**
 * A payload's filterable facts as `key=type:value` strings, one list column per row, so an
 * equality filter becomes `array_has_any(terms, …)` that LanceDB evaluates (and indexes with a
 * label-list index) instead of our code reading every payload. The type tag keeps `2` apart from
 * `'2'`, as the in-memory filter does. Arrays give one term per element (any element matches, as
 * in Qdrant); one level of nested object gives `parent.key` terms.
 */
export function termsOf(payload: Readonly<Record<string, PayloadValue>>): string[] {
  const terms: string[] = [];
  const add = (key: string, value: PayloadValue, depth: number): void => {
    if (value === null) return;
    if (Array.isArray(value)) {
      for (const v of value as readonly PayloadValue[]) if (!Array.isArray(v) && (typeof v !== 'object' || v === null)) add(key, v, depth);
      return;
    }
    if (typeof value === 'object') {
      if (depth === 0) for (const [k, v] of Object.entries(value)) add(`${key}.${k}`, v, 1);
      return;
    }
    terms.push(term(key, value));
  };
  for (const [key, value] of Object.entries(payload)) add(key, value, 0);
  return terms;
}

function term(key: string, value: string | number | boolean): string {
  const tag = typeof value === 'string' ? 's' : typeof value === 'number' ? 'n' : 'b';
  return `${key}=${tag}:${String(value)}`;
}

/** A SQL string literal: single quotes doubled, nothing else interpreted. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The SQL where-clause for a payload filter (every key must match; an array value is any-of), or undefined for none. */
export function whereOf(filter: PayloadFilter | undefined): string | undefined {
  if (!filter) return undefined;
  const clauses = Object.entries(filter).map(([key, wanted]) => {
    const values = (Array.isArray(wanted) ? wanted : [wanted]) as readonly (string | number | boolean)[];
    if (values.length === 0) return 'false';
    return `array_has_any(terms, make_array(${values.map((v) => sqlString(term(key, v))).join(', ')}))`;
  });
  return clauses.length ? clauses.join(' AND ') : undefined;
}
