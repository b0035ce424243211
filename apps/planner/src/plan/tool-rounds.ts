import { extractArguments, type Locale } from '@spine/llm';
import { matchName, toolSpec } from '@spine/tool-catalog';
import type { PlanRequest, PreviousResult } from './plan.request.js';

/** A call as the planner checked it: the tool and its grounded, schema-valid arguments. */
export interface PlannedCall {
  tool: string;
  args: Record<string, unknown>;
}

/** A task the first round's listTasks returned. */
interface Listed {
  taskId: string;
  title: string;
  dueAt: string | undefined;
}

/** listTasks filters that describe "which tasks" (a day, "mine"), read from the user's words. */
const DESCRIBING = ['dueFrom', 'dueTo', 'assignee', 'createdBy'] as const;

/**
 * Round 1 (seed 003 ReAct): a task to complete that the user described rather than named ("mi tarea de hoy",
 * "my task for today") is looked up first: listTasks with what the message says about it (the caller's unless it
 * names whose), open ones only.
 * Undefined when the plan can run as it is.
 */
export function lookupFirst(calls: readonly PlannedCall[], req: PlanRequest): PlannedCall | undefined {
  const complete = calls.find((c) => c.tool === 'completeTask');
  const list = toolSpec('listTasks');
  if (!complete || calls.length !== 1 || !list || !req.allowedTools.has(list.name)) return undefined;
  const { args } = extractArguments(req.text, list.parameters, { now: req.now, locale: req.locale, toolName: list.name });
  const filters = Object.fromEntries(DESCRIBING.filter((k) => args[k] !== undefined).map((k) => [k, args[k]]));
  if (Object.keys(filters).length === 0) return undefined;
  // Whose, when the message does not say: one completes one's own tasks ("me": assigned to the caller, or made by them for nobody).
  const whose = filters['assignee'] === undefined && filters['createdBy'] === undefined ? { assignee: 'me' } : {};
  return { tool: list.name, args: { ...filters, ...whose, status: 'open' } };
}

export type SecondRound =
  /** The calls, with the reference resolved to the one task found. */
  | { kind: 'calls'; calls: PlannedCall[] }
  /** Nothing to run: `text` says why or asks which one, in the user's language. */
  | { kind: 'question'; text: string }
  | { kind: 'blocked'; text: string };

function listed(previous: readonly PreviousResult[]): Listed[] | undefined {
  const found = previous.find((r) => r.tool === 'listTasks' && r.ok);
  const result = found?.result;
  if (!result || typeof result !== 'object' || Array.isArray(result)) return undefined;
  const tasks = result['tasks'];
  if (!Array.isArray(tasks)) return undefined;
  return tasks.flatMap((t) => {
    if (!t || typeof t !== 'object' || Array.isArray(t)) return [];
    const taskId = t['taskId'];
    const title = t['title'];
    const dueAt = t['dueAt'];
    return typeof taskId === 'string' && typeof title === 'string' ? [{ taskId, title, dueAt: typeof dueAt === 'string' ? dueAt : undefined }] : [];
  });
}

/**
 * Round 2: the same plan, its task reference resolved against what round 1 found. One task: its id. Several: the
 * one whose title the user gave, else a question naming them. None: say so. Never a third round.
 */
export function secondRound(calls: readonly PlannedCall[], previous: readonly PreviousResult[], req: PlanRequest): SecondRound {
  const tasks = listed(previous);
  const es = req.locale === 'es';
  if (!tasks) return { kind: 'calls', calls: [...calls] };
  if (tasks.length === 0) return { kind: 'blocked', text: es ? 'No encontré ninguna tarea abierta que encaje con lo que dices.' : 'I found no open task that fits what you said.' };
  const resolve = (taskId: string) => ({ kind: 'calls' as const, calls: calls.map((c) => (c.tool === 'completeTask' ? { ...c, args: { ...c.args, task: taskId } } : c)) });
  if (tasks.length === 1) return resolve(tasks[0]!.taskId);
  const ref = calls.find((c) => c.tool === 'completeTask')?.args['task'];
  const named = typeof ref === 'string' ? matchName(tasks.map((t) => t.title), ref) : undefined;
  const chosen = named === undefined ? undefined : tasks.find((t) => t.title === named);
  if (chosen) return resolve(chosen.taskId);
  return { kind: 'question', text: whichOne(tasks, req.locale) };
}

function whichOne(tasks: readonly Listed[], locale: Locale): string {
  const titles = tasks.slice(0, 5).map((t) => `«${t.title}»`);
  const list = titles.length > 1 ? `${titles.slice(0, -1).join(', ')} ${locale === 'es' ? 'o' : 'or'} ${titles.at(-1) ?? ''}` : (titles[0] ?? '');
  return locale === 'es' ? `Encontré ${tasks.length} tareas: ¿cuál marco como hecha, ${list}?` : `I found ${tasks.length} tasks: which one should I mark as done, ${list}?`;
}
