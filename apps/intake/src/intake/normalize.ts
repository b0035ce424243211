// Zero-width characters and controls that survive copy-paste but mean nothing to the router.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const QUOTES: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201C': '"', '\u201D': '"', '\u00AB': '"', '\u00BB': '"' };

/** Unicode NFC, no invisible characters, plain quotes, single spaces, trimmed. */
export function normalizeText(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/[\u2018\u2019\u201C\u201D\u00AB\u00BB]/g, (c) => QUOTES[c] ?? c)
    .replace(/\s+/gu, ' ')
    .trim();
}
