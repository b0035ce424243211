import { describe, expect, it } from 'vitest';
import { findDates } from './dates.js';
import { formatInstant } from './zoned-time.js';

// Monday 26 January 2026, 09:30 in Mexico City (UTC-6).
const now = { timezone: 'America/Mexico_City', now: new Date('2026-01-26T15:30:00Z') };
const read = (text: string, ctx = now, sameTime?: { hour: number; minute: number }) =>
  findDates(text, ctx, sameTime ? { sameTime } : {}).map((d) => ({ said: text.slice(d.index, d.index + d.length), at: formatInstant(d.start, ctx.timezone), hasTime: d.hasTime }));

describe('findDates (chrono es + en, relative to nowContext)', () => {
  it.each([
    ['mañana a las 10', '2026-01-27T10:00:00-06:00'],
    ['tomorrow at 10', '2026-01-27T10:00:00-06:00'],
    ['mañana a la misma hora', '2026-01-27T09:30:00-06:00'],
    ['tomorrow at the same time', '2026-01-27T09:30:00-06:00'],
    ['pasado mañana a las 5', '2026-01-28T17:00:00-06:00'],
    ['the day after tomorrow at 9am', '2026-01-28T09:00:00-06:00'],
    ['el próximo jueves a las 3 de la tarde', '2026-01-29T15:00:00-06:00'],
    // Said on a Monday: "this friday" and "next friday" are the coming one (issue 16: the next such day, the reply
    // states the date); "friday next week" is next week's.
    ['this friday at 4pm', '2026-01-30T16:00:00-06:00'],
    ['next friday at 4pm', '2026-01-30T16:00:00-06:00'],
    ['friday next week at 4pm', '2026-02-06T16:00:00-06:00'],
    ['hoy a las 18:00', '2026-01-26T18:00:00-06:00'],
    ['mañana a mediodía', '2026-01-27T12:00:00-06:00'],
    ['tomorrow at noon', '2026-01-27T12:00:00-06:00'],
    ['en 2 horas', '2026-01-26T11:30:00-06:00'],
    ['in 2 hours', '2026-01-26T11:30:00-06:00'],
    ['el 5 de febrero a las 9:30', '2026-02-05T09:30:00-06:00'],
    ['mañana a las 8 de la mañana', '2026-01-27T08:00:00-06:00'],
    ['mañana a las 9 de la noche', '2026-01-27T21:00:00-06:00'],
  ])('%s → %s', (text, at) => {
    const [found, ...more] = read(text);
    expect(more).toEqual([]);
    expect(found).toMatchObject({ at, hasTime: true });
    expect(text.endsWith(found?.said ?? '?')).toBe(true);
  });

  it('reads an hour from 1 to 6 without am/pm as office hours (afternoon)', () => {
    expect(read('cita con Daniela mañana a las 3')[0]?.at).toBe('2026-01-27T15:00:00-06:00');
    expect(read('tomorrow at 3am')[0]?.at).toBe('2026-01-27T03:00:00-06:00');
  });

  it('marks a day without a time of day', () => {
    expect(read('el viernes')).toEqual([{ said: 'viernes', at: '2026-01-30T12:00:00-06:00', hasTime: false }]);
    expect(read('hoy')[0]?.hasTime).toBe(false);
  });

  it('takes "a la misma hora" from a time said earlier in the conversation', () => {
    expect(read('mañana a la misma hora', now, { hour: 15, minute: 0 })[0]?.at).toBe('2026-01-27T15:00:00-06:00');
  });

  it('finds the date inside a sentence and says where it was', () => {
    const text = 'crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website';
    expect(read(text)).toEqual([{ said: 'mañana a las 10', at: '2026-01-27T10:00:00-06:00', hasTime: true }]);
  });

  it('does not read a duration as a date', () => {
    expect(read('mañana a las 10 por 30 minutos').map((d) => d.said)).toEqual(['mañana a las 10']);
    expect(read('tomorrow at 9am for an hour').map((d) => d.said)).toEqual(['tomorrow at 9am']);
  });

  it('resolves "tomorrow" in the user timezone, not in UTC', () => {
    // 23:30 on the 26th in Mexico City is already the 27th in UTC.
    const late = { timezone: 'America/Mexico_City', now: new Date('2026-01-27T05:30:00Z') };
    expect(read('mañana a las 10', late)[0]?.at).toBe('2026-01-27T10:00:00-06:00');
    const madrid = { timezone: 'Europe/Madrid', now: new Date('2026-01-26T15:30:00Z') };
    expect(read('tomorrow at 10', madrid)[0]?.at).toBe('2026-01-27T10:00:00+01:00');
  });

  it('keeps the wall-clock time across a DST change', () => {
    const ny = { timezone: 'America/New_York', now: new Date('2026-03-07T15:00:00Z') };
    expect(read('el martes a las 10', ny)[0]?.at).toBe('2026-03-10T10:00:00-04:00');
  });

  it('finds nothing where there is no date', () => {
    expect(read('crea un proyecto llamado Website')).toEqual([]);
  });
});

