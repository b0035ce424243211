import { isStandaloneRequest } from './intent.mask.js';
import { asksForSeveral } from './several-tasks.js';
import { foldKeepLength } from './text.js';

/** Where a second request of its own begins: "…, y agenda una reunión…", "… and schedule a call…", "…; luego crea…". */
const SECOND = /(?:\s*[,;]\s*|\s+)(?:y|e|and|luego|then|tambien|also|ademas|plus)\s+(?:(?:luego|despues|tambien|ademas|then|also)\s+)?(?:(?:por favor|porfa|please|pls)\s+)?(?=(?:agenda\w*|programa\w*|reserva\w*|schedule|book|crea\w*|create|add|anade\w*|agrega\w*|apunta\w*|ponme|pon|set up|marca\w*|mark|mueve|move|cancela\w*|cancel|borra\w*|delete|lista\w*|list|muestra\w*|show|dame|give me)\b)/g;
/** Two kinds of records asked for at once: "mis tareas y reuniones de hoy", "my tasks and my meetings for today". */
const BOTH_LISTS = /\b(tareas|tasks|to-?dos|reuniones|meetings|eventos|events|citas)\s+(?:y|and|&)\s+(?:(?:mis|my|las|los|the|tus|your)\s+)?(reuniones|meetings|calendario|calendar|agenda|eventos|events|citas|tareas|tasks|to-?dos)\b/;

/** "crea el proyecto X y una tarea en él": one request about a new project and its task, not two. */
const PROJECT_AND_ITS_TASK = /\b(?:proyecto|project)\b.*\s(?:y|and|with|con)\s+(?:\S+\s+)?(?:una?|a|an|its|su)\s+(?:primera\s+|first\s+)?(?:tarea|task)\b/;

/**
 * "crea una tarea para llamar a Acme mañana y agenda una reunión con Pedro el miércoles a las 10": two requests in one
 * message, each with its own facts (the task is due tomorrow, not on Wednesday). Undefined when the message holds one.
 */
export function twoRequests(text: string): [string, string] | undefined {
  const folded = foldKeepLength(text);
  const both = BOTH_LISTS.exec(folded);
  if (both?.[1] && both[2]) {
    // "list my tasks and my meetings for today": each listing, with the words both share.
    const firstNoun = both.index;
    const secondNoun = both.index + both[0].length - both[2].length;
    return [`${text.slice(0, firstNoun + both[1].length)}${text.slice(both.index + both[0].length)}`.trim(), `${text.slice(0, firstNoun)}${text.slice(secondNoun)}`.trim()];
  }
  // "add two tasks to Apolo: call the supplier and book the venue": one request listing its tasks.
  if (PROJECT_AND_ITS_TASK.test(folded) || asksForSeveral(text)) return undefined;
  for (const m of folded.matchAll(SECOND)) {
    const first = text.slice(0, m.index).trim();
    const second = text.slice(m.index + m[0].length).trim();
    if (isStandaloneRequest(first) && isStandaloneRequest(second)) return [first, second];
  }
  return undefined;
}
