/** A smart tool's structured refusal: the planner and streamer act on code, field and suggestion. */
export class ToolFailure extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'ALREADY_EXISTS' | 'FAILED_PRECONDITION' | 'INVALID_ARGUMENT',
    message: string,
    readonly suggestion: string,
    readonly field = '',
  ) {
    super(message);
  }
}

/** Up to three known names closest to what the user wrote, for a "did you mean" suggestion. */
export function closest(names: string[], query: string): string[] {
  const q = query.toLowerCase();
  return names
    .map((name) => ({ name, d: name.toLowerCase().includes(q) || q.includes(name.toLowerCase()) ? 0 : distance(name.toLowerCase(), q) }))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((x) => x.name);
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}
