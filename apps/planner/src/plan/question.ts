import { findDates, type Locale, type NowContext } from '@spine/llm';
import { toolSpec } from '@spine/tool-catalog';

const DATE_FIELDS = new Set(['dueAt', 'startsAt']);

/** What the argument is called inside a question: its catalog words, else its schema description, else its name. */
function label(tool: string, field: string, locale: Locale): string {
  const spec = toolSpec(tool);
  const words = spec?.fields?.[field]?.label[locale];
  if (words) return words;
  const description = ((spec?.parameters['properties'] ?? {}) as Record<string, { description?: unknown }>)[field]?.description;
  return typeof description === 'string' ? description.toLowerCase() : field;
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
    // "el viernes" without an hour: ask only for the hour (a task's due date needs none: "retrasa dos días lo de…" lacks the date).
    if (DATE_FIELDS.has(first) && !/Task$/.test(tool) && said.some((s) => findDates(s, now, { locale }).some((d) => !d.hasTime))) {
      return es ? '¿A qué hora? Tengo el día, pero me falta la hora.' : 'At what time? I have the day but not the time.';
    }
    // A question for the argument alone, where the tool's entry has one ("¿Cuál es el título de la tarea?").
    const single = toolSpec(tool)?.fields?.[first]?.question?.[locale];
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
