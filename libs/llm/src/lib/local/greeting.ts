/** A greeting opening a message ("hola!", "hey,", "buenos días,", "hi there!"), with what separates it from the rest. */
const GREETING_LEAD = /^\s*[¡¿]?\s*(?:hola+|ola|holi|hey+|hi|hello|buen[oa]s(?:\s+(?:d[ií]as|tardes|noches))?|good\s+(?:morning|afternoon|evening))\b(?:\s+(?:there|all|team|equipo))?\s*[!,.;:]+\s*/iu;

const HOW_ARE_THINGS = /^[¿¡]?\s*(?:qu[eé]\s+tal|q\s+tal|c[oó]mo\s+(?:va|van|est|and|te|os|sigues)|how(?:'?s|\s+are|\s+is|\s+have)|what'?s\s+up|que\s+onda)/iu;

/**
 * What a message says after its greeting ("hola! qué tareas tengo hoy" → "qué tareas tengo hoy"), when a greeting opens
 * it and at least two words follow; undefined otherwise.
 */
export function afterGreeting(text: string): string | undefined {
  const m = GREETING_LEAD.exec(text);
  if (!m) return undefined;
  const rest = text.slice(m[0].length).trim();
  // "buenas! qué tal va la semana?": the rest is the small talk.
  if (HOW_ARE_THINGS.test(rest)) return undefined;
  return rest.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length >= 2 ? rest : undefined;
}
