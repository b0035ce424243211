import { foldKeepLength } from './text.js';

/** Where the user takes back what they just said: "…, no, mejor el martes", "perdón, el viernes", "actually make it Website", "no wait". */
const CORRECTION = /(?:^|[\s,.;—–-])(?:no,?\s+(?:mejor|espera|perdon)|(?:bueno|o sea|o mejor),?\s+mejor|mejor dicho|perdon|perdona|quiero decir|digo|no wait|actually|sorry|i mean|make it|or rather|wait,?\s+no)\b/g;

/** Where the last correction in `text` starts, or -1 when the user corrects nothing. */
export function correctionAt(text: string): number {
  let at = -1;
  for (const m of foldKeepLength(text).matchAll(CORRECTION)) at = m.index;
  return at;
}

/**
 * Of several mentions of the same kind, those the user's correction kept: the ones after it when there are any on
 * both sides ("para el lunes, bueno mejor el martes" → el martes); all of them otherwise.
 */
export function keptByCorrection<T extends { index: number }>(mentions: readonly T[], text: string): T[] {
  const at = correctionAt(text);
  if (at < 0) return [...mentions];
  const after = mentions.filter((m) => m.index > at);
  return after.length && after.length < mentions.length ? after : [...mentions];
}
