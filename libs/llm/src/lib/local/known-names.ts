import { distance } from 'fastest-levenshtein';
import type { KnownNames } from '../llm.types.js';
import type { Found } from './fields.js';
import { keptByCorrection } from './corrections.js';
import { foldKeepLength } from './text.js';

/** Where the text mentions one of the tenant's names, and how it was said. */
export interface Mention extends Found {
  /** The name as the tenant's data spells it. */
  name: string;
  /** Every word of the name was said (not just "Ana" for "Ana García"). */
  whole: boolean;
  /** The user wrote it capitalised ("Website", "Ana"), as a name is written. */
  capitalised: boolean;
  /** The word before it ("en", "de", "for", …), folded; empty at the start. */
  before: string;
  /** Where the word before it starts (the mention's own index at the start of the text). */
  leadIndex: number;
  /** The word after it, folded; empty at the end. */
  after: string;
  /** Mentions of the same kind the user took back ("en Apolo…, actually make it Website"): not the value, not free text either. */
  takenBack?: Found[];
  /** Stands on its own between punctuation ("…, Intranet, mañana", "Website: …", "(Apolo)", "apolo → …"). */
  delimited: boolean;
}

interface Word {
  text: string;
  index: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+/gu;
const MAX_NAMES = 500;

function wordsOf(folded: string): Word[] {
  return [...folded.matchAll(WORD)].map((m) => ({ text: m[0], index: m.index, end: m.index + m[0].length }));
}

/** Words `i`…`i+n` matched a name but do not mean it: another argument claimed them, or another person's full name starts there. */
function notThisName(text: string, words: readonly Word[], i: number, n: number, nameLength: number, claims: readonly boolean[]): boolean {
  const first = words[i]!;
  if (claims.slice(first.index, words[i + n - 1]!.end).some(Boolean)) return true;
  return n < nameLength && anotherFullName(text, first, words[i + n]);
}

/**
 * "Nina Patel" when the tenant knows "Nina López": a capitalised first name followed by a capitalised word that is not the
 * known name's next one is another person's full name, not the known one said short.
 */
function anotherFullName(text: string, first: Word, next: Word | undefined): boolean {
  const capital = (w: Word) => /^\p{Lu}/u.test(text.slice(w.index, w.end));
  return next !== undefined && capital(first) && capital(next) && /^\s+$/.test(text.slice(first.end, next.index));
}

/** One typo in a word of 5 letters or more ("intrnet", "logistca"); names of digits must be exact. */
function sameWord(said: string, known: string): boolean {
  if (said === known) return true;
  if (said.length < 5 || known.length < 5 || /\d/.test(known)) return false;
  return distance(said, known) <= 1;
}

/**
 * Every mention in `text` of a name in `names`: whole words, without case or accents, one typo in a long word, or
 * the name's first words ("Ana" for "Ana García", "marketing" for "Marketing 2027"). Longest first; mentions do not
 * overlap, and none starts inside a span already `claimed` by another argument.
 */
export function findMentions(text: string, names: readonly string[], claims: readonly boolean[] = []): Mention[] {
  const folded = foldKeepLength(text);
  const words = wordsOf(folded);
  const found: Mention[] = [];
  for (const name of names.slice(0, MAX_NAMES)) {
    const parts = wordsOf(foldKeepLength(name)).map((w) => w.text);
    if (parts.length === 0) continue;
    for (let i = 0; i < words.length; i++) {
      let n = 0;
      while (n < parts.length && i + n < words.length && sameWord(words[i + n]!.text, parts[n]!)) n++;
      // A first word alone must be a real word of a name, not "a" or "de".
      if (n === 0 || (n < parts.length && parts[0]!.length < 3)) continue;
      if (notThisName(text, words, i, n, parts.length, claims)) continue;
      found.push(mention(text, folded, words, name, i, n, n === parts.length));
    }
  }
  found.sort((a, b) => b.length - a.length || a.index - b.index);
  const kept: Mention[] = [];
  for (const m of found) if (!kept.some((k) => m.index < k.index + k.length && k.index < m.index + m.length && k.name !== m.name)) kept.push(m);
  return dedupe(kept).sort((a, b) => a.index - b.index);
}

function mention(text: string, folded: string, words: Word[], name: string, i: number, n: number, whole: boolean): Mention {
  const first = words[i]!;
  const last = words[i + n - 1]!;
  const before = folded.slice(0, first.index).trimEnd();
  const after = folded.slice(last.end).trimStart();
  return {
    value: text.slice(first.index, last.end),
    index: first.index,
    length: last.end - first.index,
    name,
    whole,
    capitalised: /^\p{Lu}/u.test(text.slice(first.index)),
    before: words[i - 1]?.text ?? '',
    leadIndex: words[i - 1]?.index ?? first.index,
    after: words[i + n]?.text ?? '',
    delimited: (before === '' || /[,:;(\n]$/.test(before)) && (after === '' || /^(?:[,.;:!?)\n]|->|→|=>)/.test(after)),
  };
}

/** The same span found through two names ("Ana" → Ana García and Ana Torres) is one mention, of no single name. */
function dedupe(mentions: Mention[]): Mention[] {
  const bySpan = new Map<string, Mention>();
  for (const m of mentions) {
    const key = `${m.index}:${m.length}`;
    const seen = bySpan.get(key);
    if (!seen) bySpan.set(key, m);
    else if (!seen.whole && m.whole) bySpan.set(key, m);
  }
  return [...bySpan.values()];
}

/** Whether `value` is one of `names` (or their first words), without case or accents. */
export function isKnown(names: readonly string[], value: string): boolean {
  const want = foldKeepLength(value).trim();
  if (!want) return false;
  return names.some((n) => {
    const key = foldKeepLength(n);
    return key === want || key.startsWith(`${want} `);
  });
}

/** Leads after which a project is named: "en Intranet", "to Website", "proyecto Apolo", "tareas de Ventas". */
const PROJECT_LEADS = new Set(['en', 'in', 'into', 'a', 'al', 'to', 'para', 'for', 'de', 'del', 'of', 'on', 'under', 'within', 'proyecto', 'project', 'dentro']);
/** Leads that make a person the one a task is for: "para ana", "assign it to john", "que luis revise", "give sarah a task". */
const ASSIGNEE_LEADS = new Set(['para', 'for', 'asignale', 'asignasela', 'asignaselo', 'asignala', 'asignalo', 'asigna', 'asignar', 'assign', 'assigned', 'responsable', 'owner', 'encargado', 'encargada', 'que', 'need', 'needs', 'want', 'wants', 'give', 'get', 'ponle', 'tell', 'ask', 'remind', 'recuerdale', 'pidele']);
const ASSIGNEE_FOLLOWS = new Set(['tiene', 'debe', 'has', 'needs', 'should', 'must', 'will', 'va', 'revise', 'haga', 'prepare', 'llame']);
/** Leads of a person a list is about: "tareas de ana", "tasks of john", "what is ana working on", "sarah's tasks". */
const OWNER_LEADS = new Set(['de', 'del', 'of', 'for', 'para', 'a', 'to', 'tiene', 'has', 'is', 'esta', 'does', 'do', 'did', 'asignadas', 'asignados', 'assigned']);
/** "which tasks luis has finished", "qué tareas pedro tiene": the person said before the verb of having or finishing. */
const OWNER_FOLLOWS = new Set(['has', 'have', 'had', 'tiene', 'tenia', 'is', 'esta', 'finished', 'completed', 'closed', 'termino', 'completo', 'cerro']);

/** "which tasks did Pedro create", "qué tareas ha creado Ana": the creator said before the verb. */
const CREATOR_FOLLOWS = new Set(['create', 'created', 'make', 'made', 'add', 'added', 'creo', 'ha', 'hizo']);
const ARTICLES = new Set(['the', 'a', 'an', 'my', 'our', 'your', 'this', 'that', 'el', 'la', 'los', 'las', 'un', 'una', 'mi', 'mis', 'tu', 'su', 'nuestro', 'nuestra', 'este', 'esta']);

/** "creó Ana", "created by John", "creadas por María": the creator, not whom the tasks are for. */
const CREATOR_LEADS = new Set(['creo', 'cree', 'crearon', 'created', 'made', 'by', 'por', 'hizo', 'anadio', 'added']);

/**
 * The project the text names, among the tenant's: capitalised anywhere, or in lower case where a name is written (after
 * "en", "de", "to"… or between commas). A project after such a lead wins over one said elsewhere ("revisar Ventas en
 * Intranet" → Intranet).
 */
export function knownProject(text: string, known: KnownNames | undefined, claims: readonly boolean[]): Mention | undefined {
  if (!known?.projects.length) return undefined;
  // "…, ventas project", "the website project": the noun after the name leads it as well.
  const nounAfter = (m: Mention) => /^\s+(?:project|proyecto)\b/i.exec(text.slice(m.index + m.length))?.[0].length ?? 0;
  const led = (m: Mention) => PROJECT_LEADS.has(m.before) || nounAfter(m) > 0;
  // "tarea revisar contrato intranet mañana 10h": a name right before a date stands on its own too.
  // After an article it is a thing of the sentence: "update the website on Thursday" names no project.
  const beforeDate = (m: Mention) => claims[m.index + m.length + 1] === true && !ARTICLES.has(m.before);
  const said = findMentions(text, known.projects, claims).filter((m) => (m.whole || m.capitalised || led(m)) && (m.capitalised || led(m) || m.delimited || (m.whole && beforeDate(m))));
  // "en Apolo…, actually make it Website": the one said after the correction.
  const usable = keptByCorrection(said, text);
  const best = usable.filter(led).at(-1) ?? usable.at(-1);
  if (!best) return undefined;
  // The lead goes with the name, so a title read after it stops before "en"; so do the parentheses of "(Website)".
  const span = (m: Mention): Mention =>
    PROJECT_LEADS.has(m.before) ? { ...m, index: m.leadIndex, length: m.index + m.length - m.leadIndex } : nounAfter(m) ? { ...m, length: m.length + nounAfter(m) } : m;
  const takenBack = said.filter((m) => !usable.includes(m)).map(span);
  const extra = takenBack.length ? { takenBack } : {};
  if (led(best)) return { ...span(best), ...extra };
  const wrapped = text[best.index - 1] === '(' && text[best.index + best.length] === ')';
  return { ...(wrapped ? { ...best, index: best.index - 1, length: best.length + 2 } : best), ...extra };
}

/** The person a task is for, among the tenant's users, said where an assignee is said (see ASSIGNEE_LEADS). */
export function knownAssignee(text: string, known: KnownNames | undefined, claims: readonly boolean[]): Mention | undefined {
  if (!known?.users.length) return undefined;
  // "for pedro … sorry, for Ana": the one said after the correction.
  const folded = foldKeepLength(text);
  return keptByCorrection(findMentions(text, known.users, claims), text).find(
    (m) => ASSIGNEE_LEADS.has(m.before) || ASSIGNEE_FOLLOWS.has(m.after) || (m.before === 'a' && TASK_TO.test(folded.slice(0, m.index))) || handedTo(m, folded),
  );
}

/** "asígnasela a luis", "pásasela a Ana", "give it to sarah": the task handed over, by a pronoun, to the person after "a"/"to". */
const HANDED_TO = /\b(?:asign\w*|pasa\w*|da(?:se)?l[ao]s?|dale|give\s+(?:it|this|that)|hand\s+(?:it|this|that)(?:\s+over)?|assign\s+(?:it|this|that))\s+(?:a|to)\s*$/;

function handedTo(m: Mention, folded: string): boolean {
  return (m.before === 'a' || m.before === 'to') && HANDED_TO.test(folded.slice(0, m.index));
}

/** "pon una tarea a ana", "dale otra tarea a pedro": the task handed to the person after "a". */
const TASK_TO = /\b(?:tareas?|task)\s+a\s*$/;

/** The person a list of tasks is about: any user said with a possessive or after "de"/"of"/"for", or capitalised. */
export function knownOwner(text: string, known: KnownNames | undefined, claims: readonly boolean[]): Mention | undefined {
  if (!known?.users.length) return undefined;
  return findMentions(text, known.users, claims).find((m) => !CREATOR_LEADS.has(m.before) && !CREATOR_FOLLOWS.has(m.after) && (m.capitalised || OWNER_LEADS.has(m.before) || OWNER_FOLLOWS.has(m.after) || m.after === 's'));
}

/** The event the text refers to, among the caller's: the longest title said whole, or the first words of one after an article. */
export function knownEvent(text: string, known: KnownNames | undefined, claims: readonly boolean[]): Mention | undefined {
  if (!known?.events.length) return undefined;
  const mentions = findMentions(text, known.events, claims);
  const whole = mentions.filter((m) => m.whole).sort((a, b) => b.length - a.length)[0];
  return whole ?? mentions.find((m) => m.length >= 4 && /^(?:la|el|mi|the|my|su|his|her|evento|event|reunion|meeting)$/.test(m.before));
}

/** The open task the text names, among the tenant's: a whole title said anywhere ("ya terminé de revisar el informe"). */
export function knownTask(text: string, known: KnownNames | undefined, claims: readonly boolean[]): Mention | undefined {
  if (!known?.tasks?.length) return undefined;
  return findMentions(text, known.tasks, claims)
    .filter((m) => m.whole && m.length >= 5)
    .sort((a, b) => b.length - a.length)[0];
}

/** Who created the tasks, among the tenant's users: "tareas que creó ana", "created by john". */
export function knownCreator(text: string, known: KnownNames | undefined, claims: readonly boolean[]): Mention | undefined {
  if (!known?.users.length) return undefined;
  return findMentions(text, known.users, claims).find((m) => CREATOR_LEADS.has(m.before) || CREATOR_FOLLOWS.has(m.after));
}

/** Words that say what is done to a task, not which task it is. */
const NOT_A_TASK_WORD = new Set([
  ...ARTICLES, 'tarea', 'tareas', 'task', 'tasks', 'todo', 'pendiente', 'marca', 'marcar', 'mark', 'como', 'as', 'hecha', 'hecho', 'done', 'completa', 'completada', 'completado', 'complete', 'completed',
  'terminada', 'terminado', 'termine', 'terminar', 'acabe', 'acabada', 'finished', 'finish', 'with', 'lista', 'esta', 'ya', 'is', 'lo', 'de', 'del', 'that', 'the', 'ready', 'cerrar', 'cierra', 'close',
  'que', 'con', 'for', 'para', 'por', 'favor', 'please', 'porfa', 'already', 'now', 'gracias', 'thanks', 'thank', 'have', 'just', 'acabo', 'finally',
  'puedes', 'puede', 'podrias', 'marcar', 'marcala', 'marcalo', 'could', 'you', 'listo', 'listas', 'listos', 'hechas', 'terminadas', 'acabado', 'acabada', 'wrapped', 'estan', 'terminamos', 'hemos', 'finalice', 'finalizado', 'finalizada',
  // Words that lead on from an earlier turn ("ok then mark…", "pues entonces marca…"), no task's.
  'then', 'luego', 'pues', 'entonces', 'okay', 'also', 'tambien', 'vale', 'bueno', 'well', 'alright',
]);

/**
 * The open task a loose reference names ("ya terminé lo de las facturas", "mark the invoices task as done"): the one
 * task, among the tenant's, whose title holds every word the text says about it; undefined when none or several do.
 */
export function knownTaskByWords(text: string, known: KnownNames | undefined, claims: readonly boolean[]): Mention | undefined {
  if (!known?.tasks?.length) return undefined;
  const folded = foldKeepLength(text);
  const said = wordsOf(folded).filter((w) => w.text.length >= 4 && !NOT_A_TASK_WORD.has(w.text) && !claims[w.index]);
  if (!said.length) return undefined;
  const scored = known.tasks.slice(0, MAX_NAMES).map((name) => {
    const theirs = new Set(wordsOf(foldKeepLength(name)).map((w) => stem(w.text)));
    return { name, shared: said.filter((w) => theirs.has(stem(w.text))) };
  });
  const winners = scored.filter((s) => s.shared.length === said.length);
  const [winner] = winners;
  if (winners.length !== 1 || !winner) return undefined;
  const first = winner.shared[0]!;
  const last = winner.shared.at(-1)!;
  return { value: winner.name, index: first.index, length: last.end - first.index, name: winner.name, whole: false, capitalised: false, before: '', leadIndex: first.index, after: '', delimited: false };
}

/** A word without its plural ending: "facturas" and "factura", "invoices" and "invoice" are one. */
function stem(word: string): string {
  return word.length > 4 ? word.replace(/s$/, '').replace(/e$/, '') : word;
}
