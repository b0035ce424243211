import type { Found } from './fields.js';
import { cutTitle, TRAILING, type Claims } from './phrases.js';
import { foldKeepLength } from './text.js';

const TASK_NOUN = /\b(?:tareas?|tasks?|to-dos?|todos?|pendientes?)\b/g;
/** What may sit between the task noun and its title: "tarea [nueva] [para] …", "the task [of] …", "task [:] …". */
const LEAD_WORD = /^(?:(?:for|para)\s+(?:me|mi|mí)(?:\s+to)?|->|→|=>|:|-|—|para|de|del|que|sobre|to|for|of|about|called|named|titled|llamada|llamado|titulada|titulado|nueva|nuevo|new|otra|another)(?=[\s:]|$)/;
/** A preposition or article whose object another argument took: "con [prioridad media]", "en [Apolo]", "for [Sarah]", "due [tomorrow]", "el [10 de enero]". */
const CLAIMED_PREPOSITION = /^(?:(?:con|with|en|in|de|del|para|for|a|al|to|by|on|at|y|and|due|vence|vencimiento)\s+)?(?:(?:el|la|the)\s+)?/;
/** Where a title stops when nothing claimed stops it first. */
const STOP =
  /[,.;!?\n|]|\s[-–—]\s|(?:^|\s)(?:y\s+|and\s+)?(?:asign|con prioridad|prioridad\b|priority\b|due\b|antes de|before\b|by\b|en el proyecto|para el proyecto|in (?:the )?project|y que|and make|(?:como|as)\s+(?:una?\s+|an?\s+)?(?:tarea|task|pendiente|to-?do)\b)/;
/** "Luis tiene que revisar…", "hay que llamar…", "Ana needs to review…": what someone must do is the title. */
const OBLIGATION = /\b(?:tiene que|tienes que|tenemos que|tengo que|hay que|gotta|got to|debe|deberia|has to|have to|needs to|need to|must|should|(?:necesito|necesitamos|quiero|queremos) que|(?:i|we) (?:need|want))\s+/g;
/** Verbs of adding that take the thing to do straight after them: "apunta llamar al proveedor", "add update the page to Website". */
const ADDING_VERB = /\b(?:agrega\w*|anade\w*|anota\w*|apunta\w*|recuerdame|recordame|remind me|add|put|jot down|note down)\b/g;
/** Verbs that create the task rather than name what to do ("hay que crear una tarea…"). */
const CREATING = /^(?:crea\w*|agrega\w*|anad\w*|pon\w*|haz\w*|create|add|make|put|open|log|give)\b/;
/** A request's own words before its title, when the task noun itself was mistyped: "crea una tare para …". */
const REQUEST_LEAD = /^(?:(?:porfa|please|pls|oye|hey)\s+)?(?:crea\w*|agrega\w*|anade\w*|apunta\w*|anota\w*|pon\w*|haz\w*|create|add|make|put|open)\s+(?:(?:una?|la|el|a|an|the|me|le)\s+)?\S+\s+(?:para|de|que|to|for|of)\s+/;
const CLAUSE_LEAD = /^(?:(?:->|→|=>|[-–—])\s*)?(?:(?:para|de|que|to|for|a|el|la|y|and|please|pls|porfa)\s+)*/i;
const CONNECTIVE = /^(?:para|de|del|en|el|la|los|las|y|for|by|on|in|the|due|and|hasta|until)$/;
/** A colon that opens a title, not one inside a time ("18:30"). */
const COLON = /(?<!\d):(?!\d)/g;

const cut = (text: string, start: number, claims: Claims): Found | undefined => cutTitle(text, start, claims, STOP);

/** Past the words between a noun and its title and past what other arguments took. */
function skipLead(folded: string, from: number, claims: Claims): number {
  let at = from;
  for (let moved = true; moved; ) {
    const start = at;
    // "crea una tarea en ventas, preparar la oferta": a comma after what other arguments took opens the title.
    while (at < folded.length && (claims[at] || folded[at] === ' ' || (folded[at] === ',' && at > from))) at++;
    const rest = folded.slice(at);
    const lead = LEAD_WORD.exec(rest);
    if (lead) at += lead[0].length;
    else {
      const preposition = CLAIMED_PREPOSITION.exec(rest);
      if (preposition && claims[at + preposition[0].length]) at += preposition[0].length;
    }
    moved = at !== start;
  }
  return at;
}

