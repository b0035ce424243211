import { describe, expect, it } from 'vitest';
import { recurringRefusal, saysRecurring } from './recurrence.js';

describe('saysRecurring: a series of events, which the calendar tools cannot book (issue 16)', () => {
  it.each([
    'pon el standup todos los días a las 9:30',
    'agenda un standup diario a las 9',
    'reunión con Ana cada lunes a las 10',
    'una llamada semanalmente los jueves',
    'book a standup every day at 9:30',
    'schedule a sync with John every monday at 10',
    'a recurring 1:1 with Luis on fridays',
    'set up a call each week on tuesday',
  ])('%s', (text) => {
    expect(saysRecurring(text)).toBe(true);
  });

  it.each(['mueve el comité semanal al viernes', 'reserva media hora mañana a las 9 para la daily', 'schedule the weekly review tomorrow at 10', 'agenda una reunión con Ana el lunes'])('not: %s', (text) => {
    expect(saysRecurring(text)).toBe(false);
  });

  it('says why in the user language, with no English in the Spanish reply', () => {
    expect(recurringRefusal('es')).toMatch(/^Solo puedo agendar eventos sueltos/);
    expect(recurringRefusal('en')).toMatch(/^I can only book single events/);
  });
});
