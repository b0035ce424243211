import { describe, expect, it } from 'vitest';
import { toolCatalog } from '@spine/tool-catalog';
import { findDates } from './dates.js';
import { findBareHourAndHalf, findDurations } from './fields.js';
import { ruledIntent } from './intent.rules.js';
import { extractArguments } from './slot-extractor.js';
import { formatInstant } from './zoned-time.js';

// Calendar phrasings of the second fresh calendar set (issue 16, fresh-cal2.jsonl), each class with paraphrases of our own.
// Monday 7 December 2026, 15:20 in Madrid; 09:20 in New York.
const NOW = new Date('2026-12-07T14:20:00Z');
const MADRID = { timezone: 'Europe/Madrid', now: NOW };
const NEW_YORK = { timezone: 'America/New_York', now: NOW };

const days = (text: string, ctx = MADRID, locale: 'es' | 'en' = 'es') =>
  findDates(text, ctx, { locale }).map((d) => ({ said: text.slice(d.index, d.index + d.length), at: formatInstant(d.start, ctx.timezone).slice(0, 10), hasTime: d.hasTime }));

const parametersOf = (tool: string) => {
  const spec = toolCatalog.find((t) => t.name === tool);
  if (!spec) throw new Error(tool);
  return spec.parameters;
};
const known = { users: ['Ana García', 'Pedro López', 'John Smith', 'María Fernández', 'Luis Martín', 'Sarah Connor'], projects: [], events: [] };
const extract = (tool: string, text: string, locale: 'es' | 'en' = 'es') =>
  extractArguments(text, parametersOf(tool), { now: locale === 'es' ? MADRID : NEW_YORK, locale, toolName: tool, known });

describe('a day of the month said alone', () => {
  it.each([
    ['el día 15 a las 10 reunión con pedro', '2026-12-15'],
    ['reunión de equipo el 16 a las 10', '2026-12-16'],
    ['¿tengo algo el día 9?', '2026-12-09'],
    ['call with sarah on the 15th at 10am', '2026-12-15'],
    ['the 3rd at 9 works for me', '2027-01-03'],
    ['el día 7 a las 17:00', '2026-12-07'],
  ])('"%s" is the next such day (%s), today included', (text, at) => {
    expect(days(text, MADRID, /\b(?:the|on|with)\b/.test(text) ? 'en' : 'es').find((d) => !d.hasTime)?.at).toBe(at);
  });

  it.each([['el 5 de febrero a las 9:30'], ['on the 3rd of february at 9:30'], ['sube el precio el 10%']])('"%s" is no bare day number', (text) => {
    const found = days(text, MADRID, /\bon\b/.test(text) ? 'en' : 'es');
    expect(found.every((d) => !/^(?:el|on the) \d+$/.test(d.said))).toBe(true);
  });
});

describe('next <weekday> and the weekday of next week', () => {
  // Issue 16: a weekday phrase is the next such day, and the reply states the date so the user can correct it.
  it.each([
    ['next tuesday at 10', '2026-12-08'],
    ['next friday 11am', '2026-12-11'],
    ['next monday', '2026-12-14'],
    ['this friday 2pm', '2026-12-11'],
    ['friday next week at 3pm', '2026-12-18'],
  ])('"%s" (said on a Monday) is %s', (text, at) => {
    expect(days(text, NEW_YORK, 'en')[0]?.at).toBe(at);
  });

  it.each([
    ['el viernes de la semana que viene', '2026-12-18'],
    ['el martes de la próxima semana a las 10', '2026-12-15'],
    ['el próximo jueves a las 3', '2026-12-10'],
  ])('"%s" is %s', (text, at) => {
    expect(days(text)[0]?.at).toBe(at);
  });

  it('lists the weekday of next week, not the whole week', () => {
    expect(extract('listCalendarEvents', 'enséñame lo que tengo el viernes de la semana que viene').args).toEqual({ from: '2026-12-18T00:00:00+01:00', to: '2026-12-18T23:59:59+01:00' });
    expect(extract('listCalendarEvents', 'what do I have tuesday next week', 'en').args).toEqual({ from: '2026-12-15T00:00:00-05:00', to: '2026-12-15T23:59:59-05:00' });
    expect(extract('listCalendarEvents', 'what do I have next tuesday', 'en').args).toEqual({ from: '2026-12-08T00:00:00-05:00', to: '2026-12-08T23:59:59-05:00' });
  });
});

