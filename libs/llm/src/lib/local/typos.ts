import { distance } from 'fastest-levenshtein';
import { foldKeepLength } from './text.js';

/**
 * The words the local provider's rules key on (verbs, object nouns, days, months, priorities), es and en.
 * A word of the message one typo away from exactly one of them is read as that word ("proyeto" → proyecto,
 * "tomorow" → tomorrow); words already here are never touched, so real words near a keyword ("creé",
 * "pasa") are listed too.
 */
/** "el comité pásalo al jueves", "la demo muévela": a verb with its pronoun is no typo of "pasado" or "mueve"; never a correction either. */
const PRONOUN_VERBS = new Set(['pasalo', 'pasala', 'pasalos', 'pasalas', 'muevelo', 'muevela', 'cambialo', 'cambiala', 'retrasalo', 'retrasala', 'adelantalo', 'adelantala', 'borralo', 'borrala', 'cancelalo', 'cancelala', 'quitalo', 'quitala', 'anulalo', 'anulala']);

const VOCABULARY = [
  // es verbs and their near neighbours that are words of their own
  ...['crea', 'crear', 'creame', 'cree', 'creo', 'creaste', 'creado', 'creada', 'creadas', 'creados', 'agrega', 'agregar', 'anade', 'anadir', 'anota', 'apunta'],
  ...['agenda', 'agendar', 'agendame', 'programa', 'programar', 'reserva', 'reservar', 'bloquea', 'mueve', 'mover', 'cambia', 'cambiar', 'pasa', 'pasar', 'retrasa', 'adelanta'],
  ...['cancela', 'cancelar', 'elimina', 'eliminar', 'borra', 'borrar', 'lista', 'listar', 'muestra', 'muestrame', 'ensename', 'dame', 'tengo', 'tiene', 'tienen', 'quiero', 'necesito'],
  ...['asigna', 'asignala', 'asignasela', 'asignale', 'asignar'],
  // es nouns and adjectives
  ...['tarea', 'tareas', 'proyecto', 'proyectos', 'usuario', 'usuaria', 'usuarios', 'reunion', 'reuniones', 'llamada', 'llamadas', 'evento', 'eventos', 'cita', 'citas', 'calendario'],
  ...['prioridad', 'alta', 'media', 'baja', 'urgente', 'pendiente', 'pendientes', 'completadas', 'terminadas', 'nueva', 'nuevo', 'semana', 'horas', 'hora', 'minutos', 'para', 'pasado'],
  ...['manana', 'hoy', 'ayer', 'lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado', 'domingo'],
  // real words one letter away from a keyword, kept as they are (KEPT)
  ...['todas', 'todos', 'toda', 'todo', 'tarde', 'tardes', 'temprano', 'tenemos', 'tiempo', 'como', 'cual', 'cuales', 'donde', 'hace', 'hacer', 'hecha', 'hechas', 'hice', 'hizo', 'hecho', 'mano'],
  // "change the due date of…": a word of its own, not "dame".
  ...['date', 'dates'],
  ...['past', 'last', 'have', 'has', 'that', 'this', 'those', 'these', 'then', 'there', 'what', 'when', 'where', 'which', 'with', 'week', 'weeks', 'work', 'done', 'todo', 'took', 'tool', 'tools'],
  ...['dale', 'dales', 'hazme', 'dominio', 'dominios', 'hola', 'pagar', 'llamado', 'abrir', 'semanal', 'asignada', 'asignadas', 'asignado', 'completada', 'completado', 'hour', 'minute', 'appointments', 'assigned', 'complete'],
  ...['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  // en
  ...['create', 'created', 'add', 'added', 'schedule', 'book', 'block', 'move', 'change', 'cancel', 'delete', 'remove', 'list', 'show', 'assign', 'please'],
  ...['task', 'tasks', 'project', 'projects', 'user', 'users', 'meeting', 'meetings', 'call', 'calls', 'event', 'events', 'appointment', 'calendar'],
  ...['priority', 'high', 'medium', 'low', 'urgent', 'pending', 'completed', 'today', 'tomorrow', 'yesterday', 'week', 'hours', 'minutes'],
  ...['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'],
  ...['january', 'february', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december'],
];
const KNOWN = new Set(VOCABULARY);
/** The real words listed only so they are left alone: between one of them and a keyword, a typo is the keyword's ("tare" → tarea, not tarde). */
const KEPT = new Set([
  ...['todas', 'todos', 'toda', 'todo', 'tarde', 'tardes', 'temprano', 'tenemos', 'tiempo', 'como', 'cual', 'cuales', 'donde', 'hace', 'hacer', 'hecha', 'hechas', 'hice', 'hizo', 'hecho', 'mano'],
  ...['dale', 'dales', 'hazme', 'dominio', 'dominios', 'hola', 'pagar', 'llamado', 'abrir', 'semanal'],
  // "quarter past 2" is a time, not "pasa".
  'past',
  'date',
  'dates',
]);

/** Shorthand people type, read as the word it stands for. */
const SHORTHAND: Record<string, string> = {
  cra: 'crea',
  tsk: 'task',
  tmrw: 'tomorrow',
  tmr: 'tomorrow',
  tmw: 'tomorrow',
  tomoz: 'tomorrow',
  mtg: 'meeting',
  mtng: 'meeting',
  pa: 'para',
  pls: 'please',
  plz: 'please',
  mnn: 'manana',
  d: 'de',
  q: 'que',
  xa: 'para',
  thx: 'thanks',
  thnx: 'thanks',
  thanx: 'thanks',
  tnx: 'thanks',
  tks: 'thanks',
  thks: 'thanks',
  ty: 'thanks',
  grax: 'gracias',
  grcs: 'gracias',
  porfa: 'por favor',
  whats: "what's",
  u: 'you',
  ur: 'your',
  smth: 'something',
  sth: 'something',
  smthg: 'something',
};

/** Shorthand with a slash: "w/ Ana", "p/ Ana". */
const SLASHED: Record<string, string> = { 'w/': 'with', 'p/': 'para' };

/** Levenshtein, with one swap of neighbours ("taks") counted as one edit. */
function edits(a: string, b: string): number {
  if (a.length === b.length) {
    for (let i = 0; i + 1 < a.length; i++) {
      if (a[i] !== b[i]) {
        if (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)) return 1;
        break;
      }
    }
  }
  return distance(a, b);
}

/** The vocabulary word `word` (folded) is a typo of, when exactly one is near enough. */
function correctionOf(word: string): string | undefined {
  if (KNOWN.has(word) || PRONOUN_VERBS.has(word)) return undefined;
  const short = SHORTHAND[word];
  if (short) return short;
  if (word.length < 4 || !/^\p{L}+$/u.test(word)) return undefined;
  const allowed = word.length >= 9 ? 2 : 1;
  // The first letter is rarely the typo, and a different one makes another word ("free" is not "cree").
  const near = VOCABULARY.filter((c) => c[0] === word[0] && Math.abs(c.length - word.length) <= allowed).map((c) => ({ c, d: edits(word, c) }));
  const min = Math.min(allowed + 1, ...near.map((n) => n.d));
  if (min > allowed) return undefined;
  const best = [...new Set(near.filter((n) => n.d === min).map((n) => n.c))];
  if (best.length === 1) return best[0];
  const keywords = best.filter((c) => !KEPT.has(c));
  if (keywords.length === 1) return keywords[0];
  // A dropped letter is the likelier typo: "creat" is create rather than crea or crear.
  const longer = best.filter((c) => c.length > word.length);
  return longer.length === 1 ? longer[0] : undefined;
}

function chunkAround(text: string, at: number): string {
  const start = text.lastIndexOf(' ', at) + 1;
  const end = text.indexOf(' ', at);
  return text.slice(start, end < 0 ? text.length : end);
}

/** A message with its typos read as the words meant, and the way back to the message's own positions. */
export interface Corrected {
  text: string;
  /** The span of the original message that the span [from, to) of `text` was read from. */
  originalSpan(from: number, to: number): { from: number; to: number };
}

/**
 * Reads typos and shorthand of the provider's keywords as the words meant ("cra el proyeto" → "crea el
 * proyecto", "mtg w/ Ana" → "meeting with Ana"). Capitalised words inside the sentence are names and are kept.
 */
export function correctTypos(text: string): Corrected {
  const folded = foldKeepLength(text);
  const parts: { from: number; to: number; value: string }[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+\/?/gu)) {
    const word = m[0];
    if (m.index > 0 && /^\p{Lu}/u.test(word)) continue;
    // Part of an email, an address or a file name: not a word of the sentence.
    if (/[@.\\/_]\S/u.test(chunkAround(text, m.index)) && !SLASHED[word.toLowerCase()]) continue;
    const key = folded.slice(m.index, m.index + word.length);
    const fixed = key.endsWith('/') ? SLASHED[key] : correctionOf(key);
    if (fixed) parts.push({ from: m.index, to: m.index + word.length, value: fixed });
  }
  if (!parts.length) return { text, originalSpan: (from, to) => ({ from, to }) };
  let out = '';
  // starts[i]: where a span starting at i of `out` starts in `text`; ends[i]: where a span ending at i ends.
  const starts: number[] = [];
  const ends: number[] = [0];
  let at = 0;
  const keep = (to: number) => {
    for (let i = at; i < to; i++) {
      starts.push(i);
      ends.push(i + 1);
    }
    out += text.slice(at, to);
  };
  for (const p of parts) {
    keep(p.from);
    for (let i = 0; i < p.value.length; i++) {
      starts.push(p.from);
      ends.push(p.to);
    }
    out += p.value;
    at = p.to;
  }
  keep(text.length);
  starts.push(text.length);
  return { text: out, originalSpan: (from, to) => ({ from: starts[from] ?? text.length, to: ends[to] ?? text.length }) };
}
