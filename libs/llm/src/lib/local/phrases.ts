import { findDurations, type Found } from './fields.js';
import { foldKeepLength } from './text.js';

/** Character positions other extractors already read (dates, project, assignee…). */
export type Claims = boolean[];

export function claim(claims: Claims, found: { index: number; length: number } | undefined): void {
  if (!found) return;
  for (let i = found.index; i < found.index + found.length && i < claims.length; i++) claims[i] = true;
}

const EVENT_NOUN =
  /\b(?:videollamadas?|video ?calls?|reunion(?:es)?|juntas?|citas?|llamadas?|eventos?|meetings?|mtgs?|calls?|appointments?|events?|standups?|demos?|presentacion|presentation|entrevistas?|interviews?|revision(?:es)?|reviews?|syncs?|sincros?|retros?|dailys?|cafes?|coffees?|comites?|sesion(?:es)?|sessions?|workshops?|talleres?|almuerzos?|comidas?|lunch(?:es)?|1:1|1-on-1|one-on-ones?|one on ones?)\b/;
/** Nouns that say nothing but "an event": alone they are no title ("agenda una reunión" → which one?). */
const GENERIC_EVENT = /^(?:(?:una?|la|el|the|an?)\s+)?(?:reunion(?:es)?|juntas?|meetings?|eventos?|events?|citas?|appointments?|algo|una cosa|something|anything)$/;
/** Verbs that book something; what follows them (past articles and what other arguments took) is the title. */
const BOOKING_VERB = /\b(?:agenda\w*|programa\w*|pon(?:me|le)?|reserva\w*|bloquea\w*|book|schedule|set up|block|organi[sz]e|crea(?:r)? un evento|create an? event)\b/g;
const ARTICLE = /^(?:(?:una?|la|el|los|las|the|an?|some)\s+)+/i;
const CONNECTOR = /^\s*(?::|-|—|para|de|que|sobre|to|for|about|called|named|titled|llamada|llamado|titulada|titulado)?\s*/;
/** Where a title stops when nothing claimed stops it first. */
const STOP = /[,.;!?\n]|\s(?:y\s+)?(?:asign|con prioridad|prioridad|priority|due\b|antes de|before\b|by\b|en el proyecto|para el proyecto|in (?:the )?project|y que|and make)|\s(?:on|in|to|into) (?:the|my) (?:calendar|agenda|schedule)\b|\s(?:en|a) (?:el|mi|la) (?:calendario|agenda)\b/;
export const TRAILING = /(?:\s+(?:para|en|el|la|los|las|a|de|del|al|con|y|que|to|for|in|at|by|on|the|and|with|of|from))+\s*$/i;

