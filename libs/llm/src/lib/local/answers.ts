import type { KnownNames, Locale, NowContext } from '../llm.types.js';
import { findDates } from './dates.js';
import { findDurations } from './fields.js';
import { isStandaloneRequest } from './intent.mask.js';
import { ruledIntent } from './intent.rules.js';
import { fold, foldKeepLength } from './text.js';

/** The lead of a change of mind: "mejor", "no, mejor", "actually", "en vez de eso", "better". */
const INSTEAD = /^\s*(?:(?:no|nah|bueno|vale|ok|uy|oh|hmm+|wait|espera)\s*[,.!]*\s*)*(?:mejor|better|actually|instead|en vez de eso|en lugar de eso|pensandolo bien|on second thought|mejor dicho)\s*[,.:!]*\s*/;
/** A thing to make said without the verb ("un usuario: …", "a task for …"): the verb of the request it replaces is implied. */
const BARE_OBJECT = /^(?:(?:una?|otra?|a|an|another)\s+)(?:(?:nuev[oa]|new)\s+)?(tareas?|tasks?|proyectos?|projects?|usuari[oa]s?|users?|reunion\w*|meetings?|llamadas?|calls?)\b/;

/**
 * "no, mejor un usuario: Carla Brimvale, carla@…", "mejor hazme una tarea: …": a new request that replaces the one
 * under way, without its lead, so it is read as a request of its own. Undefined when the message is no such thing
 * ("no, mejor el viernes" corrects an answer; it stays as it is).
 */
export function requestInstead(text: string, locale: Locale): string | undefined {
  const folded = foldKeepLength(text.toLowerCase());
  const lead = INSTEAD.exec(folded);
  if (!lead || lead[0].length === 0 || lead[0].length >= text.length) return undefined;
  const rest = text.slice(lead[0].length).trim();
  if (isStandaloneRequest(rest) || ruledIntent(rest) !== undefined) return rest;
  const object = BARE_OBJECT.exec(fold(rest));
  if (!object?.[1]) return undefined;
  const meeting = /^(?:reunion|meeting|llamada|call)/.test(object[1]);
  const verb = meeting ? (locale === 'en' ? 'schedule' : 'agenda') : locale === 'en' ? 'create' : 'crea';
  return `${verb} ${rest}`;
}

/** "11", "a las 11", "las 12h", "at 3": an hour and nothing else, the answer to "¿a qué hora?". */
const BARE_HOUR = /^\s*(?:(?:a\s+)?las\s+|at\s+)?(\d{1,2})(?:[:.h](\d{2}))?\s*(?:h|hs|horas?)?\s*[.!]?\s*$/i;

/** A bare hour as a phrase the date reader takes for a time of day ("11" → "a las 11", "at 11"). */
export function hourPhrase(text: string, locale: Locale): string | undefined {
  const m = BARE_HOUR.exec(text);
  const hour = Number(m?.[1]);
  if (!m || !(hour >= 0 && hour <= 23)) return undefined;
  const time = m[2] ? `${hour}:${m[2]}` : String(hour);
  return locale === 'en' ? `at ${time}` : `a las ${time}`;
}

