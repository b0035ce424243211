import { findMentions } from './known-names.js';
// Changing or deleting a task that exists (updateTask, deleteTask), told apart from making one (issue 16 §4):
// «cambia la fecha de la tarea de las facturas al viernes», «pasa lo del informe a Pedro», «delete the test task».

/** The task noun. */
const TASK = String.raw`(?:tareas?|tasks?|to-?dos?)`;
/** A task already there: a definite reference ("la tarea de…", "lo del informe", "the invoices task", "the one about…"). */
const REFERENCE = new RegExp(
  String.raw`\b(?:la|esa|esta|mi|su)\s+${TASK}\b|\b${TASK}\s+(?:de|del|sobre|called|named|about|from)\b|\blo\s+(?:de|del)\b|\bla\s+(?:de|del)\b|\bthe\s+(?:[\p{L}\d-]+\s+){0,4}?${TASK}\b|\bthe one\s+(?:about|from|for|with)\b`,
  'u',
);
/** Making one instead: "crea una tarea…", "new task…", "add a task…", "una tarea para…". */
const MAKING = new RegExp(String.raw`^(?:tareas?|tasks?|to-?dos?)\b|\b(?:crea\w*|nueva|nuevo|new|add|agrega\w*|anade\w*|apunta\w*|anota\w*|create|otra|another)\b|\b(?:una|a|an)\s+(?:(?!(?:la|el|lo|los|las|the|mi|my|esa|esta|that|this)\b)\S+\s+)?${TASK}\b(?!\s*$)`);
/** Deleting: "borra…", "elimina…", "quita…", "cancela la tarea…", "delete/remove…". */
const DELETING = /\b(?:borra\w*|borrar|elimin\w*|quita\w*|quitar|suprim\w*|cancela\w*|descarta\w*|delete|deleting|remove|removing|drop|erase|trash|cancel|scrap|discard|kill|get rid of)\b/;
/** A meeting, project or user is what is deleted or changed otherwise. */
const OTHER_THING = /\b(?:reunion\w*|meetings?|citas?|llamadas? con|calls? with|eventos?|events?|proyectos?|projects?|usuari[oa]s?|users?)\b/;
/**
 * Said loosely, without the word "tarea"/"task": "cancela lo de mañana con Ana", "quita lo de mañana a las 10",
 * "mueve lo del jueves con Pedro" are meetings (a person met, an hour held), so the calendar rules decide.
 */
const MEETING_LIKE = /\b(?:con|with)\s+(?!(?:prioridad|priority|fecha|date)\b)\p{L}+/u;
const AT_AN_HOUR = /\b(?:a\s+las?|at)\s+\d{1,2}\b|\b\d{1,2}(?::\d\d)?\s*(?:am|pm|h)\b/;
/** Changing: the due date, priority, assignee or title of a task. */
const CHANGING = new RegExp(
  [
    String.raw`\b(?:asign\w*|assign|give|hand|cambi\w*|modific\w*|actualiz\w*|edit\w*|mueve\w*|mover|muevela|pasa|pasala|pasalo|pasale|pasar|aplaz\w*|pospon\w*|retras\w*|atras\w*|adelant\w*|renombr\w*|reasign\w*|sube|subir|subele|subela|baja|bajar|bajale|bajala|pon|ponlo|ponle|ponla|deja\w*|dale|muev\w*|prioridad|priority|extiend\w*|amplia\w*|prorroga\w*|extend|change|update|edit|move|push|postpone|delay|reschedule|rename|reassign|bump|raise|lower|make|set|shift)\b`,
    // "que sea para el 20", "que la haga John", "es para Ana, no para mí", "due thursday", "give it to maria".
    String.raw`\bque (?:sea|venza|quede|este) para\b|\bmejor para\b|\b(?:is|es)\s+(?:for|para)\s+\p{L}+(?:\s+\p{L}+)?\s+(?:now|ahora)\b|\bahora\s+(?:es\s+para|la\s+lleva|lo\s+lleva)\b|\bshould be due\b|\bplazo\b|\b(?:la|lo) (?:haga|lleve)\b|\bes para\b.*\bno para\b|\bdue\b|\bgive (?:it|this) to\b`,
  ].join('|'),
);
/** Handing a task over: only a change when the task is named right after the verb ("pasale la tarea del stand a carlos") or loosely ("lo de…"); "asigna a carlos la tarea de revisar el servidor en Intranet" makes one. */
// "ponle a ana la tarea de revisar el contrato en Logística para el viernes" makes one, like "asigna a …".
const HANDING = /^(?:(?:porfa|por favor|please|pls|oye|hola|hey)\s+)*(?:asigna\w*|dale|give|assign|pasale|hand|ponle|pon)\s+(?:a\s+|to\s+)?(?!(?:la|el|los|las|una?|the|an?)\s)\p{L}+(?:\s+\p{L}+)?\s+(?:la|una|a|the|an)\s+(?:tarea|task)\b/u;
const RENAMING = /\b(?:renombr\w*|rename\w*|cambia(?:le)?\s+(?:el\s+)?(?:nombre|titulo)|change\s+(?:the\s+)?(?:name|title))\b/;
const REASSIGNING = /\b(?:reasign\w*|reassign\w*)\b/;
const DUE_CHANGE = /\b(?:cambia\w*|change|move|mueve|actualiza|update)\s+(?:la|the)\s+(?:fecha|due date|deadline|plazo)\b/;
/** "set the invoices task as complete", "marca la tarea como hecha": finishing it (completeTask), not changing it. */
const FINISHED = /\b(?:as|como|is|are|esta|estan|ya)\s+(?:complete|completed|done|finished|hech[ao]|completad[ao]|terminad[ao]|acabad[ao])\b/;
/** "complete the task update the pricing page", "marca la tarea cambiar el logo…": finishing it, whatever its title says. */
const FINISHING_FIRST = /^(?:(?:please|pls|porfa|por favor|oye|ok|vale)\s+)*(?:complete|completa\w*|finish\w*|termina\w*|acaba\w*|cierra\w*|close|mark|marca\w*|da por hech[ao])\b/;
/** "¿qué tareas cambié…?", "which tasks were moved…": a question about tasks, not a change. */
const ASKING_ABOUT = /^\W*(?:que|cuales|cuantas|which|what|how many)\s+(?:tareas|tasks)\b/;

