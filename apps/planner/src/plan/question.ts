import { findDates, type Locale, type NowContext } from '@spine/llm';

type Phrase = Record<Locale, string>;

/** What each missing argument is called inside a question, per tool; `*` for any tool. */
const LABELS: Record<string, Record<string, Phrase>> = {
  createTask: { title: { es: 'el título de la tarea', en: 'the task title' }, project: { es: 'el proyecto', en: 'the project' }, dueAt: { es: 'la fecha y hora límite', en: 'the due date and time' } },
  createProject: { name: { es: 'el nombre del proyecto', en: 'the project name' } },
  createUser: { name: { es: 'el nombre completo', en: 'the full name' }, email: { es: 'el correo electrónico', en: 'the email address' } },
  createCalendarEvent: { title: { es: 'el título de la reunión', en: 'the meeting title' }, startsAt: { es: 'el día y la hora', en: 'the day and time' } },
  '*': { event: { es: 'qué evento es (su título)', en: 'which event it is (its title)' } },
};

/** A question for one argument alone, where a plain "¿Me indicas …?" reads badly. */
const SINGLE: Record<string, Record<string, Phrase>> = {
  createTask: {
    title: { es: '¿Cuál es el título de la tarea?', en: 'What is the title of the task?' },
    project: { es: '¿En qué proyecto va la tarea?', en: 'Which project is the task for?' },
    dueAt: { es: '¿Para cuándo es la tarea? Dime fecha y hora.', en: 'When is the task due? Tell me the date and time.' },
  },
  createProject: { name: { es: '¿Cómo se llama el proyecto?', en: 'What is the project called?' } },
  createUser: { email: { es: '¿Cuál es su correo electrónico?', en: 'What is their email address?' } },
  createCalendarEvent: { startsAt: { es: '¿Para qué día y hora la agendo?', en: 'What day and time should I book it for?' } },
};

const DATE_FIELDS = new Set(['dueAt', 'startsAt']);

function label(tool: string, field: string, locale: Locale): string {
  return (LABELS[tool]?.[field] ?? LABELS['*']?.[field])?.[locale] ?? field;
}

function joined(items: string[], locale: Locale): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${locale === 'es' ? 'y' : 'and'} ${items.at(-1) ?? ''}`;
}

/** One concrete question asking for every missing argument at once, in the user's language. */
export function questionFor(tool: string, missing: readonly string[], locale: Locale, said: readonly string[], now: NowContext): string {
  const [first] = missing;
  if (!first) return '';
  const es = locale === 'es';
  if (missing.length === 1) {
    // "el viernes" without an hour: ask only for the hour.
    if (DATE_FIELDS.has(first) && said.some((s) => findDates(s, now, { locale }).some((d) => !d.hasTime))) {
      return es ? '¿A qué hora? Tengo el día, pero me falta la hora.' : 'At what time? I have the day but not the time.';
    }
    const single = SINGLE[tool]?.[first]?.[locale];
    if (single) return single;
    return es ? `¿Me indicas ${label(tool, first, locale)}?` : `Could you tell me ${label(tool, first, locale)}?`;
  }
  const labels = joined(
    missing.map((f) => label(tool, f, locale)),
    locale,
  );
  return es ? `¿Me indicas ${labels}?` : `Could you tell me ${labels}?`;
}

/** The question when the request names nothing the planner can do. */
export function clarifyQuestion(locale: Locale): string {
  return locale === 'es'
    ? '¿Qué necesitas que haga: crear una tarea, un proyecto o un usuario, o agendar una reunión?'
    : 'What should I do: create a task, a project or a user, or schedule a meeting?';
}