describe('the end of the month', () => {
  it.each([['el último día del mes a las 12'], ['a final de mes'], ['on the last day of the month at 11am'], ['end of the month']])('"%s" is the 31st', (text) => {
    expect(days(text, MADRID, /\b(?:the|of)\b/.test(text) ? 'en' : 'es')[0]?.at).toBe('2026-12-31');
  });

  it('keeps "month-end" in a title and takes the day from the rest', () => {
    expect(extract('createCalendarEvent', 'book the month-end close on the last day of the month at 11am', 'en').args).toEqual({ title: 'month-end close', startsAt: '2026-12-31T11:00:00-05:00' });
    expect(extract('createCalendarEvent', 'agenda el cierre contable el último día del mes a las 12').args).toEqual({ title: 'cierre contable', startsAt: '2026-12-31T12:00:00+01:00' });
  });
});

describe('lengths', () => {
  it.each([
    ['bloquea 1h30 para la demo', 90],
    ['2h15 workshop', 135],
    ['1h45m interview', 105],
  ])('"%s" lasts %i minutes', (text, minutes) => {
    expect(findDurations(text)[0]?.value).toBe(minutes);
  });

  it('reads "a las 17h30" as a time, not a length', () => {
    expect(findDurations('reunión a las 17h30')).toEqual([]);
  });

  it('reads "hora y media" said without "una"', () => {
    expect(findBareHourAndHalf('que dure hora y media')[0]?.value).toBe(90);
    expect(findBareHourAndHalf('make it an hour and a half')).toEqual([]);
  });
});

describe('calendar requests without a booking verb (intent rules)', () => {
  it.each([
    ['sesión con sarah el jueves de 10 a 11:30', 'schedule_meeting'],
    ['a las 11 con luis mañana', 'schedule_meeting'],
    ['this friday 2pm demo with john', 'schedule_meeting'],
    ['dentro de dos semanas a las 10 revisión trimestral', 'schedule_meeting'],
    ['in two weeks at 10 quarterly review', 'schedule_meeting'],
    ['mañana 12:30 comida con el equipo', 'schedule_meeting'],
    ['ponme con pedro el lunes a las 9', 'schedule_meeting'],
    ['quarterly review in two weeks at 10', 'schedule_meeting'],
    ['1:1 with sarah tomorrow at 3', 'schedule_meeting'],
    ['10:30 call con ana mañana', 'schedule_meeting'],
    ['la sincro con proveedores muévela una hora más tarde', 'update_meeting'],
    ['el comité pásalo al jueves', 'update_meeting'],
    ['la retro del sprint que dure hora y media', 'update_meeting'],
    ["make tomorrow's standup half an hour", 'update_meeting'],
    ['how does my wednesday look', 'list_meetings'],
    ["what's on this friday", 'list_meetings'],
    ['what have I got tomorrow afternoon', 'list_meetings'],
    ['¿estoy libre el jueves por la mañana?', 'list_meetings'],
    ['am I free on friday?', 'list_meetings'],
    ['enséñame lo que tengo el viernes de la semana que viene', 'list_meetings'],
  ])('"%s" → %s', (text, intent) => {
    expect(ruledIntent(text)).toBe(intent);
  });

  it("keeps «what's on my plate» the task list's", () => {
    expect(ruledIntent("hi! whats on my plate today")).not.toBe('list_meetings');
    expect(ruledIntent("what's on my plate this week")).not.toBe('list_meetings');
    expect(ruledIntent("what's on my calendar this friday")).toBe('list_meetings');
  });

  it.each([
    ['llama a Ana mañana a las 5'],
    ['call the bank tomorrow at 10'],
    ['cancela la reunión con Ana de mañana a las 10'],
    ['¿tengo reunión con Ana mañana a las 10?'],
    ['revisar el contrato con Luis mañana a las 10'],
    ['enviar el acta de la reunión el viernes a las 10'],
    ['finish the review by friday at 5pm'],
    ['update the slides with John tomorrow at 3'],
  ])(
    '"%s" is no booking by these rules',
    (text) => {
      expect(ruledIntent(text)).not.toBe('schedule_meeting');
    },
  );
});