/**
 * `update_task` or `delete_task` when the (folded) message changes or deletes a task that exists, else undefined
 * (intent.rules decides as before).
 */
export function taskChangeIntent(text: string): 'update_task' | 'delete_task' | undefined {
  if (ASKING_ABOUT.test(text) || OTHER_THING.test(text) || FINISHED.test(text) || FINISHING_FIRST.test(text)) return undefined;
  const noun = new RegExp(String.raw`\b${TASK}\b`).test(text);
  const referred = REFERENCE.test(text);
  // "quiero borrar una tarea", "delete the test task", "borra lo de la encuesta".
  if (!noun && MEETING_LIKE.test(text)) return undefined;
  if (DELETING.test(text) && (noun || (referred && !AT_AN_HOUR.test(text))) && !/\b(?:crea\w*|create|nueva|new|add)\b/.test(text)) return 'delete_task';
  // "reassign the budget review to john", "change the due date of the crm import to…": said of a task that exists.
  if (REASSIGNING.test(text) || (DUE_CHANGE.test(text) && !MAKING.test(text))) return 'update_task';
  if (!referred || !CHANGING.test(text)) return /^(?:(?:quiero|necesito|i need to|i want to)\s+)?(?:cambia\w*|modifica\w*|change|update|edit)\b.*\b(?:una|a)\s+(?:tarea|task)\s*$/.test(text) ? 'update_task' : undefined;
  // "renombra la tarea X a revisar la web nueva": the new title may say anything, "nueva" too.
  if (RENAMING.test(text)) return 'update_task';
  if (MAKING.test(text) || HANDING.test(text)) return undefined;
  return 'update_task';
}

/** Words that say what is done to a task, or how, not which task it is. */
const NOT_WHICH = new Set(
  (
    'la las el los lo un una unos unas de del al a en con por para que y o mi mis tu su sus me le se es esta este esa ese ya no si hola oye porfa favor gracias ' +
    'the a an of to for on in at by with and or my our your his her it its this that is be please pls thanks thank hey hi oops can could would you me i need want ' +
    'tarea tareas task tasks todo one cosa thing ' +
    'cambia cambiar cambiale cambialo cambiala modifica modificar actualiza actualizar edita editar mueve mover muevela pasa pasala pasalo pasale pasar aplaza aplazar ' +
    'pospon posponer posponla retrasa retrasar adelanta adelantar renombra renombrar reasigna reasignar asigna asignale asignar sube subir subele baja bajar bajale ' +
    'ponle ponla pon deja dejala borra borrar borrala elimina eliminar eliminala quita quitar quitala suprime cancela cancelar ' +
    'change update edit move push postpone delay reschedule rename reassign assign give bump raise lower make set shift delete remove drop erase trash get rid ' +
    'fecha date due prioridad priority responsable assignee nombre name titulo title alta media baja high medium low urgente urgent prisa rush corre ' +
    'hasta until sea haga lleve called named about from quiero necesito hace falta ya more mas'
  ).split(' '),
);

