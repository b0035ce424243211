import { foldKeepLength } from './text.js';

/** A message that says it asks for several tasks: "crea 2 tareas…", "two tasks for Website…", "tareas nuevas: …". */
const SEVERAL = /\b(?:(?:2|3|4|dos|tres|cuatro|two|three|four)\s+(?:nuevas\s+|new\s+)?(?:tareas|tasks|to-?dos)|(?:tareas|tasks)\s+(?:nuevas\s+|new\s+)?:|(?:crea|creame|anade|agrega|apunta|pon|ponme|create|add|make)\s+(?:(?:estas|these|the|las|some|unas)\s+)?(?:tareas|tasks|to-?dos)\s+(?:(?:en|in|to|for|para|a|al)\s+[^:]{1,40})?:)/;
/** Whether the message says it asks for several tasks ("crea 2 tareas…", "add tasks to Apolo: …"). */
export function asksForSeveral(said: string): boolean {
  return SEVERAL.test(foldKeepLength(said));
}

/** Where one thing to do ends and the next begins: "revisar enlaces y optimizar imágenes", "update the footer and fix the favicon". */
const JOIN = /\s*;\s*|\s+(?:y|e|and)\s+/;

/** The rest of a list after its first item, to the end of the message: ", clean the logs and update the wiki". */
const LIST_TAIL = /^\s*,\s*((?:[^,.;:!?]+,\s*)*[^,.;:!?]+\s(?:y|e|and)\s[^,.;:!?]+?)\s*[.!]?\s*$/;

/** A closing clause of when, shared by every task listed: ", para el viernes", ", both due thursday", " by friday". */
const SHARED_WHEN = /\s*[,;]?\s*(?:(?:both|all|each|all of them|ambas|ambos|todas|todos|las dos|los dos|las tres)\s+)?(?:para|due|by|before|antes del?|el|on|for|para el|vencen|vence)\s+[^,;:]*?\s*[.!]?\s*$/iu;
/** The rest of a two-item list: " and book the venue". */
const AND_TAIL = /^\s+(?:y|e|and)\s+([^,.;:!?]+?)\s*[.!]?\s*$/;

/**
 * The titles of the tasks one message asks for. One title unless the message says it wants several tasks and the
 * title joins several things to do; then each is a task of its own, with the same project, date and assignee.
 */
export function taskTitles(said: string, title: string): string[] {
  if (!asksForSeveral(said)) return [title];
  // The title stops at a comma: "…: renew the certificate, clean the logs and update the wiki" lists on to the end.
  const at = said.indexOf(title);
  // "…, para el viernes", "…, both due thursday": the day all the tasks share closes the list; it is no task.
  const rest = at >= 0 ? said.slice(at + title.length).replace(SHARED_WHEN, '') : '';
  const listed = LIST_TAIL.exec(rest) ?? AND_TAIL.exec(rest);
  const parts = `${title}${listed?.[1] ? `; ${listed[1].replace(/\s*,\s*/g, '; ')}` : ''}`
    .split(JOIN)
    .map((p) => p.trim())
    .filter((p) => /\p{L}/u.test(p));
  return parts.length > 1 ? parts : [title];
}