describe('findDates inside words', () => {
  it('reads no month out of a name with an accent ("María" is not "Mar…")', () => {
    expect(read('tareas de María')).toEqual([]);
    expect(read('tareas de María para mañana').map((d) => d.said)).toEqual(['mañana']);
  });
  it('reads no date in the minutes of a meeting', () => {
    expect(read('send the minutes to Pedro, tomorrow at 8').map((d) => d.said)).toEqual(['tomorrow at 8']);
    expect(read('manda el acta y los minutos de la reunión mañana').map((d) => d.said)).toEqual(['mañana']);
  });
});

describe('findDates: lengths and ranges of hours (issue 16)', () => {
  const range = (text: string) =>
    findDates(text, now).map((d) => ({ said: text.slice(d.index, d.index + d.length), at: formatInstant(d.start, now.timezone), minutes: d.end ? (d.end.getTime() - d.start.getTime()) / 60_000 : undefined }));

  it.each([
    ['book a 1 hour sync tomorrow at 2pm', 'tomorrow at 2pm'],
    ['a 15 minute event tomorrow at 9:45am', 'tomorrow at 9:45am'],
    ['una reunion de 2h el martes 10:00', 'martes 10:00'],
    ['a 1h call on monday at 4pm', 'on monday at 4pm'],
    ['llamada de 45 min el miércoles a las 11', 'miércoles a las 11'],
  ])('reads no time of day in a length: %s', (text, said) => {
    expect(read(text).map((d) => d.said)).toEqual([said]);
  });

  it('keeps an hour written with "h" a time of day, and "in 2 hours" an offset', () => {
    expect(read('mañana a las 13h')[0]).toMatchObject({ at: '2026-01-27T13:00:00-06:00', hasTime: true });
    expect(read('en 2 horas')[0]?.at).toBe('2026-01-26T11:30:00-06:00');
  });

  it.each([
    ['de 15 a 16:30', '2026-01-26T15:00:00-06:00', 90],
    ['from 3 to 4:30pm', '2026-01-26T15:00:00-06:00', 90],
    ['entre las 9 y las 11', '2026-01-27T09:00:00-06:00', 120],
    ['de 9h a 11h', '2026-01-27T09:00:00-06:00', 120],
    ['de 3 a 5 de la tarde', '2026-01-26T15:00:00-06:00', 120],
    ['between 11 and 1', '2026-01-26T11:00:00-06:00', 120],
    ['from 10am to 12:15pm', '2026-01-26T10:00:00-06:00', 135],
  ])('a range of hours: %s', (text, at, minutes) => {
    expect(range(text)).toEqual([{ said: text, at, minutes }]);
  });

  it('reads no date in a code of digits and letters ("21313d", "23d58d"), nor in "3 días" without "en"', () => {
    expect(read('agenda la revisión del banco 21313d el viernes').map((d) => d.said)).toEqual(['viernes']);
    expect(read('agenda la revisión del banco 23d58d el viernes').map((d) => d.said)).toEqual(['viernes']);
    expect(read('una tarea de 3 días').map((d) => d.said)).toEqual([]);
    expect(read('en 3 días a las 10')[0]?.at).toBe('2026-01-29T10:00:00-06:00');
  });

  it('reads no range of hours in a range of days or of lengths', () => {
    expect(range('de 10 a 12 de enero').some((d) => d.minutes === 120)).toBe(false);
    expect(range('una reunión de 1 a 2 horas el lunes a las 10').map((d) => d.said)).toEqual(['lunes a las 10']);
  });
});

describe('findDates: times people say in words, and a weekday with its day of the month (issue 16)', () => {
  it.each([
    ['a las diez y media', '2026-01-26T10:30:00-06:00'],
    ['el jueves a las 4 y cuarto', '2026-01-29T16:15:00-06:00'],
    ['mañana a las 9 menos cuarto', '2026-01-27T08:45:00-06:00'],
    ['el lunes a la una menos cuarto', '2026-02-02T12:45:00-06:00'],
    ['at quarter past 2 on thursday', '2026-01-29T14:15:00-06:00'],
    ['tomorrow at half past ten', '2026-01-27T10:30:00-06:00'],
    ['friday at a quarter to five', '2026-01-30T16:45:00-06:00'],
  ])('%s → %s', (text, at) => {
    expect(read(text).find((d) => d.hasTime)?.at).toBe(at);
  });

  it.each([
    ['el viernes 13 a las 11', '2026-02-13T12:00:00-06:00'],
    ['friday the 30th at 10am', '2026-01-30T12:00:00-06:00'],
    ['el jueves día 5', '2026-02-05T12:00:00-06:00'],
    ['on tuesday the 3rd', '2026-02-03T12:00:00-06:00'],
  ])('the day number with its weekday: %s', (text, at) => {
    expect(read(text).find((d) => !d.hasTime)?.at).toBe(at);
  });

  it('keeps "el martes 10:00" and "el martes 10 con Ana" an hour, as before', () => {
    expect(read('el martes 10:00')[0]).toMatchObject({ at: '2026-01-27T10:00:00-06:00', hasTime: true });
    expect(read('el martes 10 con Ana')[0]?.hasTime).toBe(true);
  });

  it('reads "a half hour call" as a length, not as now plus half an hour', () => {
    expect(read('a half hour call at 17:30 on wednesday').map((d) => d.at)).toEqual(['2026-01-28T17:30:00-06:00']);
  });
});
