import { foldKeepLength } from './text.js';
import { correctTypos } from './typos.js';

const TASK = String.raw`(?:tareas?|tasks?|to-?dos?)`;
/** Verbs that make a thing ("crea", "apunta", "add", "give Sarah a task"): followed closely by the task noun, a new task. */
const MAKING = String.raw`(?:crea\w*|agrega\w*|anad\w*|anade\w*|apunta\w*|anota\w*|pon|ponme|ponle|ponte|registra\w*|genera\w*|haz|hazme|hacer|dale|dales|pasale|create|add|make|log|open(?=\s+(?:a|an|another|one|new)\b)|put|give(?!\s+me\b))`;
/** Verbs of wanting: a new task only with an indefinite article ("necesito una tarea", not "quiero ver mis tareas"). */
const WANTING = String.raw`(?:necesit\w*|quiero|queremos|quisiera|gustaria|need|needs|want|wants|like)`;
const NEW_TASK = [
  new RegExp(String.raw`\b${MAKING}\b(?:\s+\S+){0,3}?\s+${TASK}\b`),
  // "anota revisar el inventario como tarea", "add call the bank as a task".
  new RegExp(String.raw`\b${MAKING}\b.*\s(?:como|as)\s+(?:una?\s+|an?\s+)?${TASK}\b`),
  new RegExp(String.raw`\b${WANTING}\s+(?:una?|a|an|otra|another)\s+(?:\S+\s+)?${TASK}\b`),
  new RegExp(String.raw`\b(?:nueva|new|urgente|urgent|otra|another)\s+${TASK}\b|\b${TASK}\s+(?:nueva|new|urgente)\b`),
  // "Intranet task: review the contract", "tarea: llamar al banco": the noun labels the title.
  new RegExp(String.raw`(?:^|[\s,])${TASK}\s*:(?!\d)`),
  // Opening the message: "tarea para Luis en Website: actualizar el blog", "tarea revisar contrato mañana".
  new RegExp(String.raw`^(?:tarea|task|to-?do)\b(?:[^:]*\D:(?!\d)|\s+\p{L}+(?:ar|er|ir)\b)`, 'u'),
];
/** "apunta llamar al proveedor", "agrega preparar la demo a Website": a verb of adding, then what to do. */
const ADD_INFINITIVE = /^(?:(?:porfa|por favor|please|pls|oye)\s+)?(?:agrega|anade|apunta|anota|apuntame|anotame|agregame|anademe)\s+(\p{L}+(?:ar|er|ir))\b/u;
/** "add update the pricing page to Website": a lower-case verb straight after "add" (read on the text as written). */
const ADD_VERB_EN = /^(?:(?:please|pls)\s+)?(?:add|put|jot down|note down)\s+(?!(?:a|an|the|my|me|him|her|them|us|to|user|users|project|new|another|some|all)\b)[a-z]+\s+(?:the|a|an|my|our|\p{Ll}+)\b/u;
/** "Ventas: llamar al cliente el jueves", "Website: fix the footer by friday": a label, then what to do (as written). */
const LABELLED_WORK = /^[^:?¿]{1,40}(?<!\d):\s*\p{Ll}+(?:(?:ar|er|ir)\b|\s+(?:the|a|an|my|our)\b)/u;
/** "necesito que Ana revise…", "I need Ana to review…", "Luis tiene que revisar…": work handed to a named person. */
const DELEGATED = [
  /^(?:(?:yo|nosotros)\s+)?(?:necesito|necesitamos|quiero|queremos)\s+que\s+\p{Lu}/u,
  /^(?:[Ii]|[Ww]e)\s+(?:need|want)\s+\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)?\s+to\s/u,
  /^\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)?\s+(?:tiene que|debe|has to|needs to|must)\s/u,
  // "remind John to send the contract", "recuérdale a Ana que revise…": a reminder for someone else is their task.
  /^(?:(?:please|pls|porfa)\s+)?(?:remind|tell|ask)\s+\p{Lu}[\p{L}'’-]*\s+to\s|^(?:(?:porfa)\s+)?(?:recu[eé]rdale|dile|p[ií]dele)\s+a\s+\p{Lu}[\p{L}'’-]*\s+que\s/u,
];
/** Asking about what exists rather than asking for something: "¿qué tareas tengo?", "is there a task…", "show…". */
const ASKING = /^\s*¿?\s*(?:que|cual|cuales|cuant[oa]s?|cuando|donde|quien|which|what|when|where|who|how|show|list|lista\w*|muestra\w*|ensena\w*|dame|give me|tengo|tienes|tiene|hay(?! que)|is there|are there|do i|does|did|do you|have i|existe\w*|busca\w*|search|find|(?:can|could|would) you (?:give|show|list|tell) me|(?:puedes|podrias) (?:darme|mostrarme|decirme|ensenarme|listar))\b/;
/** "muéstrame todo lo de Apolo", "everything in Website", "all the stuff for Ana": the tasks of a project or a person. */
const EVERYTHING_OF = /\b(?:todo lo (?:de|del|que hay en|que tiene)|lo (?:que (?:hay )?)?pendiente (?:de|del|en)|lo que (?:falta|queda)(?: por hacer)? (?:de|del|en|a)|what'?s (?:left|outstanding) (?:in|for|on)|todas? las cosas (?:de|del)|everything (?:in|on|for|of|from|assigned|under)|all the (?:stuff|things) (?:in|for|of|on))\b/;
const FINISHED_ONES = /\b(?:completed|finished|done|closed)\s+(?:tasks|to-?dos)\b|\b(?:tareas|pendientes)\s+(?:completadas|terminadas|hechas|cerradas|finalizadas)\b/;
/** Finishing a task ("marca como hecha la tarea…", "I finished the task…") rather than making one. */
const FINISHING = new RegExp(String.raw`\b(?:marca\w*|termin\w*|acab\w*|complet\w*|finaliz\w*|cierra\w*|mark(?:s|ed)?|finish\w*|close[sd]?|done)\b.*\b${TASK}\b`);
const PROJECT = /\b(?:proyectos?|projects?)\b/;
const USER = /\b(?:usuari[oa]s?|users?|cuentas?|accounts?|equipo|team|sistema|system)\b/;
const MEETING = /\b(?:reunion\w*|meetings?|citas?|llamadas?|calls?|eventos?|events?|agenda\w*|calendar\w*|schedul\w*|book\w*)\b/;
const MOVING = /^(?:(?:please|pls|porfa|oye)\s+)?(?:push|move|reschedule|postpone|bump|shift|mueve|mover|muevan|pasa|pasame|reprograma\w*|pospon\w*|aplaza\w*|cambia)\b/;
const MOVE_TARGET = /\s(?:to|until|al|a|para)\s+(?:el\s+|la\s+|next\s+|this\s+)?(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|manana|pasado|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|hoy|\d)/;
const movesToADay = (text: string) => MOVING.test(text) && MOVE_TARGET.test(text);
const REMINDER = /^(?:(?:porfa|please|pls|oye)\s+)?(?:recuerdame|recordame|remind me)\b/;
const BOOKING = /\b(?:agend\w*|program\w*|reserv\w*|schedul\w*|book\w*|reunion\w*|meetings?)\b/;
const EMAIL = /[^\s@]+@[^\s@]+\.[a-z]{2,}/;
const OPENS_PROJECT = /\b(?:crea\w*|abr\w*|abre|arma\w*|registra\w*|da de alta|alta|nuevo|nueva|new|start\w*|open|set up|create|make|launch|lanza\w*|monta\w*)\b/;
const ADDS_USER = /\b(?:crea\w*|alta|agrega\w*|anade\w*|invita\w*|registra\w*|add|invite|onboard|create|new|register|nuev[oa])\b/;

/**
 * The intent a request states outright by its verb and its object, where nearest neighbours can be pulled away by
 * shared words ("give Sarah a task…" near "give me this week's tasks", "pon una tarea …: cerrar el sprint" near
 * "cierra la tarea…"). Undefined when the words do not settle it: the classifier decides.
 */
export function ruledIntent(said: string): string | undefined {
  // The message as written but for its first letter, and its folded twin of the same length (for case checks).
  const written = correctTypos(said)
    .text.replace(/\s+/g, ' ')
    .trim()
    .replace(/^\p{Lu}(?=\p{Ll})/u, (c) => c.toLowerCase());
  const text = foldKeepLength(written);
  if (EVERYTHING_OF.test(text) && !MEETING.test(text) && !USER.test(text)) return 'list_tasks';
  if (ASKING.test(text)) return undefined;
  if (new RegExp(String.raw`\b${TASK}\b`).test(text)) return taskIntent(text);
  if (PROJECT.test(text)) return !USER.test(text) && !MEETING.test(text) && OPENS_PROJECT.test(text) ? 'create_project' : undefined;
  // "push the design review to thursday at 2pm", "mueve el comité al viernes": only an event moves to a day.
  if (movesToADay(text)) return 'update_meeting';
  // "add call the bank to Ventas", "Phoenix: call the supplier": the word where the verb goes is what to do, not a meeting noun.
  // Work handed to someone ("I need Peter to call the bank", "remind me to call the bank") is a task, unless it is booking something.
  if (handedOver(said, written, text)) return 'create_task';
  if (MEETING.test(text.replace(/^(?:(?:please|pls)\s+)?(?:add|put|jot down|note down)\s+\S+/, '').replace(/:\s*\S+/, ':'))) return undefined;
  const email = EMAIL.test(text);
  if ((email || USER.test(text)) && ADDS_USER.test(text)) return 'create_user';
  return email || USER.test(text) ? undefined : unnamedTask(written, text, said);
}

/** With the task noun: making one or finishing one, whichever the sentence says first ("marca como hecha la tarea…" vs "crea una tarea para terminar…"). */
function taskIntent(text: string): string | undefined {
  // "completed tasks for John", "tareas terminadas de Pedro": finished tasks to list, not one to finish.
  if (FINISHED_ONES.test(text)) return undefined;
  const finishing = FINISHING.exec(text);
  const making = NEW_TASK.map((re) => re.exec(text)).find((m) => m !== null);
  if (finishing && (!making || finishing.index < making.index)) return 'complete_task';
  return making ? 'create_task' : undefined;
}

/** Without the noun: a verb of adding and what to do, or a label and what to do. */
function unnamedTask(written: string, text: string, said: string): string | undefined {
  // A capitalised word after the verb is a person ("agrega Pilar…", "add Karen Hill"), not what to do.
  const adding = ADD_INFINITIVE.exec(text);
  if (adding && /^\p{Ll}/u.test(written.slice(adding.index + adding[0].length - (adding[1]?.length ?? 0)))) return 'create_task';
  return ADD_VERB_EN.test(written) || LABELLED_WORK.test(said.trim()) ? 'create_task' : undefined;
}

function handedOver(said: string, written: string, text: string): boolean {
  const handed = DELEGATED.some((re) => re.test(re === DELEGATED[2] ? said.trim() : written)) || REMINDER.test(text);
  return handed && !BOOKING.test(text);
}
