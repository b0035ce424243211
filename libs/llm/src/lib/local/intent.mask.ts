import * as chrono from 'chrono-node';
import * as chronoEs from 'chrono-node/es';
import { fold, foldKeepLength } from './text.js';
import { correctTypos } from './typos.js';

const REFERENCE = { instant: new Date(Date.UTC(2024, 0, 1, 12)) };

/** Folded word prefixes that tell what the user wants done and to what kind of thing. */
const ACTION_CUES: Record<string, readonly string[]> = {
  create: ['crea', 'agreg', 'anad', 'nuev', 'registr', 'genera', 'anota', 'arma', 'alta', 'invit', 'create', 'add', 'new', 'make', 'log', 'register', 'invite', 'onboard'],
  schedule: ['agend', 'program', 'reserv', 'organiz', 'cita', 'schedul', 'book', 'block', 'bloque', 'calendar', 'set up', 'grab'],
  update: ['cambi', 'muev', 'mover', 'reprogram', 'reagend', 'pasa', 'atras', 'retras', 'adelant', 'pospon', 'move', 'reschedul', 'push', 'change', 'postpon', 'renam', 'renombr', 'delay'],
  delete: ['cancel', 'elimin', 'borr', 'anul', 'quit', 'delet', 'remov', 'drop', 'call off'],
  // "que" alone: "quedamos" asks nothing.
  // Verbs of finishing, not the adjectives a list filters by ("tareas completadas").
  complete: ['completa$', 'completar$', 'complete$', 'termina$', 'terminar$', 'termine$', 'acab', 'cierra', 'finish', 'done$', 'close', 'marca$', 'mark$'],
  query: ['que$', 'cuando$', 'when$', 'any', 'do i have', 'am i', 'cual', 'cuant', 'muestr', 'lista', 'dame', 'tengo', 'show', 'list', 'what', 'which', 'many', 'give'],
  knowledge: ['como', 'proceso', 'politic', 'explic', 'busca', 'document', 'how', 'process', 'policy', 'explain', 'search', 'docs', 'decid', 'decision'],
  // Not 'todo': in Spanish it is "all" ("¿todo bien?", "todas las tareas"); the English to-do is read by its shape below.
  task: ['tarea', 'task', 'pendiente', 'due$', 'vence', 'overdue'],
  project: ['proyecto', 'project'],
  user: ['usuari', 'user', 'cuenta', 'account'],
  meeting: ['reunion', 'reunirme', 'reunirnos', 'meet$', 'meeting', 'mtg', 'junta', 'cita', 'llamada', 'call', 'video', 'evento', 'event', 'appointment', 'standup', 'sync', 'retro', 'daily', 'cafe', 'coffee', 'lunch', 'almuerz', 'comida', 'entrevist', 'interview', 'workshop', 'taller'],
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

const DAY_WORD = String.raw`(?:hoy|manana|pasado|lunes|martes|miercoles|jueves|viernes|sabado|domingo|fin de mes|semana|today|tomorrow|tmrw|monday|tuesday|wednesday|thursday|friday|saturday|sunday|end of|eod|eow|next|this|\d)`;

/**
 * Ways of asking that carry no verb or object keyword, read from the sentence's shape. Each is tested on the
 * message folded (lower case, no accents, punctuation kept) except the `raw` ones, which need a name's capital or an
 * accent ("mandé").
 * A `statement` cue is not read in a question or a goodbye: "what do I have due this week?" asks and "thanks, see you by
 * monday" says goodbye; neither sets a deadline.
 */
const NOT_A_STATEMENT = /^\s*¿|\?\s*$|^\s*(?:what|which|when|who|do|does|are|is|que|cual|cuales|cuando|quien|tengo|hay)\b|\b(?:gracias|thanks|thank you|hasta|nos vemos|see you|talk to you|bye|adios)\b/;
const SHAPE_CUES: ReadonlyArray<{ cue: string; re: RegExp; raw?: boolean; statement?: boolean }> = [
  // "… — migrar los usuarios el lunes", "revisar las nóminas…": a Spanish infinitive leading the clause is something to do.
  { cue: 'todo', re: /^(?:\s*[^\s:?¿,-]+(?:\s+[^\s:?¿,-]+){0,2}\s*(?::|\s[-–—]))?\s*\p{L}+(?:ar|er|ir)\s+(?:el|la|los|las|un|una|al|a|de|con)\s/u, statement: true },
  // "Intranet: revisar el contrato", "para el viernes: preparar la demo", "TODO: call the bank": a label, then what to do.
  { cue: 'label', re: /^\s*[^\s:?¿,-]+(?:\s+[^\s:?¿,-]+){0,2}\s*(?::|\s[-–—])\s*\p{L}/u, statement: true },
  // "para el jueves", "by friday", "due monday", "antes del lunes": a deadline, which tasks have and meetings do not.
  { cue: 'deadline', re: new RegExp(String.raw`^(?!.*(?:\b(?:a las?|at) \d|\d ?(?:am|pm|h)\b|\d:\d)).*(?:^|\s)(?:para(?: el| la| este| esta)?|antes del?|a mas tardar(?: el)?|by|due(?: on| by)?|before|no later than)\s+${DAY_WORD}`, 'u'), statement: true },
  // "necesito que Ana revise…", "I need Ana to review…", "have Luis call…": work handed to someone.
  { cue: 'delegate', raw: true, re: /\b(?:necesito|quiero|hace falta|pide(?:le)?|dile|diles)\s+(?:a\s+)?(?:que\s+)?\p{Lu}[\p{L}'’-]+\s+\p{Ll}|\b(?:need|want|get|ask|have|tell)\s+\p{Lu}[\p{L}'’-]+\s+(?:to\s+)?\p{Ll}/u },
  // "marcar como hecha la tarea…", "set it as done": a task to close, whatever the verb's form.
  { cue: 'finished', re: /\b(?:marc\w*|mark\w*|pon\w*|dej\w*|set)\b.*\b(?:como|as)\s+(?:hech[ao]s?|completad[ao]s?|terminad[ao]s?|cerrad[ao]s?|done|complete|completed|finished|closed)\b/u },
  // "ya mandé las facturas", "already sent the invoices": a job reported done in the past tense.
  { cue: 'finished', raw: true, re: /\b(?:[Yy]a\s+\p{L}+[éí]|[Aa]lready\s+\p{L}+|[Jj]ust\s+\p{L}+ed)\s+\p{L}/u },
  // "ya terminé de revisar…", "I finished the report", "done with the slides": something the user has done; what was
  // done must follow ("ya terminé, gracias" is a goodbye).
  { cue: 'finished', re: /\b(?:termine|acabe|complete|finalice|hice|he (?:terminado|acabado|hecho|completado|finalizado)|ya (?:esta|quedo)|finished|i'?ve (?:done|finished|completed)|i did|(?:i'?m|i am) done with|done with|completed)\s+\p{L}+\s+\p{L}/u },
  // "¿me ayudas?", "I have a question", "échame una mano": help asked for before saying with what. Not the noun in a
  // label ("pregunta producto", seed 000's enum): that is what a question is about, not a request for help.
  { cue: 'help', re: /\b(?:ayud\w*|help|una mano|a hand|dudas?|(?:una|otra|unas|tengo)\s+pregunt\w*|preguntarte|preguntaros|consult\w*|(?:a|one|quick|another)\s+question|ask you|pedirte|un favor|a favou?r)\b/u },
  // "todo: renew the domain", "add a todo": the English to-do ("todo" alone is Spanish for "all").
  { cue: 'task', re: /\bto-?dos?\s*:|\bto-dos?\b|\b(?:a|the|my|new|add)\s+todos?\b/u },
  // "a 30 min 1:1 with Luis", "one-on-one": a meeting, whose noun is digits.
  { cue: 'meeting', re: /(?:^|\s)(?:1:1|1-on-1|one[- ]on[- ]one)(?=\s|$)/u },
  // "tareas de hoy", "tasks for María", "open tasks": several records asked for, not one to make.
  { cue: 'records', re: /\b(?:tareas|tasks|to-dos|pendientes|reuniones|meetings|eventos|events|citas|appointments)\b/u },
];