interface Word {
  text: string;
  index: number;
}

function wordsIn(folded: string): Word[] {
  return [...folded.matchAll(/[\p{L}\d]+/gu)].map((m) => ({ text: m[0], index: m.index }));
}

/** A word without its plural or verb ending: "facturas"/"factura", "invoices"/"invoice", "migracion"/"migrar" are one. */
function stem(word: string): string {
  return word.length > 5 ? word.slice(0, 5) : word;
}

/**
 * The task an update or a deletion is about, among the tenant's open tasks (issue 16 §4, by natural reference):
 * the one whose title shares the most of the words said about it ("lo del informe", "the invoices task"). Several
 * equally close: undefined, so the planner asks which. None: what was said, for the tool to refuse with the
 * closest titles.
 */
export function changedTaskReference(text: string, folded: string, tasks: readonly string[], claims: readonly boolean[], fallback: () => { value: string; index: number; length: number } | undefined) {
  const words = wordsIn(folded).filter((w) => w.text.length >= 3 && !NOT_WHICH.has(w.text));
  const free = words.filter((w) => !claims[w.index]);
  // "la de octubre" (after "¿Qué tarea?"): a month read as a date still names the task when nothing else does.
  for (const said of free.length ? [free, words] : [words]) {
    if (!said.length || !tasks.length) continue;
    const scored = tasks.map((title) => {
      const theirs = new Set(wordsIn(foldText(title)).map((w) => stem(w.text)));
      return { title, shared: said.filter((w) => theirs.has(stem(w.text))) };
    });
    const best = Math.max(...scored.map((s) => s.shared.length));
    const winners = scored.filter((s) => s.shared.length === best);
    if (best > 0 && winners.length > 1) return undefined;
    const [winner] = winners;
    if (best > 0 && winner) {
      const first = winner.shared[0]!;
      const last = winner.shared.at(-1)!;
      return { value: winner.title, index: first.index, length: last.index + last.text.length - first.index };
    }
  }
  const said = fallback();
  // "the task called repaint the warehouse": the name, for the tool to look up (and refuse with the closest).
  return said ? { ...said, value: said.value.replace(/^(?:called|named|llamada|que se llama|sobre|about)\s+/i, '') } : undefined;
}

function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** "sube la prioridad", "bump the priority", "a alta", "to high", "bájale la prioridad": the new priority of a task. */
export function changedPriority(folded: string, allowed: readonly string[]): { value: string; index: number; length: number } | undefined {
  // Only the word that says it is claimed: "la prioridad de la tarea de los contratos a alta" still names the task.
  const pick = (value: string, m: RegExpExecArray) => {
    const word = m[1] ?? m[0];
    const at = m.index + m[0].lastIndexOf(word);
    return allowed.includes(value) ? { value, index: at, length: word.length } : undefined;
  };
  const to = /\b(?:prioridad|priority)\b.*?\b(?:a|en|to|as)\s+(alta|alto|urgente|high|urgent|media|medio|normal|medium|baja|bajo|low)\b/.exec(folded);
  if (to) return pick(/^(?:alta|alto|urgente|high|urgent)$/.test(to[1]!) ? 'high' : /^(?:baja|bajo|low)$/.test(to[1]!) ? 'low' : 'medium', to);
  const up = /\b(?:sube|subele|subir|aumenta\w*|raise|bump|increase|up)\b(?:\s+\S+){0,3}?\s+(prioridad|priority)\b/.exec(folded);
  if (up) return pick('high', up);
  const down = /\b(?:baja|bajale|bajar|reduce|lower|decrease|drop)\b(?:\s+\S+){0,3}?\s+(prioridad|priority)\b/.exec(folded);
  return down ? pick('low', down) : undefined;
}

/**
 * Whom a task is handed to: a user of the tenant after "a"/"to"/"para"/"que la haga", or, after a verb of handing
 * over ("pásale … a carlos", "assign … to bob"), whoever is named there, for the tool to check.
 */
export function handedTo(text: string, folded: string, users: readonly string[], claims: readonly boolean[]) {
  const named = findMentions(text, users, claims).find((m) => HANDED_LEADS.has(m.before) && !claims[m.index]);
  // As said ("pedro"): the tool takes it for the one user it names, as it does a task's assignee.
  if (named) return { value: named.value, index: named.index, length: named.length };
  // "assign the invoices task to me", "pásame la tarea…", "la llevo yo": the caller, whom the tool knows ("no para mí" is not).
  const me = /(?<!\bno\s|\bnot\s)\b(?:to|a|para)\s+(?:me|mi)\b|\b(?:la|lo)\s+(?:hago|llevo)\s+yo\b|\bpasame\b/.exec(folded);
  if (me) return { value: 'me', index: me.index, length: me[0].length };
  const handing = /\b(?:pasa\w*|asigna\w*|reasigna\w*|assign|reassign|give|hand)\b.*\b(?:a|to)\s+(\p{L}+)\s*[.!?]*$/u.exec(folded);
  if (handing && !NOT_WHICH.has(handing[1]!)) {
    const at = handing.index + handing[0].lastIndexOf(handing[1]!);
    if (!claims[at]) return { value: text.slice(at, at + handing[1]!.length), index: at, length: handing[1]!.length };
  }
  return undefined;
}

