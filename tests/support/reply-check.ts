// Checks on what a user reads (issue 16): no raw ISO instant, and in Spanish mode no English sentence.

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;
/** A success sentence ("Listo: creé…", "Done: I created…"): ids belong in the details line after it, not in it. */
const SUCCESS = /^(?:Listo|Done):.*$/gm;
/** English words that have no place in a Spanish sentence (names and titles in «…» or "…" are left out first). */
const ENGLISH = /\b(?:the|is|are|was|with|and|of|to|for|overlaps|next|free|slot|starts|choose|after|before|existing|users|tenant|please|could|would|found|created|couldn't|can't|list your)\b/i;

/** What a reply quotes: titles and names the user chose, in any language. */
function withoutQuotes(reply: string): string {
  return reply.replace(/«[^»]*»|"[^"]*"|“[^”]*”/g, ' ').replace(/^- .*$/gm, ' ');
}

/** Every problem of one reply: an ISO instant, or English in Spanish mode. */
export function replyProblems(reply: string, locale: 'es' | 'en'): string[] {
  const problems: string[] = [];
  if (ISO_INSTANT.test(reply)) problems.push(`ISO instant in ${JSON.stringify(reply)}`);
  if ((reply.match(SUCCESS) ?? []).some((line) => UUID.test(line))) problems.push(`an id in a success sentence: ${JSON.stringify(reply)}`);
  const english = locale === 'es' ? ENGLISH.exec(withoutQuotes(reply)) : null;
  if (english) problems.push(`English "${english[0]}" in a Spanish reply: ${JSON.stringify(reply)}`);
  return problems;
}

/** The language a turn was in: the locale sent, else Spanish unless the user wrote English. */
export function turnLocale(text: string, locale: 'es' | 'en' | undefined): 'es' | 'en' {
  if (locale) return locale;
  return /[ñáéíóú¿¡]|\b(?:crea|una|el|la|de|para|qué|agenda|mañana|hola|tareas?|proyecto)\b/i.test(text) ? 'es' : 'en';
}
