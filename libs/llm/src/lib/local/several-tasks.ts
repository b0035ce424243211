import { foldKeepLength } from './text.js';

/** A message that says it asks for several tasks: "crea 2 tareas…", "two tasks for Website…", "tareas nuevas: …". */
const SEVERAL = /\b(?:(?:2|3|4|dos|tres|cuatro|two|three|four)\s+(?:nuevas\s+|new\s+)?(?:tareas|tasks|to-?dos)|(?:tareas|tasks)\s+(?:nuevas\s+|new\s+)?:)/;
/** Where one thing to do ends and the next begins: "revisar enlaces y optimizar imágenes", "update the footer and fix the favicon". */
const JOIN = /\s*;\s*|\s+(?:y|e|and)\s+/;

/** The rest of a list after its first item, to the end of the message: ", clean the logs and update the wiki". */
const LIST_TAIL = /^\s*,\s*((?:[^,.;:!?]+,\s*)*[^,.;:!?]+\s(?:y|e|and)\s[^,.;:!?]+?)\s*[.!]?\s*$/;

/**
 * The titles of the tasks one message asks for. One title unless the message says it wants several tasks and the
 * title joins several things to do; then each is a task of its own, with the same project, date and assignee.
 */
export function taskTitles(said: string, title: string): string[] {
  if (!SEVERAL.test(foldKeepLength(said))) return [title];
  // The title stops at a comma: "…: renew the certificate, clean the logs and update the wiki" lists on to the end.
  const at = said.indexOf(title);
  const listed = at >= 0 ? LIST_TAIL.exec(said.slice(at + title.length)) : null;
  const parts = `${title}${listed?.[1] ? `; ${listed[1].replace(/\s*,\s*/g, '; ')}` : ''}`
    .split(JOIN)
    .map((p) => p.trim())
    .filter((p) => /\p{L}/u.test(p));
  return parts.length > 1 ? parts : [title];
}
