import { extractArguments, findDates } from '@spine/llm';
import { toolSpec } from '@spine/tool-catalog';
import type { PlanRequest } from './plan.request.js';
import type { PlannedCall } from './round.types.js';

/** The tools that change a task that exists, by reference. */
export const CHANGES_TASK = new Set(['updateTask', 'deleteTask']);

/**
 * Round 1 of a change or deletion whose task the words do not name among the tenant's open tasks, but describe:
 * its project («cambia la tarea de Apolo para el jueves», "move the website task to friday") or its due day («la
 * tarea de ayer pásala a mañana»). The open tasks that fit are looked up first; round 2 takes the one found, or asks
 * which. The day a task moves to is not a description of it: it is left out of the lookup.
 */
export function taskLookup(calls: readonly PlannedCall[], req: PlanRequest): PlannedCall | undefined {
  const change = calls.length === 1 ? calls.find((c) => CHANGES_TASK.has(c.tool)) : undefined;
  const list = toolSpec('listTasks');
  if (!change || !list || !req.allowedTools.has(list.name)) return undefined;
  const ref = change.args['task'];
  if (typeof ref === 'string' && ((req.knownNames.tasks ?? []).includes(ref) || /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(ref))) return undefined;
  const described = withoutNewDueDay(req.text, change.args['dueAt'], req);
  const { args } = extractArguments(described, list.parameters, { now: req.now, locale: req.locale, toolName: list.name, known: req.knownNames });
  // "the website task": a project of the tenant said as a word of the description, without a lead.
  const project = args['project'] ?? (req.knownNames.projects ?? []).find((p) => new RegExp(`(?:^|[^\\p{L}])${escape(fold(p))}(?![\\p{L}])`, 'u').test(fold(described)));
  const filters = Object.fromEntries(Object.entries({ ...args, project }).filter(([k, v]) => ['project', 'dueFrom', 'dueTo'].includes(k) && v !== undefined));
  return Object.keys(filters).length ? { tool: list.name, args: { ...filters, status: 'open' } } : undefined;
}

/** The text without the day the task moves to ("a mañana", "to friday"), so only what describes the task is left. */
function withoutNewDueDay(text: string, dueAt: unknown, req: PlanRequest): string {
  if (typeof dueAt !== 'string') return text;
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: req.now.timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const target = findDates(text, req.now, { locale: req.locale }).filter((d) => d.hasDay && day(d.start) === day(new Date(dueAt))).at(-1);
  if (!target) return text;
  const before = text.slice(0, target.index).replace(/\s(?:a|al|para|hasta|to|until|for|by)\s*$/i, ' ');
  return `${before}${text.slice(target.index + target.length)}`;
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
