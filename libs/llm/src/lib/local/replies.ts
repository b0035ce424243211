import type { Locale } from '../llm.types.js';
import { fold } from './text.js';
import { zonedParts } from './zoned-time.js';

type Phrase = Record<Locale, string>;

/** "olvídalo", "never mind" (isCancel decides whether a message is only that). */
const CANCEL_WORDS = /^(?:\W|no|nah|bueno|vale|ok|okay|mejor|pues)*\b(olvidalo|olvidate|dejalo|mejor no|no importa|nada|never ?mind|nvm|forget it|forget that|scratch that|cancel (?:it|that)|drop it)\b/;

const SMALL_TALK: ReadonlyArray<{ when: RegExp; say: Phrase }> = [
  { when: CANCEL_WORDS, say: { es: 'Vale, lo dejo. ¿Te ayudo con otra cosa?', en: "OK, I've dropped it. Anything else I can help with?" } },
  { when: /\b(gracias|thanks|thank you|thx)\b/, say: { es: '¡Con gusto! ¿Algo más en lo que te ayude?', en: "You're welcome! Anything else I can help with?" } },
  { when: /\b(adios|hasta luego|nos vemos|bye|see you|goodbye)\b/, say: { es: '¡Hasta luego! Aquí estaré cuando me necesites.', en: "Bye! I'll be here when you need me." } },
  { when: /\b(como estas|que tal|how are you|how is your day)\b/, say: { es: '¡Muy bien, gracias! ¿En qué te ayudo hoy?', en: "I'm doing well, thanks! How can I help today?" } },
  {
    when: /\b(quien eres|que puedes hacer|que sabes hacer|para que sirves|who are you|what can (?:you|u) do|what do you do|what are you able to do)\b/,
    say: {
      es: 'Soy el asistente del ERP: creo tareas, proyectos y usuarios, agendo reuniones y busco en la documentación. Dime qué necesitas.',
      en: "I'm the ERP assistant: I create tasks, projects and users, book meetings and search the docs. Tell me what you need.",
    },
  },
  { when: /.*/, say: { es: '¡Hola! ¿En qué te ayudo? Puedo crear tareas, proyectos o usuarios y agendar reuniones.', en: 'Hi! How can I help? I can create tasks, projects or users and book meetings.' } },
];

export const replies = {
  smallTalk(text: string, locale: Locale): string {
    const folded = fold(text);
    return (SMALL_TALK.find((s) => s.when.test(folded)) ?? SMALL_TALK[SMALL_TALK.length - 1])?.say[locale] ?? '';
  },
  needMoreContext(locale: Locale): string {
    return locale === 'es'
      ? 'Claro. ¿Qué necesitas exactamente? Por ejemplo: crear una tarea, un proyecto o un usuario, o agendar una reunión, con sus datos.'
      : 'Sure. What exactly do you need? For example: create a task, a project or a user, or book a meeting, with its details.';
  },
  unknown(locale: Locale): string {
    return locale === 'es'
      ? 'No estoy seguro de haberte entendido. ¿Me lo dices de otra forma? Por ejemplo: «crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website».'
      : "I'm not sure I understood. Could you put it another way? For example: “create a task to review the contract tomorrow at 10 in the Website project”.";
  },
  cannotDo(locale: Locale): string {
    return locale === 'es' ? 'Eso no lo puedo hacer desde aquí. ¿Te ayudo con otra cosa?' : "I can't do that from here. Can I help with something else?";
  },
};

const MONTHS: Record<Locale, readonly string[]> = {
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** Dates in tool results, written for people the same way on every runtime: "27 de enero de 2026, 10:00". */
export function humanDate(iso: string, locale: Locale, timezone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = zonedParts(d, timezone);
  const month = MONTHS[locale][p.month - 1] ?? '';
  const time = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  return locale === 'es' ? `${p.day} de ${month} de ${p.year}, ${time}` : `${month} ${p.day}, ${p.year}, ${time}`;
}