/** Is `value` nothing but a capitalised name ("para Ana")? Then it is a person, not a title. */
function onlyAName(value: string): boolean {
  // A pronoun names nothing either: "add it as a task" says the work elsewhere.
  return /^\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)?$/u.test(value) || /^(?:it|this|that|lo|la|eso|esto)$/i.test(value);
}

function titleAt(text: string, folded: string, from: number, claims: Claims): Found | undefined {
  const found = cut(text, skipLead(folded, from, claims), claims);
  return found && !onlyAName(found.value) ? found : undefined;
}

/**
 * What to do, wherever the request puts it: after a colon that closes the request's lead ("tarea nueva en Apolo
 * para Ana: preparar la presentación", "Intranet task: review the contract"), after the task noun ("una tarea para
 * revisar el contrato", "the task of fixing the bug"), after what someone must do ("Luis tiene que revisar…"),
 * after a verb of adding ("apunta llamar al proveedor"), or, with no task noun, the first clause nothing else took.
 */
export function findTaskTitle(text: string, claims: Claims): Found | undefined {
  const folded = foldKeepLength(text);
  const nouns = [...folded.matchAll(TASK_NOUN)];
  return (
    afterColon(text, folded, claims, nouns) ??
    nouns.reduce<Found | undefined>((found, m) => found ?? titleAt(text, folded, m.index + m[0].length, claims), undefined) ??
    // What must be done is a verb, never "a new task" ("I need a new task").
    afterVerb(text, folded, claims, OBLIGATION, (rest) => !CREATING.test(rest.replace(/^(?:to|que)\s+/, '')) && !/^(?:una?|a|an|the|la|el|otra|another|new|nueva)\b/.test(rest)) ??
    afterVerb(text, folded, claims, ADDING_VERB, (rest) => !/^(?:una?|a|an|the|la|el)\s+(?:tareas?|tasks?)\b/.test(rest)) ??
    (nouns.length ? undefined : unclaimedClause(text, claims))
  );
}

/** "…tarea…: título": the colon ends a lead that names the task (or that other arguments took entirely). */
function afterColon(text: string, folded: string, claims: Claims, nouns: readonly RegExpMatchArray[]): Found | undefined {
  for (const m of folded.matchAll(COLON)) {
    if (claims[m.index]) continue;
    const named = nouns.some((n) => (n.index ?? Infinity) < m.index);
    // "para el viernes: …", "Intranet: …": every word before the colon was another argument or a connector.
    const words = [...folded.slice(0, m.index).matchAll(/[\p{L}\p{N}]+/gu)];
    const taken = words.every((w) => claims[w.index] || CONNECTIVE.test(w[0]));
    if (!named && !taken) return undefined;
    const found = titleAt(text, folded, m.index + 1, claims);
    if (found) return found;
  }
  return undefined;
}

function afterVerb(text: string, folded: string, claims: Claims, verb: RegExp, accepts: (rest: string) => boolean): Found | undefined {
  for (const m of folded.matchAll(verb)) {
    const at = m.index + m[0].length;
    if (claims[m.index] || !accepts(folded.slice(at).trimStart())) continue;
    const found = titleAt(text, folded, at, claims);
    if (found) return { ...found, value: found.value.replace(/\s+(?:a|al|to|en|in)$/i, '') };
  }
  return undefined;
}

/** The first unclaimed clause of two words or more: what is left once project, dates and people are read. */
function unclaimedClause(text: string, claims: Claims): Found | undefined {
  let start = -1;
  const clauses: Found[] = [];
  const close = (end: number) => {
    if (start < 0) return;
    const raw = text.slice(start, end);
    const lead = REQUEST_LEAD.exec(foldKeepLength(raw.trimStart()));
    const value = (lead ? raw.trimStart().slice(lead[0].length) : raw).trim().replace(CLAUSE_LEAD, '').replace(TRAILING, '').trim();
    if (value.split(/\s+/).length >= 2 && /\p{L}/u.test(value)) clauses.push({ value, index: start, length: end - start });
    start = -1;
  };
  for (let i = 0; i <= text.length; i++) {
    const boundary = i === text.length || claims[i] || /[:;,.()!?]/.test(text[i] ?? '');
    if (boundary) close(i);
    else if (start < 0) start = i;
  }
  return clauses[0];
}
