import * as chrono from 'chrono-node';
import * as chronoEs from 'chrono-node/es';
import { fold } from './text.js';
import { correctTypos } from './typos.js';

const REFERENCE = { instant: new Date(Date.UTC(2024, 0, 1, 12)) };

/** Folded word prefixes that tell what the user wants done and to what kind of thing. */
const ACTION_CUES: Record<string, readonly string[]> = {
  create: ['crea', 'agreg', 'anad', 'nuev', 'registr', 'genera', 'anota', 'arma', 'alta', 'invit', 'create', 'add', 'new', 'make', 'log', 'register', 'invite', 'onboard'],
  schedule: ['agend', 'program', 'reserv', 'organiz', 'cita', 'schedul', 'book', 'block', 'calendar', 'set up', 'grab'],
  update: ['cambi', 'muev', 'mover', 'reprogram', 'reagend', 'pasa', 'atras', 'retras', 'adelant', 'pospon', 'move', 'reschedul', 'push', 'change', 'postpon', 'renam', 'renombr', 'delay'],
  delete: ['cancel', 'elimin', 'borr', 'anul', 'quit', 'delet', 'remov', 'drop', 'call off'],
  // "que" alone: "quedamos" asks nothing.
  // Verbs of finishing, not the adjectives a list filters by ("tareas completadas").
  complete: ['completa$', 'completar$', 'complete$', 'termina$', 'terminar$', 'termine$', 'acab', 'cierra', 'finish', 'done$', 'close', 'marca$', 'mark$'],
  query: ['que$', 'cuando$', 'when$', 'any', 'do i have', 'am i', 'cual', 'cuant', 'muestr', 'lista', 'dame', 'tengo', 'show', 'list', 'what', 'which', 'many', 'give'],
  knowledge: ['como', 'proceso', 'politic', 'explic', 'busca', 'document', 'how', 'process', 'policy', 'explain', 'search', 'docs', 'decid', 'decision'],
  task: ['tarea', 'task', 'to-do', 'todo', 'pendiente'],
  project: ['proyecto', 'project'],
  user: ['usuari', 'user', 'cuenta', 'account'],
  meeting: ['reunion', 'meeting', 'mtg', 'junta', 'cita', 'llamada', 'call', 'video', 'evento', 'event', 'appointment', 'standup', 'sync', 'retro', 'daily', 'cafe', 'coffee', 'lunch', 'almuerz', 'entrevist', 'interview', 'workshop', 'taller'],
  greet: ['hola', 'gracias', 'buen', 'adios', 'hasta', 'hi', 'hello', 'hey', 'thank', 'bye', 'morning', 'afternoon'],
};

const REQUEST_ACTIONS = ['create', 'schedule', 'update', 'delete', 'query'];
const REQUEST_OBJECTS = ['task', 'project', 'user', 'meeting'];

/** A cue is a word's beginning ("cancel" in "cancela"), a whole word ("que$") or two words ("set up"). */
function says(words: readonly string[], joined: string, cue: string): boolean {
  if (cue.includes(' ')) return ` ${joined} `.includes(` ${cue} `);
  if (cue.endsWith('$')) return words.includes(cue.slice(0, -1));
  return words.some((w) => w.startsWith(cue));
}

function cuesOf(text: string): Set<string> {
  const joined = fold(text);
  const words = joined.split(' ');
  return new Set(Object.entries(ACTION_CUES).flatMap(([action, cues]) => (cues.some((c) => says(words, joined, c)) ? [action] : [])));
}

/**
 * Whether a message reads as a request of its own: a verb ("crea", "cancel", "¿qué…?") and a thing
 * ("tarea", "meeting"). An answer to a question ("revisar presupuesto", "Website", "prioridad alta")
 * has at most one of the two.
 */
export function isStandaloneRequest(text: string): boolean {
  const cues = cuesOf(correctTypos(text).text);
  return REQUEST_ACTIONS.some((a) => cues.has(a)) && REQUEST_OBJECTS.some((o) => cues.has(o));
}

function actionCues(text: string): string[] {
  return [...cuesOf(text)].flatMap((action) => [`zzcue${action}`, `zzcue${action}`]);
}

/**
 * What the intent classifier embeds: the text without what says nothing about intent (emails,
 * numbers, dates, capitalised names inside the sentence) plus action cues ("cancela" and "delete"
 * both add the `delete` cue), so the verb weighs more than the shared nouns.
 */
export function intentFeatures(said: string): string {
  const text = correctTypos(said).text;
  // A quoted title and "pasado mañana" say nothing about the intent ("pasado" is no "pasa la reunión a…").
  let masked = text.replace(/\S+@\S+|(?<![\p{L}\p{N}])'[^']+'(?![\p{L}\p{N}])|"[^"]+"|«[^»]+»|“[^”]+”/gu, (m) => ' '.repeat(m.length));
  // Cues come from what is left once dates are out ("tomorrow afternoon" greets no one, "pasado mañana" moves nothing).
  let cueText = masked.replace(/\bpasado(?=\s+ma[nñ]ana\b)/giu, (m) => ' '.repeat(m.length));
  const blank = (s: string, from: number, length: number) => s.slice(0, from) + ' '.repeat(length) + s.slice(from + length);
  for (const parser of [chronoEs.casual, chrono.casual]) {
    for (const r of parser.parse(masked, REFERENCE)) {
      masked = blank(masked, r.index, r.text.length);
      cueText = blank(cueText, r.index, r.text.length);
    }
  }
  const cues = actionCues(cueText);
  // What a masked date leaves ("today's tasks" → "'s tasks") is no word.
  masked = masked.replace(/(?<=\S\s+)\p{Lu}[\p{L}'’]*/gu, ' ').replace(/\d+/g, ' ').replace(/(?<!\S)['’]s\b/g, ' ');
  return [masked, ...cues].join(' ').replace(/\s+/g, ' ').trim();
}
