import type { Locale } from '../llm.types.js';
import type { SlotSpec, ToolObject } from './slot-kinds.js';

type Phrase = Record<Locale, string>;

const OBJECT: Record<ToolObject, Phrase> = {
  task: { es: 'la tarea', en: 'the task' },
  project: { es: 'el proyecto', en: 'the project' },
  user: { es: 'el usuario', en: 'the user' },
  event: { es: 'el evento', en: 'the event' },
  other: { es: 'esto', en: 'this' },
};

/** What to call a missing argument inside a sentence. */
function label(slot: SlotSpec, object: ToolObject, locale: Locale): string {
  const es = locale === 'es';
  switch (slot.kind) {
    case 'title':
      return es ? 'el título' : 'the title';
    case 'project':
      return es ? 'el proyecto' : 'the project';
    case 'person':
      return es ? 'a quién se asigna' : 'who it is assigned to';
    case 'name':
      if (object === 'project') return es ? 'el nombre del proyecto' : 'the project name';
      if (object === 'user') return es ? 'el nombre completo' : 'the full name';
      return es ? 'el nombre' : 'the name';
    case 'email':
      return es ? 'el correo electrónico' : 'the email address';
    case 'instant':
    case 'since':
    case 'until':
      return es ? 'la fecha y la hora' : 'the date and time';
    case 'date':
      return es ? 'la fecha' : 'the date';
    case 'time':
      return es ? 'la hora' : 'the time';
    case 'duration':
      return es ? 'la duración' : 'how long it lasts';
    case 'reference':
      return es ? 'qué evento es (su título)' : 'which event (its title)';
    default: {
      const description = slot.schema['description'];
      return typeof description === 'string' ? description.toLowerCase() : slot.name;
    }
  }
}

/** The question for a single missing argument. */
function single(slot: SlotSpec, object: ToolObject, locale: Locale, dayOnly: boolean): string {
  const es = locale === 'es';
  const what = OBJECT[object][locale];
  if (dayOnly) return es ? `¿A qué hora? Tengo el día, pero me falta la hora para ${what}.` : `At what time? I have the day but not the time for ${what}.`;
  switch (slot.kind) {
    case 'title':
      return es ? `¿Cuál es el título de ${what}?` : `What is the title of ${what}?`;
    case 'project':
      return es ? `¿En qué proyecto va ${what}?` : `Which project is ${what} for?`;
    case 'instant':
      return object === 'event' ? (es ? '¿Para qué día y hora lo agendo?' : 'What day and time should I book it for?') : es ? `¿Para cuándo es ${what}? Dime fecha y hora.` : `When is ${what} due? Tell me the date and time.`;
    case 'email':
      return es ? '¿Cuál es su correo electrónico?' : 'What is their email address?';
    case 'person':
      return es ? `¿A quién le asigno ${what}?` : `Who should I assign ${what} to?`;
    case 'reference':
      return es ? '¿De qué evento se trata? Dime su título.' : 'Which event do you mean? Tell me its title.';
    default:
      return es ? `¿Me indicas ${label(slot, object, locale)}?` : `Could you tell me ${label(slot, object, locale)}?`;
  }
}

function list(items: string[], locale: Locale): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${locale === 'es' ? 'y' : 'and'} ${items.at(-1) ?? ''}`;
}

/** One concrete question that asks for every missing argument at once. */
export function questionFor(missing: readonly SlotSpec[], object: ToolObject, locale: Locale, dateWithoutTime: readonly string[] = []): string {
  const [first] = missing;
  if (!first) return '';
  if (missing.length === 1) return single(first, object, locale, dateWithoutTime.includes(first.name));
  const labels = list(
    missing.map((s) => label(s, object, locale)),
    locale,
  );
  const what = OBJECT[object][locale];
  return locale === 'es' ? `Para ${what} me falta: ${labels}. ¿Me lo indicas?` : `For ${what} I still need ${labels}. Could you tell me?`;
}
