import type { Locale } from '../llm.types.js';
import { humanDate } from './replies.js';
import { toolObject, toolVerb, type ToolObject, type ToolVerb } from './slot-kinds.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);

const NOUN: Record<ToolObject, Record<Locale, string>> = {
  task: { es: 'la tarea', en: 'the task' },
  project: { es: 'el proyecto', en: 'the project' },
  user: { es: 'el usuario', en: 'the user' },
  event: { es: 'el evento', en: 'the event' },
  other: { es: 'la operación', en: 'the operation' },
};

const DONE: Record<ToolVerb, Record<Locale, string>> = {
  create: { es: 'creé', en: 'I created' },
  update: { es: 'actualicé', en: 'I updated' },
  delete: { es: 'eliminé', en: 'I deleted' },
  read: { es: 'consulté', en: 'I looked up' },
  other: { es: 'completé', en: 'I completed' },
};

/** A tool message as the tool-executor writes it (`ToolResult` as JSON), or any JSON object. */
interface ToolOutcome {
  tool: string;
  ok: boolean;
  result: Json;
  error?: { message?: string; suggestion?: string };
}

export function parseToolMessage(content: string, fallbackName: string): ToolOutcome | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const tool = str(parsed['tool']) ?? fallbackName;
  const error = isObject(parsed['error']) ? parsed['error'] : undefined;
  const ok = parsed['ok'] === false || (error && parsed['ok'] !== true) ? false : true;
  const result = isObject(parsed['result']) ? parsed['result'] : parsed;
  return { tool, ok, result, ...(error ? { error: { ...(str(error['message']) ? { message: str(error['message']) } : {}), ...(str(error['suggestion']) ? { suggestion: str(error['suggestion']) } : {}) } } : {}) };
}

/**
 * The reply for one tool outcome. It quotes only what the tool returned: a field the result does
 * not have is left out of the sentence, never filled in.
 */
export function toolReply(outcome: ToolOutcome, locale: Locale, timezone: string): string {
  const object = toolObject(outcome.tool);
  const verb = toolVerb(outcome.tool);
  const es = locale === 'es';
  if (!outcome.ok) {
    const message = outcome.error?.message ?? (es ? 'la herramienta devolvió un error' : 'the tool returned an error');
    const suggestion = outcome.error?.suggestion ? ` ${outcome.error.suggestion}` : '';
    return es ? `No pude completar ${NOUN[object].es}: ${message}.${suggestion}` : `I couldn't complete ${NOUN[object].en}: ${message}.${suggestion}`;
  }
  const list = Object.values(outcome.result).find(Array.isArray);
  if (verb === 'read' && list) return listReply(list, object, locale, timezone);
  const r = outcome.result;
  const name = str(r['title']) ?? str(r['name']);
  const parts = [es ? `Listo: ${DONE[verb].es} ${NOUN[object].es}` : `Done: ${DONE[verb].en} ${NOUN[object].en}`];
  if (name) parts.push(`«${name}»`);
  // Tools name their ids after what they made (taskId, eventId, …); the tool-executor does.
  const ownId = str(r['id']) ?? str(r[`${object}Id`]);
  // Ids stay out of the sentence (issue 16): a details line after it carries them for whoever needs them.
  const details: string[] = [];
  if (ownId) details.push(`id ${ownId}`);
  const project = str(r['projectName']) ?? (isObject(r['project']) ? str(r['project']['name']) : str(r['project']));
  if (project) parts.push(es ? `en el proyecto ${project}` : `in the ${project} project`);
  const projectId = object === 'project' ? undefined : str(r['projectId']);
  if (projectId) details.push(`${es ? 'id del proyecto' : 'project id'} ${projectId}`);
  const when = str(r['dueAt']) ?? str(r['startsAt']);
  if (when) parts.push(`${es ? (r['dueAt'] ? 'para el' : 'el') : r['dueAt'] ? 'due' : 'on'} ${humanDate(when, locale, timezone)}`);
  const who = str(r['assignee']) ?? str(r['assigneeName']) ?? str(r['email']);
  if (who) parts.push(es ? `(${who})` : `(${who})`);
  const sentence = `${parts.join(' ')}.`;
  return details.length ? `${sentence}\n${es ? 'Detalles' : 'Details'}: ${details.join(' · ')}.` : sentence;
}

function listReply(items: unknown[], object: ToolObject, locale: Locale, timezone: string): string {
  const es = locale === 'es';
  const plural = es ? { task: 'tareas', event: 'eventos', project: 'proyectos', user: 'usuarios', other: 'resultados' }[object] : { task: 'tasks', event: 'events', project: 'projects', user: 'users', other: 'results' }[object];
  if (items.length === 0) return es ? `No encontré ${plural}.` : `I found no ${plural}.`;
  const lines = items.slice(0, 10).map((item) => {
    if (!isObject(item)) return `- ${String(item)}`;
    const name = str(item['title']) ?? str(item['name']) ?? str(item['id']) ?? '';
    const when = str(item['dueAt']) ?? str(item['startsAt']) ?? str(item['createdAt']);
    return `- ${name}${when ? ` (${humanDate(when, locale, timezone)})` : ''}`;
  });
  const more = items.length > 10 ? (es ? `\n…y ${items.length - 10} más.` : `\n…and ${items.length - 10} more.`) : '';
  return `${es ? `Encontré ${items.length} ${plural}:` : `I found ${items.length} ${plural}:`}\n${lines.join('\n')}${more}`;
}
