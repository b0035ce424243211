import type { PayloadFilter, PayloadValue } from './vector.types.js';

function equals(field: PayloadValue | undefined, wanted: string | number | boolean): boolean {
  // As in Qdrant: an array field matches when any of its elements does.
  if (Array.isArray(field)) return field.some((v) => v === wanted);
  return field === wanted;
}

/** Does a payload satisfy every condition of the filter? */
export function matchesFilter(payload: Readonly<Record<string, PayloadValue>>, filter: PayloadFilter | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([key, wanted]) => {
    const field = payload[key];
    if (Array.isArray(wanted)) return wanted.some((w) => equals(field, w));
    return equals(field, wanted as string | number | boolean);
  });
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
