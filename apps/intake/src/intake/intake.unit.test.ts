import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.js';
import { normalizeText } from './normalize.js';

describe('normalizeText', () => {
  it('collapses whitespace, drops invisible characters and composes accents', () => {
    expect(normalizeText('  crea\u200B una\t\ttarea\n para  man\u0303ana  ')).toBe('crea una tarea para mañana');
  });

  it('turns typographic quotes into plain ones', () => {
    expect(normalizeText('el proyecto \u201CWebsite\u201D')).toBe('el proyecto "Website"');
  });
});

describe('detectLanguage', () => {
  it.each([
    ['crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website', 'es'],
    ['¿Qué reuniones tengo hoy?', 'es'],
    ['create a task to review the contract tomorrow at 10 in the Website project', 'en'],
    ['what meetings do I have today?', 'en'],
  ])('%s → %s', (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });

  it('lets the locale hint decide a tie', () => {
    expect(detectLanguage('Website 10:00', 'en-US')).toEqual({ language: 'en', confidence: 0.6 });
    expect(detectLanguage('Website 10:00', 'es-MX').language).toBe('es');
  });
});
