import { foldKeepLength } from './text.js';

/** A value found in the text and where it was, so other extractors do not read it again. */
export interface Found<T = string> {
  value: T;
  index: number;
  length: number;
}

const QUOTED = /\s*(?:"([^"]+)"|«([^»]+)»|“([^”]+)”|'([^']+)')/y;
const PROPER = /\s*(\p{Lu}[\p{L}\p{N}&._'’-]*(?:\s+(?:\p{Lu}[\p{L}\p{N}&._'’-]*|\d+))*)/uy;
const PERSON_NAME = /\s*(\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,3})/uy;
/** One or two lower-case words that are no function word: "john smith", "maria". */
const LOWER_PERSON = /\s*((?!(?:la|el|los|las|una?|de|del|en|para|que|the|an?|to|of|in|on|for|it|this|tarea|task|él|ella|ellos|ellas|him|her|them)(?![\p{L}]))\p{Ll}[\p{L}'’-]+(?:\s+(?!(?:la|el|los|las|una?|de|del|en|para|que|y|the|an?|to|of|in|on|for|and|it|tarea|task|by|due|con|with|mañana|manana|hoy|tomorrow|today)\b)\p{Ll}[\p{L}'’-]+)?)/uy;
const WORD = /\s*([\p{L}\p{N}][\p{L}\p{N}&._-]*(?:\s+\d+\b)?)/uy;
const EMAIL = /[^\s@,;:<>()"']+@[^\s@,;:<>()"']+\.[A-Za-z]{2,}/g;
const EMAIL_AT = /\s*([^\s@,;:<>()"']+@[^\s@,;:<>()"']+\.[A-Za-z]{2,})/y;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;

/** Words that can follow a keyword but are never a name ("proyecto para…", "project for…"). */
const NOT_A_NAME = new Set(['para', 'de', 'del', 'que', 'el', 'la', 'los', 'las', 'un', 'una', 'con', 'en', 'a', 'al', 'y', 'o', 'nuevo', 'nueva', 'llamado', 'llamada', 'the', 'a', 'an', 'for', 'to', 'of', 'in', 'on', 'with', 'and', 'new', 'called', 'named', 'que', 'se', 'llame']);

type ValuePattern = RegExp;

/** Reads a value right after each keyword match (keywords matched on folded text, values on the original). */
function after(text: string, keyword: RegExp, values: readonly ValuePattern[]): Found | undefined {
  const folded = foldKeepLength(text);
  for (const m of folded.matchAll(keyword)) {
    const at = m.index + m[0].length;
    for (const pattern of values) {
      pattern.lastIndex = at;
      const v = pattern.exec(text);
      const value = v?.slice(1).find((g) => g !== undefined)?.trim();
      if (!v || !value || NOT_A_NAME.has(value.toLowerCase())) continue;
      // A name ends at a sentence's end: "Proyecto: Ventas. Fecha: …" is Ventas.
      const stop = /[.,;:](?:\s|$)/.exec(value);
      if (stop) return { value: value.slice(0, stop.index), index: m.index, length: v.index + v[0].length - m.index - (value.length - stop.index) };
      return { value, index: m.index, length: v.index + v[0].length - m.index };
    }
  }
  return undefined;
}

export function findEmails(text: string): Found[] {
  return [...text.matchAll(EMAIL)].map((m) => ({ value: m[0].replace(/\.$/, ''), index: m.index, length: m[0].length }));
}

export function findUuid(text: string): Found | undefined {
  const m = UUID.exec(text);
  return m ? { value: m[0], index: m.index, length: m[0].length } : undefined;
}

/** "…", «…», “…”, and '…' where the quote stands alone (not the apostrophe of "Daniela's" or "it's"). */
export function findQuoted(text: string): Found | undefined {
  const m = /"([^"]+)"|«([^»]+)»|“([^”]+)”|(?<![\p{L}\p{N}])'([^']+)'(?![\p{L}\p{N}])/u.exec(text);
  const value = m?.slice(1).find((g) => g !== undefined);
  return m && value ? { value: value.trim(), index: m.index, length: m[0].length } : undefined;
}

/** "en el proyecto Website", "in the Website project", "project 'Intranet 2026'". */
export function findProject(text: string): Found | undefined {
  // "in the Website project", and a clause of its own: "…, due friday, Ventas project".
  const english = /(?:\b(?:in|to|for|on|under|of)\s+(?:the\s+)?|(?:^|[,;]\s*))(\p{Lu}[\p{L}\p{N}&._-]*(?:\s+(?:\p{Lu}[\p{L}\p{N}&._-]*|\d+))*)\s+project\b/u.exec(text);
  if (english?.[1]) return { value: english[1], index: english.index, length: english[0].length };
  // "to the marketing 2027 project": lower case, one word and maybe a number.
  const lower = /\b(?:in|to|for|on|under|of)\s+the\s+([\p{L}][\p{L}\p{N}&._-]*(?:\s+\d+)?)\s+project\b/u.exec(text);
  if (lower?.[1] && !NOT_A_NAME.has(lower[1].toLowerCase())) return { value: lower[1], index: lower.index, length: lower[0].length };
  return (
    after(text, /\b(?:en|del|al|para|de|in|to|for|on|under|of)\s+(?:el\s+|mi\s+|the\s+|my\s+)?(?:proyecto|project)\b/g, [QUOTED, PROPER, WORD]) ??
    after(text, /\b(?:proyecto|project)\b(?:\s*:)?(?:\s+(?:llamado|llamada|denominado|que se llame|called|named))?/g, [QUOTED, PROPER, WORD])
  );
}

/** The name of a project being created: "proyecto llamado Website", "new project 'Intranet 2026'", "the Apollo project". */
export function findProjectName(text: string): Found | undefined {
  const english = /\b(?:the|a|an|new)\s+(\p{Lu}[\p{L}\p{N}&._-]*(?:\s+(?:\p{Lu}[\p{L}\p{N}&._-]*|\d+))*)\s+project\b/u.exec(text);
  if (english?.[1]) return { value: english[1], index: english.index, length: english[0].length };
  return (
    after(text, /\b(?:proyecto|project)\b(?:\s+(?:nuevo|new))?(?:\s+(?:llamado|llamada|denominado|que se llame|called|named))?(?:\s*:)?/g, [QUOTED, PROPER, WORD]) ??
    after(text, /\b(?:llamado|llamada|called|named|call it|name it|llamalo|llamala|que se llame|ponle de nombre)\b/g, [QUOTED, PROPER])
  );
}

/** Who a task is for: "asígnala a Ana", "para ana@acme.com", "assign it to Peter", "tareas de Ana". */
export function findAssignee(text: string, claims: readonly boolean[] = []): Found | undefined {
  const leading = leadingPerson(text);
  return (
    // After a word that can only lead a person ("asígnale a john smith", "owner Ana"), a lower-case name is one too.
    after(text, /\b(?:asign\w*|assign\w*|responsable:?|encargad[oa]:?|owner:?|ponle\s+a)\s+(?:it\s+|this\s+|la\s+|lo\s+)?(?:a\s+|para\s+|to\s+)?/g, [EMAIL_AT, PERSON_NAME, LOWER_PERSON]) ??
    unclaimed(leading, claims) ??
    // "for Thursday", "para Mañana": a capitalised day was claimed as a date first.
    unclaimed(after(text, /(?:^|\s)(?:para|for)\s+/g, [EMAIL_AT, PERSON_NAME]), claims) ??
    after(text, /\b(?:tareas?|tasks?)\s+(?:de|of|for)\s+/g, [EMAIL_AT, PERSON_NAME])
  );
}

/** A value no other argument took: a lower-case word before a title's colon may be a day ("tarea para mañana: …"). */
function unclaimed(found: Found | undefined, claims: readonly boolean[]): Found | undefined {
  return found && !claims.slice(found.index, found.index + found.length).some(Boolean) ? found : undefined;
}

const NAME_WORDS = String.raw`\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,2}`;
const LOWER_WORDS = String.raw`(?!(?:el|la|los|las|una?|de|del|mi|my|the|an?|this|esta|este|él|ella|ellos|ellas|it|him|her|them)(?![\p{L}]))\p{Ll}[\p{L}'’-]+(?:\s+\p{Ll}[\p{L}'’-]+)?`;
/** "Luis tiene que revisar…", "Ana needs to review…": the one who must do it. */
const OBLIGED = new RegExp(String.raw`(?:^|[\s,.;])(${NAME_WORDS})\s+(?:tiene que|debe|deberia|debería|has to|needs to|must|should)\s`, 'u');
/** "necesito que Ana revise…", "I need Ana to review…". */
const DELEGATED_TO = new RegExp(String.raw`\b(?:necesito|necesitamos|quiero|queremos)\s+que\s+(${NAME_WORDS})\s|\b(?:need|needs|want|wants)\s+(${NAME_WORDS})\s+to\s`, 'u');
/** "give Sarah a task", "dale a Ana una tarea". */
const GIVEN = new RegExp(String.raw`\b(?:give|dale|dele|pasale|pásale)\s+(?:a\s+)?(${NAME_WORDS})\s+(?:a|an|the|una|la)\s+(?:tarea|task|to-?do)`, 'u');
/** "tarea para ana garcia: revisar…", "task for sarah: …": the lead's "para X" closed by the colon before the title. */
const FOR_BEFORE_COLON = new RegExp(String.raw`\b(?:tarea|task|to-?do)\b[^:]*?\s(?:para|for)\s+(${NAME_WORDS}|${LOWER_WORDS})\s*:(?!\d)`, 'u');

/** A person said where work is handed over rather than after "para"/"asigna": "Luis tiene que", "necesito que Ana", "give Sarah a task", "para ana:". */
function leadingPerson(text: string): Found | undefined {
  for (const re of [FOR_BEFORE_COLON, OBLIGED, DELEGATED_TO, GIVEN]) {
    const m = re.exec(text);
    const name = m?.slice(1).find((g) => g !== undefined);
    if (!m || !name) continue;
    const index = m.index + m[0].indexOf(name);
    return { value: name, index, length: name.length };
  }
  return undefined;
}

/** What a project is for, said right after its name: "el proyecto Lince para el rediseño de la tienda", "the Atlas project for the cloud migration". */
export function findPurposeAfterName(text: string, claims: readonly boolean[]): Found | undefined {
  const folded = foldKeepLength(text);
  for (const m of folded.matchAll(/,?\s(?:para|for|sobre|about|acerca de|que trata de|to handle)\s+/g)) {
    if (!claims[m.index - 1] || claims[m.index + 1]) continue;
    const start = m.index + m[0].length;
    let end = start;
    while (end < text.length && !claims[end] && !/[;\n]/.test(text[end] ?? '')) end++;
    const value = text.slice(start, end).trim().replace(/[.,!?]+$/, '');
    if (/\p{L}/u.test(value)) return { value, index: m.index, length: end - m.index };
  }
  return undefined;
}

/** The person a user account is for: "usuario para Ana López", "da de alta a Pedro", "user named John Smith". */
export function findPersonName(text: string): Found | undefined {
  return after(text, PERSON_LEAD, [PERSON_NAME]) ?? listedName(text) ?? titled(after(text, PERSON_LEAD, [LISTED_LOWER_NAME]));
}

/** "a la nueva compañera, Lucía Romero, lucia@…", "our new hire: Tom Baker, tom@…": a capitalised full name set off by commas in a list of fields. */
const LISTED_NAME = /(?:^|[,:;]\s*)(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){1,2})(?=\s*[,(;]|\s+[^\s@]+@|\s*$)/u;

function listedName(text: string): Found | undefined {
  if (!PERSON_LEAD_ONCE.test(foldKeepLength(text))) return undefined;
  const m = LISTED_NAME.exec(text);
  const name = m?.[1];
  return m && name ? { value: name, index: m.index + m[0].indexOf(name), length: name.length } : undefined;
}

/** The words after which a new user's name comes, and the filler a quick request puts there ("new user please: …"). */
const PERSON_LEAD =
/\b(?:usuari[oa]s?(?:\s+nuev[oa])?(?:\s+(?:para|llamad[oa]|a)\b)?|(?:new\s+)?user(?:\s+(?:for|named|called)\b)?|(?:da|dar|den|de)\s+de\s+alta(?:\s+(?:a|al usuario|a la usuaria)\b)?|agrega(?:r)?\s+a\b|anade\s+a\b|invita\s+a\b|agrega\b|anade\b|invita\b|registra\w*|register\b|sign\s+up\b|add\b|invite\b|onboard\b|cuenta\s+para\b|account\s+for\b|acceso\s+a\b|access\s+to\b|llamad[oa]\b|se\s+llama\b|named\b|called\b|nombre:?|name:?)(?:[\s,]+(?:please|pls|porfa|por favor)\b)?\s*(?:[:,]\s*)?/g;
const PERSON_LEAD_ONCE = new RegExp(PERSON_LEAD.source);

/** "nuevo usuario: jorge ibarra, jorge@acme.com": a name in lower case, first in a list of the person's fields. */
const LISTED_LOWER_NAME = /\s*(\p{Ll}[\p{L}'’-]+(?:\s+\p{Ll}[\p{L}'’-]+){1,2})(?=\s*[,(;]|\s+[^\s@]+@)/uy;

/** A person's name as it is written, capitalised ("jorge ibarra" → "Jorge Ibarra"). */
function titled(found: Found | undefined): Found | undefined {
  return found && { ...found, value: found.value.replace(/(^|\s)(\p{Ll})/gu, (_, sp: string, c: string) => sp + c.toUpperCase()) };
}

const PRIORITY = /\b(?:prioridad\s+(alta|media|baja|urgente)|(alta|media|baja)\s+prioridad|prio(?:rity)?\s*:?\s*(high|medium|low|urgent|alta|media|baja)|(high|medium|low)[- ]prio(?:rity)?|(urgente|urgent)|(?:tarea|task)\s+(?:muy\s+|very\s+)?(importante)|(?:very\s+)?(important)\s+task|(?:es|is)\s+(?:muy\s+|very\s+|really\s+)?(importante|important))\b/g;
/** Priority said by its absence of hurry: "no corre prisa", "sin prisa", "no es urgente", "no rush", "not urgent". */
const NO_HURRY = /\b(?:no\s+(?:corre|hay|tiene)\s+prisa|sin\s+prisa|no\s+(?:es\s+)?urge(?:nte)?|nada\s+urgente|no\s+rush|not\s+urgent|no\s+hurry|whenever\s+you\s+can)\b/;
const PRIORITY_SYNONYMS: Record<string, readonly string[]> = {
  high: ['high', 'alta', 'alto', 'urgente', 'urgent', 'importante', 'important'],
  medium: ['medium', 'media', 'medio', 'normal'],
  low: ['low', 'baja', 'bajo'],
};

/** A priority phrase mapped onto the enum's own values. */
export function findPriority(text: string, allowed: readonly string[]): Found | undefined {
  const folded = foldKeepLength(text);
  const calm = NO_HURRY.exec(folded);
  const low = allowed.find((a) => PRIORITY_SYNONYMS['low']?.includes(foldKeepLength(a)));
  if (calm && low) return { value: low, index: calm.index, length: calm[0].length };
  for (const m of folded.matchAll(PRIORITY)) {
    const said = m.slice(1).find((g) => g !== undefined) ?? '';
    const canonical = Object.keys(PRIORITY_SYNONYMS).find((k) => PRIORITY_SYNONYMS[k]?.includes(said));
    const options = canonical ? (PRIORITY_SYNONYMS[canonical] ?? []) : [said];
    const value = allowed.find((a) => options.includes(foldKeepLength(a)));
    if (value) return { value, index: m.index, length: m[0].length };
  }
  return undefined;
}

/** An enum value written as a word of the text. */
export function findEnumWord(text: string, allowed: readonly string[]): Found | undefined {
  const folded = foldKeepLength(text);
  for (const value of allowed) {
    const escaped = foldKeepLength(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`\\b${escaped}\\b`).exec(folded);
    if (m) return { value, index: m.index, length: m[0].length };
  }
  return undefined;
}

const DURATION = /\b(?:(?:por|durante|de|for|lasting)\s+)?(\d+(?:[.,]\d+)?|una|un|media|half an|a half|half|an|a)\s*-?\s*(horas?|hrs?|h|hours?|minutos?|mins?|minutes?)(\s+y\s+media|\s+and\s+a\s+half)?(?:(?<=\dh)(\d{2})(?:m|min)?)?\b/g;

/** "30 minutos", "una hora y media", "for 2 hours", "a 20-minute call" → minutes. */
export function findDurations(text: string): Found<number>[] {
  const folded = foldKeepLength(text);
  // "a las 17h30" is a time of day, not a length.
  return [...folded.matchAll(DURATION)].filter((m) => !m[4] || !/\b(?:a las?|las|at|de|desde|hasta|until|from)\s*$/.test(folded.slice(0, m.index))).map((m) => {
    const amount = m[1] === 'media' || /half/.test(m[1] ?? '') ? 0.5 : /^\d/.test(m[1] ?? '') ? Number((m[1] ?? '0').replace(',', '.')) : 1;
    const hours = /^h/.test(m[2] ?? '');
    const extra = m[3] ? 0.5 : 0;
    // "1h30", "2h15m": hours and minutes written together.
    const minutes = Number(m[4] ?? 0);
    return { value: Math.round((amount + extra) * (hours ? 60 : 1)) + minutes, index: m.index, length: m[0].length };
  });
}

/** "que dure hora y media", "an hour and a half" said without "una"/"an" before it (the amounts above need one). */
const BARE_HOUR_AND_HALF = /(?<!\b(?:una|un|an|a|\d+)\s+)\b(?:hora y media|hour and a half)\b/g;

/** Lengths said as "hora y media" alone, which `findDurations` reads only after an amount. */
export function findBareHourAndHalf(text: string): Found<number>[] {
  return [...foldKeepLength(text).matchAll(BARE_HOUR_AND_HALF)].map((m) => ({ value: 90, index: m.index, length: m[0].length }));
}

/** "título: X", "description: X", "llamada X": a labelled value up to the end of its clause. */
export function findLabelled(text: string, labels: readonly string[]): Found | undefined {
  const escaped = labels.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const m = new RegExp(`\\b(?:${escaped})\\s*[:=]\\s*([^,;\\n]+)`).exec(foldKeepLength(text));
  if (!m?.[1]) return undefined;
  const start = m.index + m[0].length - m[1].length;
  return { value: text.slice(start, start + m[1].length).trim(), index: m.index, length: m[0].length };
}

/** Words that look like a name after "en"/"in" but say when, where or how, not which project. */
const NOT_A_PROJECT = new Set([
  ...['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  ...['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'],
  ...['lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado', 'domingo', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'],
  ...['manana', 'hoy', 'tomorrow', 'today', 'tonight', 'la', 'el', 'los', 'las', 'un', 'una', 'the', 'a', 'an', 'my', 'mi', 'su', 'his', 'her', 'their', 'this', 'that', 'esta', 'este'],
  ...['proyecto', 'project', 'tarea', 'task', 'prioridad', 'priority', 'minutos', 'horas', 'dias', 'minutes', 'hours', 'days', 'semana', 'week', 'progreso', 'progress', 'curso', 'casa', 'home'],
]);
const LOOSE_NAME = /(\p{L}[\p{L}\p{N}&._-]*(?:\s+(?:\p{Lu}[\p{L}\p{N}&._-]*|\p{Lu}{2,}|\d+))*)/uy;

/**
 * A project named without the word "proyecto"/"project" (issue 16): "… en Intranet", "add … to Website",
 * "(Website)", "Intranet: …". Capitalised names anywhere such a preposition leads; a lower-case single word only
 * where its clause ends ("… en intranet, mañana"). The tool matches the name against the tenant's projects.
 */
export function findProjectLoose(text: string, claims: readonly boolean[]): Found | undefined {
  const folded = foldKeepLength(text);
  const free = (from: number, to: number) => !claims.slice(from, to).some(Boolean);
  const candidate = (at: number, lead: number): Found | undefined => {
    LOOSE_NAME.lastIndex = at;
    const m = LOOSE_NAME.exec(text);
    const value = m?.[1]?.trim();
    if (!m || !value || !free(m.index, m.index + m[0].length)) return undefined;
    const first = foldKeepLength(value.split(/\s+/)[0] ?? '');
    if (NOT_A_PROJECT.has(first) || NOT_A_NAME.has(first)) return undefined;
    const end = m.index + m[0].length;
    const capitalised = /^\p{Lu}/u.test(value);
    // A lower-case word is a name only where its clause ends: punctuation, the end, or a date or time read already.
    const clauseEnds = end >= text.length || /^\s*[,.;:!?)]/.test(text.slice(end)) || claims[end + 1] === true || claims[end] === true;
    if (!capitalised && (value.includes(' ') || !clauseEnds)) return undefined;
    return { value, index: lead, length: end - lead };
  };
  const parenthesised = /\(([^()]+)\)/.exec(text);
  if (parenthesised?.[1] && free(parenthesised.index, parenthesised.index + parenthesised[0].length) && !/\d{1,2}[:h]|@/.test(parenthesised[1])) {
    return { value: parenthesised[1].trim(), index: parenthesised.index, length: parenthesised[0].length };
  }
  const labelling = labellingName(text);
  if (labelling && free(labelling.index, labelling.index + labelling.length)) return labelling;
  for (const m of folded.matchAll(/(?:^|\s)(?:en|in|into|under|within)\s+/g)) {
    const found = candidate(m.index + m[0].length, m.index);
    if (found) return found;
  }
  // "agrega X a Website", "add X to Website": after a verb of adding, only a capitalised name.
  if (/\b(?:agrega\w*|anad\w*|pon\w*|mete\w*|add\w*|put)\b/.test(folded)) {
    for (const m of folded.matchAll(/\s(?:a|al|to)\s+/g)) {
      const found = candidate(m.index + m[0].length, m.index);
      if (found && /^\p{Lu}/u.test(found.value)) return found;
    }
  }
  return undefined;
}

/** "Intranet: revisar el contrato", "Intranet task: review the contract": a name that labels what follows its colon. */
function labellingName(text: string): Found | undefined {
  const task = /(?:^|\s)(\p{Lu}[\p{L}\p{N}&._-]*(?:\s+\d+)?)\s+(?:task|tarea|to-?do)\s*:/u.exec(text);
  if (task?.[1]) return { value: task[1], index: task.index, length: task[0].length };
  const leading = /^\s*(\p{Lu}[\p{L}\p{N}&._-]*(?:\s+(?:\p{Lu}[\p{L}\p{N}&._-]*|\d+))*)\s*:/u.exec(text);
  if (!leading?.[1] || /^(?:tarea|task|titulo|title|proyecto|project|nueva|new|nuevo)$/i.test(foldKeepLength(leading[1]))) return undefined;
  return { value: leading[1], index: leading.index, length: leading[0].length };
}

const ATTENDEE_NAME = /(\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,2}|[\p{Ll}][\p{L}'’-]*)/uy;
const NOT_AN_ATTENDEE = new Set([...NOT_A_NAME, 'equipo', 'team', 'cliente', 'client', 'clientes', 'clients', 'proveedor', 'supplier', 'proveedores', 'suppliers', 'vendor', 'vendors', 'gestor', 'gestoria', 'jefe', 'jefa', 'direccion', 'oficina', 'office', 'socios', 'partners', 'todos', 'everyone', 'all', 'mi', 'my', 'su', 'his', 'her', 'prioridad', 'priority', 'duracion', 'duration']);

/**
 * Who attends, as said: "con Ana", "with Ana and John", "con María y Luis", "w/ Ana". Capitalised names, or one
 * lower-case word that is no common noun ("con pedro"); the tool matches each against the tenant's users.
 */
export function findAttendees(text: string, claims: readonly boolean[] = []): string[] | undefined {
  const folded = foldKeepLength(text);
  const names: string[] = [];
  for (const m of folded.matchAll(/(?:^|\s)(?:con|with|w\/)\s+/g)) {
    let at = m.index + m[0].length;
    for (;;) {
      if (claims[at]) break;
      ATTENDEE_NAME.lastIndex = at;
      const v = ATTENDEE_NAME.exec(text);
      const value = v?.[1];
      if (!v || !value || NOT_AN_ATTENDEE.has(foldKeepLength(value.split(/\s+/)[0] ?? ''))) break;
      const words = value.split(/\s+/);
      // A capitalised name may run into a capitalised word that is no name ("Ana Mañana"): dates were claimed.
      let kept = value;
      for (let i = 0, pos = v.index; i < words.length; i++) {
        const start = text.indexOf(words[i]!, pos);
        if (claims[start]) {
          kept = words.slice(0, i).join(' ');
          break;
        }
        pos = start + words[i]!.length;
      }
      if (!kept) break;
      names.push(kept);
      at = v.index + kept.length;
      const sep = /^\s*(?:,|\sy\s|\sand\s|&)\s*/.exec(` ${text.slice(at)}`.replace(/^ (?=,)/, ''));
      const joiner = /^(\s*,\s*|\s+(?:y|and|e)\s+|\s*&\s*)/i.exec(text.slice(at));
      if (!sep && !joiner) break;
      at += (joiner?.[0] ?? '').length;
      if (!joiner) break;
    }
  }
  const unique = [...new Set(names)];
  return unique.length ? unique : undefined;
}

const STATUS_WORDS: Record<string, RegExp> = {
  open: /\b(?:pendientes?|abiertas?|sin terminar|por hacer|open|pending|unfinished|to do|todo(?!\s+(?:lo|el|la|los|las|en|de|del|esto|eso)\b)|vencid[ao]s?|atrasad[ao]s?|retrasad[ao]s?|fuera de plazo|overdue|past due|left to do|outstanding|lo que falta)\b/,
  done: /\b(?:completadas?|terminadas?|hechas?|cerradas?|finalizadas?|done|completed|finished|closed)\b/,
};

/** "tareas pendientes" → open, "completed tasks" → done, onto the enum's own values. */
export function findStatus(text: string, allowed: readonly string[]): Found | undefined {
  const folded = foldKeepLength(text);
  for (const value of allowed) {
    const m = STATUS_WORDS[value]?.exec(folded);
    if (m) return { value, index: m.index, length: m[0].length };
  }
  return undefined;
}

/** The caller's own: "mis tareas", "my tasks", "¿qué tareas tengo?", "what tasks do I have". */
export function saysMine(text: string): boolean {
  const folded = foldKeepLength(text);
  return /\b(?:mis|my|mine|tengo|i (?:still )?have|do i (?:still )?have|have i (?:still )?got|me toca\w*|(?:assigned to|left for|on) me|asignadas? a mi)\b/.test(folded) || AGENDA.test(folded.trim());
}

/** A day's list said on its own ("tareas de hoy", "today's tasks", "to-dos for tomorrow"): the caller's agenda. */
const AGENDA = new RegExp(
  String.raw`^(?:(?:dame|muestra(?:me)?|ensename|lista|show(?: me)?|list|give me)\s+)?(?:las\s+|the\s+)?` +
    String.raw`(?:(?:tareas|pendientes|tasks|to-?dos)\s+(?:de|para|for|due)\s+(?:(?:el|la|esta|this)\s+)?(?:hoy|manana|semana|today|tomorrow|week)|(?:today|tomorrow|this week)'?s\s+(?:tasks|to-?dos))[\s?!.]*$`,
);

/** Work handed to someone: "necesito que Ana revise…", "pídele a Luis que llame…", "I need Ana to review…", "have Sarah call…". */
export function findDelegate(text: string): Found | undefined {
  // Each lead with what must follow the name: "necesito que Ana revise", "pídele a Luis que llame", "need Ana to review", "have Sarah call".
  const leads: ReadonlyArray<readonly [RegExp, RegExp]> = [
    [/\b(?:necesito|quiero|hace falta)\s+que\s+/g, /^\s+\p{Ll}/u],
    [/\b(?:pide(?:le)?|dile|encarga(?:le)?)\s+a\s+/g, /^\s+que\s+\p{Ll}/u],
    [/\b(?:need|want|get|ask|tell)\s+/g, /^\s+to\s+\p{Ll}/u],
    [/\bhave\s+/g, /^\s+\p{Ll}/u],
  ];
  for (const [lead, then] of leads) {
    const found = after(text, lead, [PERSON_NAME]);
    if (found && then.test(text.slice(found.index + found.length))) return found;
  }
  return undefined;
}

/** Whose work a question asks about: "what is Ana working on", "¿en qué está trabajando Luis?", "¿qué tiene pendiente Marta?". */
export function findWorker(text: string): Found | undefined {
  return after(text, /\b(?:what(?:'s| is| are)|(?:en )?que (?:esta|anda)(?:\s+(?:trabajando|haciendo|metid[oa])(?:\s+(?:en|con))?)?|(?:que|what)\s+(?:tareas\s+|tasks\s+)?(?:tiene|does)(?:\s+(?:pendientes?|asignad[oa]s?))?)\s+(?=\S)/g, [PERSON_NAME]);
}

/** Who created the tasks: "creé", "did I create" → "me"; "creó Ana", "created by Ana" → the name said. */
export function findCreator(text: string): Found | undefined {
  const folded = foldKeepLength(text);
  const mine = /\b(?:cree|he creado|(?:tareas?|las) que hice|did i create|i created|i made|i added|i've (?:added|created|made)|i have (?:added|created|made)|created by me|creadas? por mi|anadi)\b/.exec(folded);
  if (mine) return { value: 'me', index: mine.index, length: mine[0].length };
  const named = after(text, /\b(?:creo|ha creado|created by|creadas? por|did)\s+/g, [EMAIL_AT, PERSON_NAME]);
  // "what did I do": the caller; "did you/we/they…" names nobody.
  if (named && PRONOUN.test(named.value)) return /^i$/i.test(named.value) ? { ...named, value: 'me' } : undefined;
  return named;
}

const PRONOUN = /^(?:i|you|we|they|he|she|it|yo|tu|el|ella|nosotros|ellos)$/i;

/** The task a change is about: "la tarea revisar el informe", "ya terminé de revisar el informe", "mark the task X as done". */
export function findTaskReference(text: string): Found | undefined {
  const folded = foldKeepLength(text);
  // The task noun first ("complete the task update…"), else what follows a verb of finishing ("terminé la presentación").
  const m =
    /\b(?:la tarea|tarea|the task|task)\s+(?:de\s+|del\s+|de que\s+)?/.exec(folded) ??
    /\b(?:(?:he |ya )?(?:terminado|termine|acabe|acabado|completado|complete|finalice|finalizado)(?: de)?|hice lo de|finished|done with|completed)\s+(?:de\s+|de que\s+)?/.exec(folded);
  if (!m) return undefined;
  const start = m.index + m[0].length;
  const rest = text.slice(start);
  const end = /(?:^|\s+)(?:como|as)\s+(?:hech[ao]|completad[ao]|terminad[ao]|done|complete|completed|finished)\b|[.,;!?]|$/i.exec(rest);
  // "I finished the task call the bank": the verb matched first, the noun is not part of the reference.
  const value = rest
    .slice(0, end?.index ?? rest.length)
    .trim()
    .replace(/^(?:(?:la|the)\s+)?(?:tarea|task)\s+(?:de\s+)?/i, '')
    .replace(/^["'«“]|["'»”]$/g, '');
  if (value) return { value, index: m.index, length: m[0].length + value.length };
  // "mark the slides task as done": the name comes before the noun.
  const before = /\b(?:mark|set|marca\w*|pon\w*|deja\w*)\s+(?:(?:the|my|la|el|mi)\s+)?(.+?)\s+(?:task|tarea)\b/d.exec(folded);
  const span = before?.indices?.[1];
  return before && span ? { value: text.slice(span[0], span[1]), index: before.index, length: before[0].length } : undefined;
}