/** The free text from `start` up to what another argument claimed or to `stop`, without trailing connectors. */
export function cutTitle(text: string, start: number, claims: Claims, stop: RegExp = STOP): Found | undefined {
  const folded = foldKeepLength(text);
  let end = start;
  while (end < text.length && !claims[end]) end++;
  const stopped = stop.exec(folded.slice(start, end));
  if (stopped) end = start + stopped.index;
  const value = ` ${text.slice(start, end)}`.replace(TRAILING, '').trim().replace(/^["'«“]|["'»”]$/g, '');
  if (!value || !/\p{L}/u.test(value)) return undefined;
  return { value, index: start, length: end - start };
}

const cut = (text: string, start: number, claims: Claims): Found | undefined => cutTitle(text, start, claims);

/** Past connectors and what other arguments took: "tarea [urgente] de pagar…", "tarea de [baja prioridad]: ordenar…". */
function skipLead(folded: string, from: number, claims: Claims): number {
  let at = from;
  for (let moved = true; moved; ) {
    const start = at;
    while (at < folded.length && (claims[at] || folded[at] === ' ')) at++;
    at += CONNECTOR.exec(folded.slice(at))?.[0].length ?? 0;
    moved = at !== start;
  }
  return at;
}

/** An event's title from the text: the event noun and whom or what it is with ("reunión con Ana"). */
export function findEventTitle(text: string, claims: Claims): Found | undefined {
  const folded = foldKeepLength(text);
  const m = EVENT_NOUN.exec(folded);
  const why = purpose(text, folded, claims);
  // "reserva 2 horas para preparar la demo": the noun inside the purpose is part of it.
  if (m && why && m.index >= why.index) return why;
  if (m) {
    const cutAt = withCompanyAfter(text, folded, withoutCompany(cut(text, leadingWords(folded, m.index, claims), claims)), claims);
    // "an event called Board review", "un evento llamado Comité": the name, not the word for events.
    const named = cutAt?.value.replace(META_NOUN, '');
    const found = cutAt && named ? { ...cutAt, value: named } : cutAt;
    if (found && !GENERIC_EVENT.test(foldKeepLength(found.value))) return found;
    if (found) return why;
  }
  return why ?? afterBookingVerb(text, folded, claims);
}

/** Words that may stand between the noun and whom it is with: "call [de 45 min] con Pedro", "reunión [el martes 10:00] con Ana". */
const FILLER = /^(?:\s+|(?:el|la|los|las|de|del|a|al|on|at|the|this|next|for|por|durante|este|esta|proximo|proxima)\b)/;

/**
 * "call de 45 min con Pedro", "reunión de 2h el martes 10:00 con María y Luis": the length and the day said between the
 * noun and its company are no part of the title, which is the noun and whom it is with ("call con Pedro").
 */
function withCompanyAfter(text: string, folded: string, found: Found | undefined, claims: Claims): Found | undefined {
  if (!found) return found;
  let at = found.index + found.length;
  if (!claims[at] && !claims[at + 1]) return found;
  for (let step = folded.slice(at); at < folded.length; step = folded.slice(at)) {
    const filler = FILLER.exec(step);
    if (claims[at]) at++;
    else if (filler) at += filler[0].length;
    else break;
  }
  if (!/^(?:con|with|w\/)\s/.test(folded.slice(at))) return found;
  const company = cut(text, at, claims);
  return company ? { ...found, value: `${found.value} ${company.value}` } : found;
}

/** Words before the noun that belong to it ("team meeting", "budget review"), back to an article, a verb or a claim. */
function leadingWords(folded: string, nounAt: number, claims: Claims, stop: RegExp = STOP_BEFORE_NOUN): number {
  let start = nounAt;
  for (;;) {
    const before = /(\S+)\s+$/.exec(folded.slice(0, start));
    if (!before?.[1] || claims[before.index] || stop.test(before[1]) || UNIT.test(before[1]) || !/^[\p{L}-]+$/u.test(before[1])) return start;
    start = before.index;
  }
}

/** A unit of time is never part of a title: "a 15 minute event", "una reunión de 2 horas". */
const UNIT = /^(?:h|hrs?|hours?|horas?|mins?|minutes?|minutos?)$/;

const STOP_BEFORE_NOUN =
  /^(?:una?|la|el|los|las|the|an?|my|mi|some|otra?|another|new|nueva?|nuevo|de|del|para|for|to|con|with|y|and|que|i|yo|quiero|want|need|necesito|agenda\w*|programa\w*|pon\w*|reserva\w*|bloquea\w*|book|schedule|set|up|block|crea\w*|create|add|organi[sz]e|grab|have|tener|tengo|hay|hazme|haz|oye|please|pls|porfa|me|te|nos|can|you|could|puedes|podrias)$/;
const NAMED_KIND = /^(.*?\b(?:review|reviews|revision|demo|retro|standup|daily|entrevista|interview|presentacion|presentation|workshop|taller|sesion|session)\b.*?)\s+(?:con|with|w\/)\s+/;

/** "sprint review with María" is the sprint review (María attends); "meeting with Ana" has no other name. */
function withoutCompany(found: Found | undefined): Found | undefined {
  if (!found) return found;
  const m = NAMED_KIND.exec(foldKeepLength(found.value));
  return m?.[1] && /^\p{Lu}/u.test(found.value.slice(m[0].length)) ? { ...found, value: found.value.slice(0, m[1].length) } : found;
}

/** "reserva media hora mañana para la daily", "block 3 hours to review contracts": the purpose is the title. */
function purpose(text: string, folded: string, claims: Claims): Found | undefined {
  for (const m of [...folded.matchAll(/\s(?:para|for|to|sobre|about)\s+/g)].reverse()) {
    if (claims[m.index + 1]) continue;
    const found = cut(text, m.index + m[0].length, claims);
    const value = found?.value.replace(ARTICLE, '');
    if (found && value && !/^\p{Lu}[\p{L}'’-]*$/u.test(value) && !GENERIC_EVENT.test(foldKeepLength(value))) return { ...found, value };
  }
  return undefined;
}

function afterBookingVerb(text: string, folded: string, claims: Claims): Found | undefined {
  for (const m of folded.matchAll(BOOKING_VERB)) {
    const found = cut(text, skipLead(folded, m.index + m[0].length, claims), claims);
    const value = found?.value.replace(ARTICLE, '');
    // "book me with pedro", "ponme con Luis": whom it is with, but not what it is; the question asks for the title.
    if (value && ONLY_COMPANY.test(foldKeepLength(value))) return undefined;
    if (found && value && !GENERIC_EVENT.test(foldKeepLength(value))) return { ...found, value };
  }
  return undefined;
}

const ONLY_COMPANY = /^(?:(?:me|nos|us|a meeting|time)\s+)?(?:con|with|w\/)\s/;

/** Verbs of changing or cancelling: the words before an event noun that do not name it ("cancel sprint retro"). */
const STOP_BEFORE_REFERENCE = new RegExp(
  `${STOP_BEFORE_NOUN.source.slice(0, -2)}|mueve\\w*|muev\\w*|mover|move|cancel\\w*|borra\\w*|elimina\\w*|delete|remove|quita\\w*|anula\\w*|drop|off|reschedule|reprograma\\w*|reagenda\\w*|cambia\\w*|change|rename|renombra\\w*|pasa\\w*|push|retrasa\\w*|atrasa\\w*|adelanta\\w*|pospon\\w*|postpone|delay|shift|bring|forward|titulo|title|nombre|name)$`,
);
/** "evento"/"event" says what kind of thing, never which: "el evento Comité" is Comité, "the Board event" Board. */
const META_NOUN = /^(?:evento|event)\s+(?:(?:called|named|titled|llamad[oa]|titulad[oa]|de|del|de la|para|for|the|el|la)\s+)*|\s+(?:evento|event)$/i;

/** The event an update or delete is about: "la reunión de Daniela", "Daniela's meeting", "the client demo", "el evento Comité". */
export function findEventReference(text: string, claims: Claims): Found | undefined {
  const possessive = /(\p{Lu}[\p{L}-]*(?:'s|’s)\s+(?:meeting|call|appointment|event|standup))/u.exec(text);
  if (possessive?.[1]) return { value: possessive[1], index: possessive.index, length: possessive[1].length };
  const folded = foldKeepLength(text);
  const m = EVENT_NOUN.exec(folded);
  if (!m) return undefined;
  const local = claims.slice();
  // "retrasa la daily una hora": an amount of time is the change, not the event's name.
  for (const d of findDurations(text)) claim(local, d);
  // A reference ends where the change begins: "… a mañana", "… al martes", "… to friday".
  // "la reunión con Pedro pásala al jueves": the verb said after the event ends its name too.
  const change = /\s(?:(?:a|al|para|to|hasta|until|como|as)\s|(?:pasa|mueve|cambia|cancela|borra|elimina|quita|retrasa|adelanta)l[ao]s?\b|que\s+(?:dure|sea)\b)/.exec(folded.slice(m.index));
  if (change) for (let i = m.index + change.index; i < local.length; i++) local[i] = true;
  const cutAt = cut(text, leadingWords(folded, m.index, local, STOP_BEFORE_REFERENCE), local);
  // "push the standup back", "bring the call forward": the direction of the move is no part of the name.
  const found = cutAt && { ...cutAt, value: cutAt.value.replace(/\s+(?:back|forward|later|earlier)$/i, '') };
  if (!found) return undefined;
  const named = found.value.replace(META_NOUN, '').trim();
  if (named && named !== found.value && !GENERIC_EVENT.test(foldKeepLength(named))) return { ...found, value: named };
  if (!GENERIC_EVENT.test(foldKeepLength(found.value))) return found;
  // "mi reunión de mañana con el comité": past the day, the committee is what names it.
  return namedAfterDay(text, folded, found, local);
}

/** "reunión [de mañana] con el comité", "meeting [on friday] with the board": the group after the day names the event. */
function namedAfterDay(text: string, folded: string, found: Found, claims: Claims): Found | undefined {
  let at = found.index + found.length;
  let day = false;
  for (let step = folded.slice(at); at < folded.length; step = folded.slice(at)) {
    const filler = FILLER.exec(step);
    if (claims[at]) {
      day = true;
      at++;
    } else if (filler) at += filler[0].length;
    else break;
  }
  const group = /^(?:con|with)\s+(?:el|la|los|las|the)\s+/.exec(folded.slice(at));
  if (!day || !group) return undefined;
  // "mueve la reunión" names no event: the question asks which one.
  return cut(text, at + group[0].length, claims);
}
