export type Language = 'es' | 'en';

const SPANISH = new Set(
  'el la los las un una unos unas de del al y o que en por para con sin se su sus es son está están hay muy más pero como cuando donde quién qué cuál crea crear tarea proyecto mañana hoy ayer reunión hola gracias por favor necesito quiero puedes revisar contrato usuario semana próxima lunes martes miércoles jueves viernes a las mi me te lo le nos'.split(' '),
);
const ENGLISH = new Set(
  'the a an of and or that in on for with without is are was were there very more but how when where who what which create task project tomorrow today yesterday meeting hello hi thanks please need want can you review contract user week next monday tuesday wednesday thursday friday at my me it to be'.split(' '),
);
const SPANISH_MARKS = /[ñáéíóúü¿¡]/i;

export interface Detection {
  language: Language;
  confidence: number;
}

/** es or en, from function words and Spanish-only letters; the client's locale breaks ties. */
export function detectLanguage(text: string, localeHint = ''): Detection {
  const words = text.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  let es = SPANISH_MARKS.test(text) ? 2 : 0;
  let en = 0;
  for (const w of words) {
    if (SPANISH.has(w)) es++;
    if (ENGLISH.has(w)) en++;
  }
  const hint: Language | undefined = /^es\b/i.test(localeHint) ? 'es' : /^en\b/i.test(localeHint) ? 'en' : undefined;
  if (es === en) return { language: hint ?? 'es', confidence: hint ? 0.6 : 0.5 };
  const language: Language = es > en ? 'es' : 'en';
  const confidence = Math.max(es, en) / (es + en);
  return { language, confidence: Math.round(confidence * 100) / 100 };
}
