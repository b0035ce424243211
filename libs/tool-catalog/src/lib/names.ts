import { distance } from 'fastest-levenshtein';

/** Lower case, no accents, single spaces: "Logística" and "logistica" are one name. */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@.\s-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Edits allowed for a typo, by the length of what was written: none below 4 letters, 1 up to 6, then 2. */
function allowedEdits(length: number): number {
  if (length < 4) return 0;
  return length <= 6 ? 1 : 2;
}

/**
 * The one existing name `said` refers to, or undefined when none or several fit (issue 16: names are matched
 * against the tenant's data, never invented). In order: the same name without case and accents; the only name
 * whose words start with what was said ("Ana" → "Ana García", "marketing" → "Marketing 2027"); the only name
 * within a typo's distance ("Intrnet" → "Intranet").
 */
export function matchName(names: readonly string[], said: string): string | undefined {
  const want = foldName(said);
  if (!want) return undefined;
  const folded = names.map((name) => ({ name, key: foldName(name) }));
  const exact = folded.filter((n) => n.key === want);
  if (exact.length) return exact.length === 1 ? exact[0]!.name : undefined;
  const words = want.split(' ');
  const prefixed = folded.filter((n) => {
    const theirs = n.key.split(' ');
    return words.length <= theirs.length && words.every((w, i) => theirs[i] === w);
  });
  if (prefixed.length) return prefixed.length === 1 ? prefixed[0]!.name : undefined;
  const limit = allowedEdits(want.length);
  if (limit === 0) return undefined;
  const near = folded.map((n) => ({ ...n, d: Math.min(distance(n.key, want), distance(n.key.split(' ')[0] ?? '', want)) })).filter((n) => n.d <= limit);
  const best = Math.min(...near.map((n) => n.d));
  const winners = near.filter((n) => n.d === best);
  return winners.length === 1 ? winners[0]!.name : undefined;
}
