import type { ToolSpec } from '@spine/tool-catalog';
import type { PlanRequest } from './plan.request.js';

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

/** "push it to 4", "actually move that to friday", "muévela a las 5", "cancélala": the event is a pronoun. */
const PRONOUN = /\b(?:it|that one|that)\b|\b(?:muev|pas|cambi|retras|atras|adelant|reprogram|pospon|cancel|borr|elimin|quit|anul)\w*?l[ao]\b/;
/** The assistant's confirmation of an event it booked or changed: "creé el evento «comida con Ana»", "the event «vendor demo»". */
const CONFIRMED_EVENT = /\b(?:evento|event)\s+«([^»]+)»/;

/**
 * The event a change names by a pronoun ("push it to 4", "muévela a las 5") right after the assistant booked or changed
 * one: its title, as the assistant's last turn confirmed it (issue 16). Nothing when the message names an event itself,
 * when it says no pronoun, or when the last turn confirmed no event: then the question asks which one.
 */
export function eventJustNamed(spec: ToolSpec, args: Readonly<Record<string, unknown>>, req: PlanRequest): Record<string, unknown> {
  if ((spec.name !== 'updateCalendarEvent' && spec.name !== 'deleteCalendarEvent') || args['event'] !== undefined || !PRONOUN.test(fold(req.text))) return {};
  const last = req.history.at(-1);
  const title = last?.role === 'assistant' ? CONFIRMED_EVENT.exec(last.text)?.[1]?.trim() : undefined;
  return title ? { event: title } : {};
}