describe('titles and attendees', () => {
  it('asks for the title when only whom it is with is said', () => {
    expect(extract('createCalendarEvent', 'book me with pedro tomorrow at 10', 'en')).toMatchObject({ args: { attendees: ['pedro'] }, missing: ['title'] });
    expect(extract('createCalendarEvent', 'ponme con luis el jueves a las 9')).toMatchObject({ args: { attendees: ['luis'] }, missing: ['title'] });
  });

  it.each([
    ['book 30 min with pedro wednesday at 12 about the CRM migration', 'en', 'CRM migration'],
    ['ponme media hora con pedro el miércoles a las 12 sobre la migración del crm', 'es', 'migración del crm'],
    ['reunión sobre el presupuesto 2027 con ana el jueves a las 16:00', 'es', 'reunión sobre el presupuesto 2027 con ana'],
  ] as const)('"%s": the topic after «sobre»/«about» is the title when no event noun comes first', (text, locale, title) => {
    expect(extract('createCalendarEvent', text, locale).args['title']).toBe(title);
  });

  it('leaves "on the calendar" out of the title', () => {
    expect(extract('createCalendarEvent', 'could you please put a meeting with luis on the calendar for the day after tomorrow at noon?', 'en').args['title']).toBe('meeting with luis');
    expect(extract('createCalendarEvent', 'pon una comida con ana en el calendario el jueves a las 2').args['title']).toBe('comida con ana');
  });

  it('takes no common noun for an attendee ("con proveedores", "with vendors")', () => {
    expect(extract('createCalendarEvent', 'reunión con proveedores el martes a las 10').args['attendees']).toBeUndefined();
    expect(extract('createCalendarEvent', 'sync with vendors on tuesday at 10', 'en').args['attendees']).toBeUndefined();
  });
});

describe('listing a part of a day', () => {
  it.each([
    ['am I free tomorrow afternoon?', 'en', '2026-12-08T12:00:00-05:00', '2026-12-08T18:00:00-05:00'],
    ['¿qué tengo el jueves por la tarde?', 'es', '2026-12-10T12:00:00+01:00', '2026-12-10T18:00:00+01:00'],
    ['anything on friday morning?', 'en', '2026-12-11T00:00:00-05:00', '2026-12-11T12:00:00-05:00'],
  ] as const)('"%s" is that window', (text, locale, from, to) => {
    expect(extract('listCalendarEvents', text, locale).args).toEqual({ from, to });
  });
});

describe('a move said as a correction, after a filler', () => {
  it.each(['actually push it to 4', 'sorry, move it to 5pm', 'no, mejor pásala al jueves', 'oops, mueve la reunión al jueves', 'ok push the demo to tomorrow'])('%s → update_meeting', (text) => {
    expect(ruledIntent(text)).toBe('update_meeting');
  });

  it.each(['actually I need a task: push the release to friday in Website', 'no, crea una reunión mañana a las 4'])('%s is no move', (text) => {
    expect(ruledIntent(text)).not.toBe('update_meeting');
  });
});

describe("a day's hour said with a possessive («tomorrow's 10am»)", () => {
  it.each([
    ["cancel tomorrow's 10am", '2026-12-08', true],
    ["move friday's 3pm to 4", '2026-12-11', true],
  ])('%s is one mention: %s with its hour', (text, day, hasTime) => {
    const [first] = days(text, NEW_YORK, 'en');
    expect(first).toMatchObject({ at: day, hasTime });
  });
});
