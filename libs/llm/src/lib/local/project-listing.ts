import type { KnownNames, ToolDefinition } from '../llm.types.js';
import { knownProject } from './known-names.js';
import { foldKeepLength } from './text.js';

/** Words of the calendar: a listing that says one is about events, whatever else it names. */
const CALENDAR = /\b(?:reunion\w*|meetings?|citas?|llamadas?|calls?|eventos?|events?|agenda\w*|calendar\w*|calendario|libre|free|busy|ocupad[oa])\b/;

/** A request to be shown what there is: "enséñame todo lo de…", "qué hay en…", "show me everything in…". */
const SHOWING = /^\s*[¿]?\s*(?:(?:porfa|please|pls|oye|hey)\s+)?(?:muestra\w*|ensena\w*|dame|lista\w*|que hay|show|list|give me|everything|todo lo)\b/;

/**
 * "muéstrame todo lo de Migración CRM", "show me everything in migracion crm": a listing about one of the tenant's
 * projects is about its tasks, since calendar events belong to no project. The listTasks tool when the nearest
 * intent took it for the calendar's listing or, for a request that asks to be shown, for anything else; undefined
 * otherwise.
 */
export function projectListing(text: string, tool: ToolDefinition, tools: readonly ToolDefinition[], known: KnownNames | undefined): ToolDefinition | undefined {
  const folded = foldKeepLength(text);
  if (tool.name === 'listTasks' || CALENDAR.test(folded) || (tool.name !== 'listCalendarEvents' && !SHOWING.test(folded))) return undefined;
  if (!knownProject(text, known, [])) return undefined;
  return tools.find((t) => t.name === 'listTasks');
}