/** Words after which a user of the tenant is whom the task goes to: "a Pedro", "to sarah", "para ana", "que la haga john". */
const HANDED_LEADS = new Set(['a', 'al', 'to', 'para', 'for', 'haga', 'lleve', 'asignale', 'asigna', 'reasigna', 'assign', 'reassign', 'make']);

/** Of the days said, the one a task moves to: after "a"/"al"/"to"/"para"/"hasta", else the last one ("de ayer" names the task). */
export function targetDay<T extends { index: number; hasDay: boolean }>(dates: readonly T[], folded: string): T | undefined {
  const days = dates.filter((d) => d.hasDay);
  if (days.length < 2) return days[0];
  const after = (lead: RegExp) => days.find((d) => lead.test(folded.slice(0, d.index)));
  // "the task due yesterday, push it to friday": "to" says where it goes; "due" only when nothing does.
  return after(/\b(?:a|al|to|para|hasta|until|for|by)\s+(?:el\s+|la\s+|the\s+|next\s+|this\s+)?$/) ?? after(/\b(?:due|fecha|date)\s+(?:el\s+|la\s+|the\s+|next\s+|this\s+)?$/) ?? days.at(-1);
}

/** What updateTask may change; a request that names none of them has not said what to change. */
const CHANGES = ['title', 'dueAt', 'assignee', 'priority'];
/** Words of a new due date: "cambia la fecha de…", "aplaza…", "postpone…", "move … to". */
const DATE_CHANGE = /\b(?:fecha|plazo|vencimiento|due|date|deadline|aplaz\w*|pospon\w*|retras\w*|adelant\w*|mueve|mover|postpone|push|move|reschedule|delay)\b/;

/**
 * The change a task update still needs when the request names none (issue 16: ask one question for what is missing):
 * «cambia la fecha de una tarea» → «la de pagar el hosting» is missing the new due date. Empty otherwise.
 */
export function missingChange(toolName: string, args: Record<string, unknown>, said: string): string[] {
  if (toolName !== 'updateTask' || CHANGES.some((k) => args[k] !== undefined)) return [];
  return DATE_CHANGE.test(said.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase()) ? ['dueAt'] : [];
}

/**
 * The new title of a renamed task: what follows "a"/"to"/"como"/"as" after the task's own title ("renombra la tarea
 * llamar proveedor a llamar al proveedor de cajas", "rename the task update the pricing page to redo the pricing
 * page"); a connector inside the task's title (already claimed as the reference) is not the one.
 */
export function renamedTask(text: string, folded: string, claims: readonly boolean[]): { value: string; index: number; length: number } | undefined {
  const verb = /\b(?:renombr\w*|rename\w*|cambia(?:le)?\s+(?:el\s+)?(?:nombre|titulo)|change\s+(?:the\s+)?(?:name|title)|llamala|call it)\b/.exec(folded);
  if (!verb) return undefined;
  for (const m of folded.slice(verb.index + verb[0].length).matchAll(/\s(?:to|a|como|as|por)\s+/g)) {
    const at = verb.index + verb[0].length + m.index;
    if (claims[at + 1]) continue;
    const start = at + m[0].length;
    const value = text.slice(start).replace(/[.!?\s]+$/, '').replace(/^["'«“]|["'»”]$/g, '');
    return value ? { value, index: start, length: value.length } : undefined;
  }
  return undefined;
}

/**
 * "retrasa dos días lo de las facturas", "push the audit task back a week": moved by an amount from its own due date,
 * which only the tool knows. No new date is read from it (it would be counted from today); the planner asks for it.
 */
export function shiftedByDays(folded: string): boolean {
  return /\b(?:retras\w*|atras\w*|pospon\w*|aplaz\w*|adelant\w*|postpone\w*|delay\w*|push\w*|move\w*|mueve\w*)\b.*\b(?:\d+|un|una|dos|tres|cuatro|cinco|a|an|one|two|three|four|five)\s+(?:dias?|semanas?|days?|weeks?)\b(?!\s+(?:despues|after)\b)/.test(folded);
}
