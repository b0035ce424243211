import * as chrono from 'chrono-node';
import * as chronoEs from 'chrono-node/es';
import { fold } from './text.js';
import { correctTypos } from './typos.js';

const REFERENCE = { instant: new Date(Date.UTC(2024, 0, 1, 12)) };

/** Folded word prefixes that tell what the user wants done and to what kind of thing. */
const ACTION_CUES: Record<string, readonly string[]> = {
  create: ['crea', 'agreg', 'anad', 'nuev', 'registr', 'genera', 'anota', 'arma', 'alta', 'invit', 'create', 'add', 'new', 'make', 'log', 'register', 'invite', 'onboard'],
  schedule: ['agend', 'program', 'reserv', 'organiz', 'cita', 'schedul', 'book', 'block', 'calendar'],
  update: ['cambi', 'muev', 'mover', 'reprogram', 'reagend', 'pasa', 'atras', 'adelant', 'pospon', 'move', 'reschedul', 'push', 'change', 'postpon', 'renam'],
  delete: ['cancel', 'elimin', 'borr', 'anul', 'quit', 'delet', 'remov', 'drop'],
  query: ['que', 'cual', 'cuant', 'muestr', 'lista', 'dame', 'tengo', 'show', 'list', 'what', 'which', 'many', 'give'],
  knowledge: ['como', 'proceso', 'politic', 'explic', 'busca', 'document', 'how', 'process', 'policy', 'explain', 'search', 'docs', 'decid', 'decision'],
  task: ['tarea', 'task', 'to-do', 'todo', 'pendiente'],
  project: ['proyecto', 'project'],
  user: ['usuari', 'user', 'cuenta', 'account'],
  meeting: ['reunion', 'meeting', 'junta', 'cita', 'llamada', 'call', 'evento', 'event', 'appointment', 'standup'],
  greet: ['hola', 'gracias', 'buen', 'adios', 'hasta', 'hi', 'hello', 'hey', 'thank', 'bye', 'morning', 'afternoon'],
};

const REQUEST_ACTIONS = ['create', 'schedule', 'update', 'delete', 'query'];
const REQUEST_OBJECTS = ['task', 'project', 'user', 'meeting'];

function cuesOf(text: string): Set<string> {
  const words = fold(text).split(' ');
  return new Set(Object.entries(ACTION_CUES).flatMap(([action, prefixes]) => (words.some((w) => prefixes.some((p) => w.startsWith(p))) ? [action] : [])));
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
  const words = fold(text).split(' ');
  const cues: string[] = [];
  for (const [action, prefixes] of Object.entries(ACTION_CUES)) {
    if (words.some((w) => prefixes.some((p) => w.startsWith(p)))) cues.push(`zzcue${action}`, `zzcue${action}`);
  }
  return cues;
}

/**
 * What the intent classifier embeds: the text without what says nothing about intent (emails,
 * numbers, dates, capitalised names inside the sentence) plus action cues ("cancela" and "delete"
 * both add the `delete` cue), so the verb weighs more than the shared nouns.
 */
export function intentFeatures(said: string): string {
  const text = correctTypos(said).text;
  let masked = text.replace(/\S+@\S+/g, ' ');
  for (const parser of [chronoEs.casual, chrono.casual]) {
    for (const r of parser.parse(masked, REFERENCE)) masked = masked.slice(0, r.index) + ' '.repeat(r.text.length) + masked.slice(r.index + r.text.length);
  }
  masked = masked.replace(/(?<=\S\s+)\p{Lu}[\p{L}'’]*/gu, ' ').replace(/\d+/g, ' ');
  return [masked, ...actionCues(text)].join(' ').replace(/\s+/g, ' ').trim();
}
