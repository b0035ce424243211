import { foldKeepLength } from './text.js';
import { taskChangeIntent } from './task-changes.js';
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
  // Several at once, opening the message: "two tasks for Website due friday: update the footer and fix the favicon".
  new RegExp(String.raw`^(?:2|3|4|dos|tres|cuatro|two|three|four)\s+(?:nuevas\s+|new\s+)?${TASK}\b[^:?]*:(?!\d)`),
  // Opening the message: "tarea para Luis en Website: actualizar el blog", "tarea revisar contrato mañana".
  new RegExp(String.raw`^(?:tarea|task|to-?do)\b(?:[^:]*:(?!\d)|\s+\p{L}+(?:ar|er|ir)\b)`, 'u'),
];
/** "apunta llamar al proveedor", "agrega preparar la demo a Website": a verb of adding, then what to do. */
const ADD_INFINITIVE = /^(?:(?:porfa|por favor|please|pls|oye)\s+)?(?:agrega|anade|apunta|anota|apuntame|anotame|agregame|anademe)\s+(\p{L}+(?:ar|er|ir))\b/u;
/** "add update the pricing page to Website": a lower-case verb straight after "add" (read on the text as written). */
const ADD_VERB_EN = /^(?:(?:please|pls)\s+)?(?:add|put|jot down|note down)\s+(?!(?:a|an|the|my|me|him|her|them|us|to|user|users|project|new|another|some|all)\b)[a-z]+\s+(?:the|a|an|my|our|\p{Ll}+)\b/u;
/** "Ventas: llamar al cliente el jueves", "Website: fix the footer by friday", "apolo → preparar la demo": a label, then what to do (as written). */
const LABELLED_WORK = /^[^:?¿>→]{1,40}(?:(?<!\d):|\s(?:->|→|=>))\s*\p{Ll}+(?:(?:ar|er|ir)\b|\s+(?:the|a|an|my|our)\b)/u;
/** "necesito que Ana revise…", "I need Ana to review…", "Luis tiene que revisar…": work handed to a named person. */
const DELEGATED = [
  /^(?:(?:yo|nosotros)\s+)?(?:necesito|necesitamos|quiero|queremos)\s+que\s+\p{Lu}/u,
  /^(?:[Ii]|[Ww]e)\s+(?:need|want)\s+\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)?\s+to\s/u,
  /^\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)?\s+(?:tiene que|debe|has to|needs to|must)\s/u,
  // "remind John to send the contract", "recuérdale a Ana que revise…": a reminder for someone else is their task.
  /^(?:(?:please|pls|porfa)\s+)?(?:remind|tell|ask)\s+\p{Lu}[\p{L}'’-]*\s+to\s|^(?:(?:porfa)\s+)?(?:recu[eé]rdale|dile|p[ií]dele)\s+a\s+\p{Lu}[\p{L}'’-]*\s+que\s/u,
];
/** "john needs to send…", "ana tiene que revisar…" (a name in lower case): someone's work, where a project is named. */
const SOMEONE_MUST = /^(?!(?:i|we|you|he|she|it|they|this|that|someone|somebody|everyone|yo|tu|el|ella|alguien|todos|nosotros|esto|eso)\s)\p{L}[\p{L}'’-]*\s+(?:tiene que|debe|has to|needs to|must)\s/u;
/** Asking about what exists rather than asking for something: "¿qué tareas tengo?", "is there a task…", "show…". */
const ASKING = /^\s*¿?\s*(?:que|cual|cuales|cuant[oa]s?|cuando|donde|quien|which|what|when|where|who|how|show|list|lista\w*|muestra\w*|ensena\w*|dame|give me|tengo|tienes|tiene|hay(?! que)|is there|are there|do i|does|did|do you|have i|existe\w*|busca\w*|search|find|(?:can|could|would) you (?:give|show|list|tell) me|(?:puedes|podrias) (?:darme|mostrarme|decirme|ensenarme|listar))\b/;
/** "muéstrame todo lo de Apolo", "everything in Website", "all the stuff for Ana": the tasks of a project or a person. */
const EVERYTHING_OF = /\b(?:todo lo (?:de|del|que hay en|que tiene)|lo (?:que (?:hay )?)?pendiente (?:de|del|en)|lo que (?:falta|queda)(?: por hacer)? (?:de|del|en|a)|what'?s (?:left|outstanding) (?:in|for|on)|todas? las cosas (?:de|del)|everything (?:in|on|for|of|from|assigned|under)|all the (?:stuff|things) (?:in|for|of|on))\b/;
const FINISHED_ONES = /\b(?:completed|finished|done|closed)\s+(?:tasks|to-?dos)\b|\b(?:tareas|pendientes)\s+(?:completadas|terminadas|hechas|cerradas|finalizadas)\b/;
/** Finishing a task ("marca como hecha la tarea…", "I finished the task…") rather than making one. */
const FINISHING = new RegExp(String.raw`\b(?:marca\w*|termin\w*|acab\w*|complet\w*|finaliz\w*|cierra\w*|mark(?:s|ed)?|finish\w*|close[sd]?|done)\b.*\b${TASK}\b`);
/** A task said to be finished after the noun: "la tarea del inventario ya está hecha", "the task due on thursday is done" (not "tasks that are done"). */
const FINISHED_STATE = new RegExp(String.raw`\b${TASK}\b(?:(?!\b(?:that|which|que|cuales)\b).)*\b(?:esta|estan|is|are|quedo|queda)\s+(?:ya\s+|now\s+|already\s+)?(?:hech[ao]s?|terminad[ao]s?|completad[ao]s?|acabad[ao]s?|listas?|done|finished|complete|completed)\b`);
const PROJECT = /\b(?:proyectos?|projects?)\b/;
const USER = /\b(?:usuari[oa]s?|users?|cuentas?|accounts?|equipo|team|sistema|system)\b/;
const MEETING = /\b(?:reunion\w*|meetings?|citas?|llamadas?|calls?|eventos?|events?|agenda\w*|calendar\w*|schedul\w*|book\w*)\b/;
/** A correction may open with a filler: "actually push it to 4", "no, mejor pásala al jueves", "sorry, move it to 5". */
const MOVING = /^(?:(?:please|pls|porfa|oye|actually|en realidad|mejor|no|sorry|perdona|perdon|oops|wait|espera|ok|okay|vale|ah|oh)[\s,.!]+)*(?:push|move|reschedule|postpone|bump|shift|mueve|mover|muevan|pasa|pasame|reprograma\w*|pospon\w*|aplaza\w*|cambia)\b/;
const MOVE_TARGET = /\s(?:to|until|al|a|para)\s+(?:el\s+|la\s+|next\s+|this\s+)?(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|manana|pasado|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|hoy|\d)/;
const movesToADay = (text: string) => MOVING.test(text) && MOVE_TARGET.test(text);
/** "la sincro con proveedores muévela una hora más tarde", "la demo pásala al jueves": the event said first, then moved. */
const MOVE_IT = /\b(?:muevel[ao]|pasal[ao]|cambial[ao]|retrasal[ao]|atrasal[ao]|adelantal[ao]|reprogramal[ao]|posponl[ao])\b/;
const REMINDER = /^(?:(?:porfa|please|pls|oye)\s+)?(?:recuerdame|recordame|remind me)\b/;
const BOOKING = /\b(?:agend\w*|program\w*|reserv\w*|schedul\w*|book\w*|reunion\w*|meetings?)\b/;
const EMAIL = /[^\s@]+@[^\s@]+\.[a-z]{2,}/;
const OPENS_PROJECT = /\b(?:crea\w*|abr\w*|abre|arma\w*|registra\w*|da de alta|alta|nuevo|nueva|new|start\w*|open|set up|create|make|launch|lanza\w*|monta\w*)\b/;
const ADDS_USER = /\b(?:crea\w*|alta|agrega\w*|anade\w*|invita\w*|registra\w*|add|invite|onboard|create|new|register|nuev[oa]|set up (?:an? )?(?:new )?(?:account|user)|acceso|access)\b/;

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
  if (asksWhatIsOn(text)) return 'list_meetings';
  if (EVERYTHING_OF.test(text) && !MEETING.test(text) && !USER.test(text)) return 'list_tasks';
  // "que la tarea de las nóminas la haga luis": a wish, not a question, for all its opening "que".
  const change = taskChangeIntent(text);
  if (change && (!ASKING.test(text) || /^que\s+(?:la|lo|el)\s/.test(text))) return change;
  if (ASKING.test(text)) return undefined;
  if (new RegExp(String.raw`\b${TASK}\b`).test(text)) return taskIntent(text);
  if (PROJECT.test(text)) {
    if (!USER.test(text) && !MEETING.test(text) && OPENS_PROJECT.test(text)) return 'create_project';
    // "john needs to send the invoices by wednesday, ventas project": work handed over, the project only says where.
    return handedOver(said, written, text) || SOMEONE_MUST.test(text) ? 'create_task' : undefined;
  }
  // "push the design review to thursday at 2pm", "mueve el comité al viernes": only an event moves to a day.
  if (movesToADay(text) || MOVE_IT.test(text)) return 'update_meeting';
  const calendar = calendarIntent(text) ?? bookedWithoutVerb(text);
  if (calendar) return calendar;
  // "add call the bank to Ventas", "Phoenix: call the supplier": the word where the verb goes is what to do, not a meeting noun.
  // Work handed to someone ("I need Peter to call the bank", "remind me to call the bank") is a task, unless it is booking something.
  if (handedOver(said, written, text)) return 'create_task';
  if (MEETING.test(text.replace(/^(?:(?:please|pls)\s+)?(?:add|put|jot down|note down)\s+\S+/, '').replace(/:\s*\S+/, ':'))) return undefined;
  const email = EMAIL.test(text);
  if ((email || USER.test(text)) && ADDS_USER.test(text)) return 'create_user';
  return email || USER.test(text) ? undefined : unnamedTask(written, text, said);
}

/** "crea el proyecto Lyra y una tarea en él: …", "create project Vega with a first task: …": the project comes first. */
const PROJECT_THEN_TASK = new RegExp(String.raw`\b(?:crea\w*|create|abre|open|nuevo|new|start)\s+(?:(?:el|un|the|a)\s+)?(?:nuevo\s+|new\s+)?(?:proyecto|project)\b.*\s(?:y|and|with|con)\s+(?:(?:add|create|put|make|crea|creale|anade|anadele|agrega|agregale|pon|ponle|mete|metele)\s+)?(?:una?|a|an|its|su)\s+(?:primera\s+|first\s+)?(?:tarea|task)\b`);

/**
 * Work said to be finished, without the task noun: "ya terminé lo de las facturas", "he acabado el informe", "I
 * finished the onboarding checklist", "lo del informe ya está listo", "the pricing page is done".
 */
const FINISHED_WORK = [
  /^(?:(?:ya|pues|ok|vale|oye)\s+)*(?:he\s+|hemos\s+)?(?:terminad\w*|termine|terminamos|acabe|acabad\w*|acabamos|finalice|finalizad\w*)\s+(?!(?:gracias|por hoy|ya|todo)\b)\p{L}/u,
  /^(?:(?:ok|so|hey)\s+)*(?:i|we)(?:'ve|\s+have)?\s+(?:just\s+|already\s+)?(?:finished|completed|wrapped up)\s+(?!(?:thanks|for today|everything|it|that)\b)\p{L}|^(?:(?:i'?m|we'?re)\s+)?done with\s+(?!(?:it|that|this|everything|today)\b)\p{L}/u,
  // "mark as done: send the invoices", "marca como hecha: enviar las facturas".
  /^(?:(?:please|pls|porfa)\s+)?(?:mark|marca\w*|pon\w*)\s+(?:como\s+|as\s+)(?:done|complete[d]?|finished|hech[ao]|completad[ao]|terminad[ao])\s*:/,
  /\s(?:ya\s+)?(?:esta|estan)\s+(?:ya\s+)?(?:hech[oa]s?|list[oa]s?|terminad[oa]s?|acabad[oa]s?)\s*[.!]*$|\s(?:is|are)\s+(?:now\s+|already\s+)?(?:done|finished|complete)\s*[.!]*$/,
];

/** With the task noun: a new project's first task, making one or finishing one, whichever the sentence says first ("marca como hecha la tarea…" vs "crea una tarea para terminar…"). */
function taskIntent(text: string): string | undefined {
  if (PROJECT_THEN_TASK.test(text)) return 'create_project';
  // "completed tasks for John", "tareas terminadas de Pedro": finished tasks to list, not one to finish.
  if (FINISHED_ONES.test(text)) return undefined;
  const finishing = FINISHING.exec(text);
  const making = NEW_TASK.map((re) => re.exec(text)).find((m) => m !== null);
  if (finishing && (!making || finishing.index < making.index)) return 'complete_task';
  if (!making && FINISHED_STATE.test(text)) return 'complete_task';
  return making ? 'create_task' : listedByNoun(text);
}

/** "tareas del proyecto logistica", "tasks in apolo", "las tareas de Ana": the plural noun opening the message, no verb, lists. */
function listedByNoun(text: string): string | undefined {
  return /^\W*(?:(?:las|mis|the|my|all)\s+)?(?:tareas|tasks|to-?dos)\b(?!\s*:)/.test(text) ? 'list_tasks' : undefined;
}

/** Without the noun: work said to be finished, a verb of adding and what to do, or a label and what to do. */
function unnamedTask(written: string, text: string, said: string): string | undefined {
  if (FINISHED_WORK.some((re) => re.test(text)) && !/^(?:ya\s+)?(?:todo|eso|esto|everything|it|that|this|all)\b/.test(text)) return 'complete_task';
  // A capitalised word after the verb is a person ("agrega Pilar…", "add Karen Hill"), not what to do.
  const adding = ADD_INFINITIVE.exec(text);
  if (adding && /^\p{Ll}/u.test(written.slice(adding.index + adding[0].length - (adding[1]?.length ?? 0)))) return 'create_task';
  return ADD_VERB_EN.test(written) || LABELLED_WORK.test(said.trim()) ? 'create_task' : undefined;
}

function handedOver(said: string, written: string, text: string): boolean {
  const handed = DELEGATED.some((re) => re.test(re === DELEGATED[2] ? said.trim() : written)) || REMINDER.test(text);
  return handed && !BOOKING.test(text);
}

/** "agéndame una demo…", "schedule a call…": a booking verb leading the message, then what is booked. */
const BOOKS = /^(?:(?:porfa|por favor|please|pls|oye)\s+)?(?:agenda|agendame|agendar|programa|programame|schedule|book|bloquea|bloqueame|reserva|reservame|block|ponme|ponnos|set up)\s+(?:una?|el|la|me|a|an|the|my|mi|con|with)\b/;
/** "alarga la reunión a 2 horas", "extend the review by 30 min": an event made longer or shorter. */
const RESIZES = /^(?:(?:porfa|por favor|please|pls|oye)\s+)?(?:alarga\w*|acorta\w*|extiende\w*|extend\w*|shorten\w*|lengthen\w*)\b/;

/** "la retro que dure hora y media", "make tomorrow's standup half an hour": an event's new length. */
const NEW_LENGTH =
  /\bque dure\b|\bmake\s+(?:it|the|my|tomorrow'?s|today'?s|this)\b.*\b(?:\d+\s*(?:min|mins|minutes?|hours?|h)|half an hour|an hour(?: and a half)?|\d+h\d\d)(?:\s+long)?\s*[.!]*$/;

/** "agéndame una demo … que dure 45 min": a length said while booking is the new event's. */
const BOOKING_VERB = /\b(?:agend\w*|program\w*|reserv\w*|schedul\w*|book\w*|crea\w*|create|pon|ponme|ponnos|bloquea\w*|block|set up)\b/;

/** "make the review 30 min longer", "haz la reunión más corta": a length changed by an amount. */
const LONGER_OR_SHORTER = /\b(?:longer|shorter|mas larg[ao]|mas cort[ao])\b/;

/** The calendar intent a message's first verb states (issue 16): booking, or changing an event's length. */
function calendarIntent(text: string): string | undefined {
  if ((RESIZES.test(text) || LONGER_OR_SHORTER.test(text) || (NEW_LENGTH.test(text) && !BOOKING_VERB.test(text))) && MEETING_OR_NAMED.test(text)) return 'update_meeting';
  return BOOKS.test(text) ? 'schedule_meeting' : undefined;
}

/** A time of day: "a las 11", "at 3", "2pm", "17h", "10:30", "a mediodía", "de 10 a 11:30". */
const CLOCK_TIME =
  /\b(?:a las?|at)\s+(?:\d{1,2}|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|noon|mediodia)\b|\b\d{1,2}(?::\d{2})?\s*(?:am|pm|h)\b|\b\d{1,2}:\d{2}\b|\ba mediodia\b|\bat noon\b|\b(?:de|from)\s+\d{1,2}(?::\d{2})?\s*(?:a|to|-)\s*\d/;
/** The kinds of thing a calendar holds, said as a noun. */
const EVENT_KIND = /\b(?:reunion\w*|meetings?|citas?|llamadas?|calls?|eventos?|events?|reviews?|revision\w*|retros?|dailys?|standups?|demos?|syncs?|sincros?|comites?|entrevistas?|interviews?|sesion\w*|sessions?|comidas?|almuerzos?|lunch\w*|workshops?|talleres?|kickoffs?|1:1|one-on-ones?|formacion\w*|trainings?|cafes?|coffees?|videollamadas?)\b/;
const WITH_SOMEONE = /(?:^|\s)(?:con|with|w\/)\s+\p{L}/u;
/** Verbs of changing, cancelling or doing: with one, a time and a name are not a booking ("llama a Ana a las 5"). */
const NOT_BOOKING =
  /^(?:(?:please|pls|porfa|oye)\s+)?(?:call|llama|email|send|envia|manda|escribe|write|revisa|review|prepara|prepare)\b|\b(?:cancel\w*|borra\w*|elimina\w*|anula\w*|quita\w*|delete|remove|drop|mueve\w*|muev\w*|move\w*|push\w*|retrasa\w*|atrasa\w*|adelanta\w*|pospon\w*|postpone\w*|cambia\w*|change|reschedule|reprograma\w*|pasa(?:la|lo|me|le)?|alarga\w*|acorta\w*|extend\w*|shorten\w*|recuerda\w*|remind)\b/;

/**
 * "sesión con sarah el jueves de 10 a 11:30", "this friday 2pm demo with john", "a las 11 con luis mañana": no verb,
 * but a time of day and an event or someone to meet say a booking (issue 16).
 */
function bookedWithoutVerb(text: string): string | undefined {
  if (!CLOCK_TIME.test(text) || NOT_BOOKING.test(text) || DUE.test(text) || /\?\s*$/.test(text) || !OPENS_AS_EVENT.test(text)) return undefined;
  return EVENT_KIND.test(text) || WITH_SOMEONE.test(text) ? 'schedule_meeting' : undefined;
}

/** "finish the review by friday at 5", "entregar la demo antes del viernes a las 10": a deadline is a task's. */
const DUE = /\b(?:by|due|before|deadline|antes del?|vence\w*|entrega\w*|para entregar)\b/;
/**
 * How a verbless booking opens: with the day or hour ("mañana a las 10 …", "this friday 2pm …", "in two weeks …"),
 * with the event ("sesión con sarah …", "quarterly review …", "demo with john …") or with "ponme". A first word that
 * is a verb ("revisar el contrato con Luis a las 10", "finish the review …") says work to do, not a meeting.
 */
const OPENS_AS_EVENT = new RegExp(
  String.raw`^(?:(?:porfa|please|pls|oye|ok|vale)\s+)?(?:(?:` +
    String.raw`(?:hoy|manana|pasado|tomorrow|today|tonight|this|next|el|la|los|las|on|at|a|al|in|dentro|de|from|desde|lunes|martes|miercoles|jueves|viernes|sabado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri)` +
    String.raw`|ponme|pon|ponnos|set up` +
    String.raw`|(?:(?:una?|the|an?|mi|my|nueva?|new)\s+)?${EVENT_KIND.source.slice(2, -2)}` +
    String.raw`|(?!(?:the|a|an|el|la|los|las|un|una|mi|my)\b)\p{L}[\p{L}-]*\s+${EVENT_KIND.source.slice(2, -2)}` +
    String.raw`)\b|\d)`,
  'u',
);

/** A meeting noun, or an event's kind that names one ("la retro", "the budget review"). */
const MEETING_OR_NAMED = /\b(?:reunion\w*|meetings?|citas?|llamadas?|calls?|eventos?|events?|reviews?|revision\w*|retros?|dailys?|standups?|demos?|syncs?|comites?|entrevistas?|interviews?)\b/;

/**
 * "¿qué tengo el miércoles?", "que tengo la semana que viene", "what do I have on thursday": what is on a day is the
 * calendar; "¿qué tengo para mañana?" (due) and "qué tengo pendiente" stay the task list's.
 */
const WHAT_IS_ON =
  /^\W*(?:y\s+)?(?:que|what)\s+(?:tengo|do i have|have i got)\s+(?:el|este|esta|la semana|on|this|next)\b|^\W*(?:ensename|muestrame|dame|show me|give me)\s+(?:la|mi|my|the)\s+(?:agenda|calendario|calendar)\b|^\W*(?:what'?s|whats|what is)\s+on\s+(?:(?:for|on)\s+)?(?:this|next|my\s+(?:calendar|agenda|schedule)|tomorrow|today|monday|tuesday|wednesday|thursday|friday)\b|^\W*how\s+(?:does|do|is)\s+my\s+(?:day|week|calendar|schedule|agenda|monday|tuesday|wednesday|thursday|friday|tomorrow)\b|^\W*(?:ensename|muestrame|dime)\s+(?:lo\s+)?que\s+tengo\s+(?:el|este|esta|la semana|manana|pasado|hoy)\b/;

function asksWhatIsOn(text: string): boolean {
  return (WHAT_IS_ON.test(text) || FREE_AT.test(text)) && !new RegExp(String.raw`\b${TASK}\b|\bpendientes?\b|\bdue\b|\bpara\b`).test(text);
}

/**
 * "am I free tomorrow afternoon?", "¿estoy libre el jueves?", "what have I got tomorrow afternoon": whether there is
 * room in a day, or what a part of a day holds, is the calendar's.
 */
const FREE_AT =
  /^\W*(?:am i|are we|estoy|estamos)\s+(?:free|libres?|disponibles?|available|busy|ocupad[oa]s?)\b|^\W*(?:y\s+)?(?:que|what)\s+(?:tengo|do i have|have i got)\b.*\b(?:(?:this|tomorrow|friday|monday|tuesday|wednesday|thursday) (?:morning|afternoon|evening)|por la (?:manana|tarde|noche))\b/;

