import type { Locale } from '../llm.types.js';

/** Lower case, no accents, no punctuation, single spaces: what matching compares. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@.\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Accent-insensitive, case-insensitive comparison key that keeps punctuation positions. */
export function foldKeepLength(text: string): string {
  // NFD then dropping marks changes length; map char by char so indexes stay valid.
  return Array.from(text, (ch) => ch.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().slice(0, 1) || ch).join('');
}

const ES_HINTS = new Set(['el', 'la', 'los', 'las', 'de', 'del', 'que', 'y', 'en', 'un', 'una', 'para', 'por', 'con', 'es', 'mi', 'me', 'al', 'hola', 'gracias', 'manana', 'tarea', 'proyecto', 'reunion', 'crea', 'como', 'que', 'hoy', 'usuario', 'quiero', 'necesito', 'buenos', 'dias', 'buenas']);
const EN_HINTS = new Set(['the', 'a', 'an', 'of', 'and', 'in', 'to', 'for', 'with', 'is', 'my', 'me', 'on', 'at', 'hello', 'hi', 'thanks', 'thank', 'tomorrow', 'task', 'project', 'meeting', 'create', 'how', 'what', 'today', 'user', 'want', 'need', 'please', 'good', 'morning']);

/** Spanish or English, from stop words and Spanish-only marks; `fallback` on a tie. */
export function detectLocale(text: string, fallback: Locale = 'es'): Locale {
  let es = /[ñ¿¡áéíóú]/i.test(text) ? 2 : 0;
  let en = 0;
  for (const word of fold(text).split(' ')) {
    if (ES_HINTS.has(word)) es++;
    if (EN_HINTS.has(word)) en++;
  }
  if (es === en) return fallback;
  return es > en ? 'es' : 'en';
}
