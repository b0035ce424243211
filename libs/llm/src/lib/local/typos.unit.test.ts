import { describe, expect, it } from 'vitest';
import { correctTypos } from './typos.js';

describe('correctTypos', () => {
  it('reads typos and shorthand of keywords as the words meant', () => {
    expect(correctTypos('cra el proyeto Cometa').text).toBe('crea el proyecto Cometa');
    expect(correctTypos('mtg w/ Ana tomorrow 10am').text).toBe('meeting with Ana tomorrow 10am');
    expect(correctTypos('tarea p/ Ana').text).toBe('tarea para Ana');
    expect(correctTypos('creat a tsk for tomorow').text).toBe('create a task for tomorrow');
    expect(correctTypos('thnx!').text).toBe('thanks!');
    expect(correctTypos('grax').text).toBe('gracias');
    // Between a keyword and a real word kept only to be left alone, the typo is the keyword's.
    expect(correctTypos('crea una tare para mañana').text).toBe('crea una tarea para mañana');
  });

  it('keeps real words next to a keyword, names and words too far from any keyword', () => {
    for (const text of ['¿qué tareas creé hoy?', 'pasa la reunion', 'agenda reunion con maria', 'write the release notes', 'call Pedro Lopez', 'ya hice lo del banco', 'échame una mano']) {
      expect(correctTypos(text).text).toBe(text);
    }
  });

  it('maps a span of the corrected text back to the words the user typed', () => {
    const c = correctTypos('mtg w/ Ana tomorow');
    const at = c.text.indexOf('meeting with Ana');
    const span = c.originalSpan(at, at + 'meeting with Ana'.length);
    expect('mtg w/ Ana tomorow'.slice(span.from, span.to)).toBe('mtg w/ Ana');
  });
});

describe('correctTypos on addresses', () => {
  it('leaves emails alone', () => {
    expect(correctTypos('da de alta Alba Ruiz, alba@acme.com').text).toBe('da de alta Alba Ruiz, alba@acme.com');
  });
});

describe('correctTypos on common words', () => {
  it('keeps words near a keyword that are words of their own', () => {
    for (const text of ['lista todas las tareas', 'what meetings do I have tomorrow?', 'hola', 'dale a Marta una tarea', 'renovar el dominio del sitio']) expect(correctTypos(text).text).toBe(text);
  });

  it('reads one-letter shorthand', () => {
    expect(correctTypos('ponme una tarea d revisar el contrato pa mañana').text).toBe('ponme una tarea de revisar el contrato para mañana');
  });
});

describe('correctTypos leaves the English "past" of a time alone (issue 16)', () => {
  it('"quarter past 2" is not "quarter pasa 2"', () => {
    expect(correctTypos('schedule a meeting at quarter past 2').text).toBe('schedule a meeting at quarter past 2');
  });
});
