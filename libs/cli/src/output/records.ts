/** The list in an answer that is a list, or an object holding one (`{ tasks: [...] }`, `{ documents: [...] }`). */
export function listOf(res: unknown, ...keys: string[]): Record<string, unknown>[] {
  if (Array.isArray(res)) return res as Record<string, unknown>[];
  if (typeof res !== 'object' || res === null) return [];
  const body = res as Record<string, unknown>;
  for (const key of keys) if (Array.isArray(body[key])) return body[key] as Record<string, unknown>[];
  const first = Object.values(body).find(Array.isArray);
  return (first ?? []) as Record<string, unknown>[];
}

/** The first of these fields a record has, as text for a table cell. */
export function field(record: Record<string, unknown>, ...names: string[]): string {
  for (const name of names) {
    const v = record[name];
    if (v === undefined || v === null) continue;
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return '';
}

export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