/** "sorry, I meant Pedro", "perdón, quería decir Website", "no, con Luis": the name said in place of an earlier one. */
const MEANT = /^\s*(?:(?:no|nope|sorry|perdon|perdona|uy|oops|ups|ay|wait|espera|err|eh)\b\s*[,.!]*\s*)*(?:i\s+meant|i\s+mean|meant|quise\s+decir|queria\s+decir|me\s+referia\s+a|digo|es|it'?s|no\s+es|mejor|better|rather|actually)?\s*(?:a\s+|con\s+|with\s+|para\s+|for\s+|en\s+|in\s+)?(.+?)\s*[.!]*\s*$/d;
const CORRECTING = /^\s*(?:(?:no|nope|sorry|perdon|perdona|uy|oops|ups|ay|wait|espera)\b|(?:i\s+)?meant\b|quise\s+decir|queria\s+decir|me\s+referia)/;

export interface NamedCorrection {
  kind: 'user' | 'project';
  /** The name as the user wrote it now. */
  said: string;
  /** What the message says after the name ("…, para el lunes"), read as any answer is. */
  rest: string;
}

/** The tenant's user (whole or first name) or project a correction names first; undefined when the message is no such correction. */
export function namedCorrection(text: string, known: KnownNames | undefined): NamedCorrection | undefined {
  const folded = foldKeepLength(text.toLowerCase());
  if (!known || !CORRECTING.test(folded)) return undefined;
  const from = MEANT.exec(folded)?.indices?.[1]?.[0];
  if (from === undefined) return undefined;
  const said = folded.slice(from);
  const names = [
    ...known.users.flatMap((u) => [u, u.split(/\s+/)[0] ?? u]).map((n) => ({ n, kind: 'user' as const })),
    ...known.projects.map((n) => ({ n, kind: 'project' as const })),
  ];
  const found = names
    .map((c) => ({ ...c, key: foldKeepLength(c.n.toLowerCase()) }))
    .filter((c) => said.startsWith(c.key) && !/[\p{L}\p{N}]/u.test(said.charAt(c.key.length)))
    .sort((a, b) => b.key.length - a.key.length)[0];
  if (!found) return undefined;
  return { kind: found.kind, said: text.slice(from, from + found.key.length), rest: text.slice(from + found.key.length).replace(/^[\s,.;:!]+/, '') };
}

const wordRe = (word: string) => new RegExp(String.raw`(^|[^\p{L}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[^\p{L}])`, 'iu');

/**
 * The arguments after a correction of a name: the person said before gives way to the one said now, wherever the
 * request put them (assignee, attendee, the title "call with john" → "call with Pedro"); a project, the project.
 */
export function withCorrectedName(args: Record<string, unknown>, correction: NamedCorrection): Record<string, unknown> {
  if (correction.kind === 'project') return args['project'] === undefined && args['name'] !== undefined ? args : { ...args, project: correction.said };
  const out = { ...args };
  const attendees = Array.isArray(args['attendees']) ? (args['attendees'] as unknown[]) : [];
  const before = typeof args['assignee'] === 'string' && args['assignee'] !== 'me' ? args['assignee'] : attendees.length === 1 && typeof attendees[0] === 'string' ? attendees[0] : undefined;
  if (before === undefined) return out;
  if (typeof args['assignee'] === 'string' && args['assignee'] !== 'me') out['assignee'] = correction.said;
  if (attendees.length === 1) out['attendees'] = [correction.said];
  if (typeof args['title'] === 'string') out['title'] = args['title'].replace(wordRe(before), (_, lead: string) => `${lead}${correction.said}`);
  return out;
}

/** Free text a request already has: an answer's loose words do not take its place ("el viernes, y asígnasela a luis" is no title). */
const KEPT_ONCE_SAID = ['title', 'description'];
/** An answer that renames: "el título es …", "call it …". */
const RENAMES = /\b(?:titulo|title|llamal[ao]|call\s+it|name\s+it|ponle\s+de\s+nombre|que\s+se\s+llame)\b/;

export function answerArguments(args: Record<string, unknown>, answered: Record<string, unknown>, text: string, expecting: string | undefined): Record<string, unknown> {
  if (RENAMES.test(foldKeepLength(text.toLowerCase()))) return answered;
  return Object.fromEntries(Object.entries(answered).filter(([k]) => !(KEPT_ONCE_SAID.includes(k) && args[k] !== undefined && k !== expecting)));
}

/** A closing that names a day or thanks for one ("hasta el lunes", "see you tomorrow", "gracias por lo de hoy", "good morning"): no answer. */
const CLOSING = /\b(?:hasta|nos vemos|see you|see ya|talk (?:to you|soon)|bye|adios|chao|chau|buen(?:a|as|os)?\s+(?:fin|finde|dia|dias|tarde|tardes|noche|noches)|have a (?:nice|good|great)|good\s+(?:morning|afternoon|evening|night|day)|enjoy|feliz|happy|por lo de|for today|por hoy|for now|por ahora|por la ayuda|for the help|por todo)\b/;
const REFERENCE: NowContext = { timezone: 'UTC', now: new Date(Date.UTC(2024, 0, 1, 12)) };
const PRIORITY = /\b(?:urgente|urgent|asap|prioridad|priority|prio|importante|important|no corre prisa|no rush)\b/;

/**
 * Whether a message that reads like small talk gives a fact an open question could be waiting for: a day or time
 * ("el jueves a las 10, que dure media hora", "friday thx"), a priority ("ah, y que sea urgente"), a length. A closing
 * that names a day ("gracias, hasta el lunes") gives none.
 */
export function saysAFact(text: string): boolean {
  const folded = foldKeepLength(text.toLowerCase());
  if (CLOSING.test(folded)) return false;
  return PRIORITY.test(folded) || findDurations(text).length > 0 || findDates(text, REFERENCE).length > 0;
}

/** "vale, la tarea es preparar el kickoff y es para el lunes": the words that only announce the answer. */
const ANNOUNCED = /^\s*(?:(?:vale|ok|okay|bueno|pues|sure|claro|si|yes|yeah|entonces|so)\s*[,.!]?\s+)*(?:la tarea (?:es|seria|sera)|el titulo (?:es|seria|sera)|the task(?:'s| is| will be)|the title(?:'s| is| will be))\s*:?\s*/;
const AND_IT_IS = /\s+(?:y es|y sera|and it'?s|and it is)\s+(?=para|por|due|for|by|on|el|la)/g;

/** An answer as its facts: the announcement left out, "… y es para el lunes" read as "… para el lunes". */
export function answerWords(text: string): string {
  const folded = foldKeepLength(text.toLowerCase());
  const lead = ANNOUNCED.exec(folded);
  const from = lead ? lead[0].length : 0;
  let out = text.slice(from);
  for (const m of [...foldKeepLength(out.toLowerCase()).matchAll(AND_IT_IS)].reverse()) out = `${out.slice(0, m.index)}, ${out.slice(m.index + m[0].length)}`;
  return out;
}
