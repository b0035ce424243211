import type { Found } from './fields.js';
import { foldKeepLength } from './text.js';

/** Character positions other extractors already read (dates, project, assignee…). */
export type Claims = boolean[];

export function claim(claims: Claims, found: { index: number; length: number } | undefined): void {
  if (!found) return;
  for (let i = found.index; i < found.index + found.length && i < claims.length; i++) claims[i] = true;
}

const TASK_NOUN = /\b(?:tareas?|tasks?|to-dos?|todos?|pendientes?)\b/g;
const EVENT_NOUN = /\b(?:reunion(?:es)?|juntas?|citas?|llamadas?|eventos?|meetings?|calls?|appointments?|events?|standups?|demos?|presentacion|presentation)\b/;
const CONNECTOR = /^\s*(?::|-|—|para|de|que|sobre|to|for|about|called|named|titled|llamada|llamado|titulada|titulado)?\s*/;
/** Where a title stops when nothing claimed stops it first. */
const STOP = /[,.;!?\n]|\s(?:y\s+)?(?:asign|con prioridad|prioridad|priority|due\b|antes de|before\b|by\b|en el proyecto|para el proyecto|in (?:the )?project|y que|and make)/;
const TRAILING = /(?:\s+(?:para|en|el|la|los|las|a|de|del|al|con|y|que|to|for|in|at|by|on|the|and|with|of|from))+\s*$/i;

function cut(text: string, start: number, claims: Claims): Found | undefined {
  const folded = foldKeepLength(text);
  let end = start;
  while (end < text.length && !claims[end]) end++;
  const stop = STOP.exec(folded.slice(start, end));
  if (stop) end = start + stop.index;
  const raw = text.slice(start, end);
  const value = ` ${raw}`.replace(TRAILING, '').trim().replace(/^["'«“]|["'»”]$/g, '');
  if (!value || !/\p{L}/u.test(value)) return undefined;
  return { value, index: start, length: end - start };
}

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

/** Is `value` nothing but a capitalised name ("para Ana")? Then it is a person, not a title. */
function onlyAName(value: string): boolean {
  return /^\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)?$/u.test(value);
}

/** What to do, said after the task noun: "una tarea para revisar el contrato mañana…" → "revisar el contrato". */
export function findTaskTitle(text: string, claims: Claims): Found | undefined {
  const folded = foldKeepLength(text);
  for (const m of folded.matchAll(TASK_NOUN)) {
    const found = cut(text, skipLead(folded, m.index + m[0].length, claims), claims);
    if (found && !onlyAName(found.value)) return found;
  }
  return undefined;
}

/** An event's title from the text: the event noun and whom or what it is with ("reunión con Ana"). */
export function findEventTitle(text: string, claims: Claims): Found | undefined {
  const folded = foldKeepLength(text);
  const m = EVENT_NOUN.exec(folded);
  if (!m) return undefined;
  const found = cut(text, m.index, claims);
  return found && found.value.includes(' ') ? found : undefined;
}

/** The event an update or delete is about: "la reunión de Daniela", "Daniela's meeting". */
export function findEventReference(text: string, claims: Claims): Found | undefined {
  const possessive = /(\p{Lu}[\p{L}-]*(?:'s|’s)\s+(?:meeting|call|appointment|event|standup))/u.exec(text);
  if (possessive?.[1]) return { value: possessive[1], index: possessive.index, length: possessive[1].length };
  const folded = foldKeepLength(text);
  const m = EVENT_NOUN.exec(folded);
  if (!m) return undefined;
  const local = claims.slice();
  // A reference ends where the change begins: "… a mañana", "… al martes", "… to friday".
  const change = /\s(?:a|al|para|to|hasta|until)\s/.exec(folded.slice(m.index));
  if (change) for (let i = m.index + change.index; i < local.length; i++) local[i] = true;
  return cut(text, m.index, local);
}
