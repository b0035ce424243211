import type { Locale } from '@spine/llm';

/**
 * "standup todos los días", "cada lunes", "every monday at 9": a series of events. The calendar tools book one event
 * at a time, so booking the first one alone would drop what the user asked for (issue 16: nothing invented or lost).
 */
const RECURRING =
  /\b(?:tod[oa]s\s+l[oa]s\s+(?:dias|semanas|meses|lunes|martes|miercoles|jueves|viernes|mananas|tardes)|cada\s+(?:dia|semana|mes|lunes|martes|miercoles|jueves|viernes|manana|tarde|\d+\s+(?:dias|semanas))|a diario|diari[oa]s?|semanalmente|mensualmente|recurrentes?|every\s+(?:day|week|month|morning|afternoon|weekday|monday|tuesday|wednesday|thursday|friday|other\s+\w+|\d+\s+(?:days|weeks))|each\s+(?:day|week|month|morning|monday|tuesday|wednesday|thursday|friday)|recurring|repeating|on weekdays)\b/;

export function saysRecurring(text: string): boolean {
  return RECURRING.test(folded(text));
}

/** "pon el standup todos los días": an event said, whichever create tool the words were taken for. */
const EVENT_WORD = /\b(?:standups?|dailys?|reunion(?:es)?|meetings?|llamadas?|calls?|syncs?|eventos?|events?|citas?)\b/;

/** A recurring booking to refuse: a calendar event, or a task planned for words that name an event. */
export function refusesRecurring(tool: string, text: string): boolean {
  if (!saysRecurring(text)) return false;
  return tool === 'createCalendarEvent' || (tool === 'createTask' && EVENT_WORD.test(folded(text)));
}

const folded = (text: string) => text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

/** Why a recurring booking is not made, and what the user can do instead, in their language. */
export function recurringRefusal(locale: Locale): string {
  return locale === 'es'
    ? 'Solo puedo agendar eventos sueltos, no series que se repiten. Dime el día y la hora del primero y lo agendo; los siguientes, igual, uno a uno.'
    : 'I can only book single events, not a series that repeats. Tell me the day and time of the first one and I will book it; the next ones the same way, one at a time.';
}