/** Word cues from `cueText` (dates and quoted titles out), shape cues from the whole `text` (a deadline needs its day). */
function actionCues(cueText: string, text: string): string[] {
  const cues = [...cuesOf(cueText)].flatMap((action) => [`zzcue${action}`, `zzcue${action}`]);
  const shape = foldKeepLength(text);
  const chat = NOT_A_STATEMENT.test(shape);
  for (const { cue, re, raw, statement } of SHAPE_CUES) if (!(statement && chat) && re.test(raw ? text : shape)) cues.push(`zzcue${cue}`, `zzcue${cue}`);
  return cues;
}

const SPELLED_TIME = /\b(?:(?:a\s+)?(?:quarter|half)\s+(?:past|to)\s+\w+|y\s+(?:media|cuarto)|menos\s+cuarto)\b/giu;

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
  // Times in words chrono leaves half read ("quarter past 2", "9 menos cuarto", "4 y cuarto") say when, not what to do.
  const unspelled = (t: string) => t.replace(SPELLED_TIME, (m) => ' '.repeat(m.length));
  masked = unspelled(masked);
  cueText = unspelled(cueText);
  const blank = (s: string, from: number, length: number) => s.slice(0, from) + ' '.repeat(length) + s.slice(from + length);
  for (const parser of [chronoEs.casual, chrono.casual]) {
    for (const r of parser.parse(masked, REFERENCE)) {
      masked = blank(masked, r.index, r.text.length);
      cueText = blank(cueText, r.index, r.text.length);
    }
  }
  const cues = actionCues(cueText, text);
  // What a masked date leaves ("today's tasks" → "'s tasks") is no word.
  masked = masked.replace(/(?<=\S\s+)\p{Lu}[\p{L}'’]*/gu, ' ').replace(/\d+/g, ' ').replace(/(?<!\S)['’]s\b/g, ' ');
  return [masked, ...cues].join(' ').replace(/\s+/g, ' ').trim();
}
