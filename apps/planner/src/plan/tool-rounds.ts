import { extractArguments, findDates, findShift, formatInstant, type Locale } from '@spine/llm';
import { matchName, toolSpec } from '@spine/tool-catalog';
import { calendarLookup, calendarRound, type EndedEvent } from './move-at-time.js';
import { CHANGES_TASK, taskLookup } from './task-lookup.js';
import type { PlanRequest, PreviousResult } from './plan.request.js';
import type { PlannedCall, SecondRound } from './round.types.js';

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
  const shifted = eventToShift(calls, req);
  // "retrasa la daily una hora": the new start is the event's own start plus the hour, so the event is looked up first.
  if (shifted) return { tool: 'listCalendarEvents', args: {} };
  // "pasa la reunión a las 5", "mueve la reunión de mañana al viernes", "cancela mi reunión de las 4": the event first.
  const event = calendarLookup(calls, req);
  if (event) return event;
  // "cancela mi reunión de mañana": no name, a day; the events of that day are looked up first.
  const day = unnamedOnDay(calls, req);
  if (day) return { tool: 'listCalendarEvents', args: day };
  // "cambia la tarea de Apolo para el jueves", "la tarea de ayer pásala a mañana": the task described is looked up first.
  const described = taskLookup(calls, req);
  if (described) return described;
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
  const shifted = eventToShift(calls, req);
  if (shifted) return movedBy(calls, shifted, previous, req);
  if (unnamedOnDay(calls, req)) return cancelOnDay(calls, previous, req);
  const changed = calendarRound(calls, listedEvents(previous), req);
  if (changed) return changed;
  const tasks = listed(previous);
  const es = req.locale === 'es';
  if (!tasks) return { kind: 'calls', calls: [...calls] };
  if (tasks.length === 0) return { kind: 'blocked', text: es ? 'No encontré ninguna tarea abierta que encaje con lo que dices.' : 'I found no open task that fits what you said.' };
  const byRef = (tool: string) => tool === 'completeTask' || CHANGES_TASK.has(tool);
  const resolve = (taskId: string) => ({ kind: 'calls' as const, calls: calls.map((c) => (byRef(c.tool) ? { ...c, args: { ...c.args, task: taskId } } : c)) });
  if (tasks.length === 1) return resolve(tasks[0]!.taskId);
  const ref = calls.find((c) => byRef(c.tool))?.args['task'];
  const named = typeof ref === 'string' ? matchName(tasks.map((t) => t.title), ref) : undefined;
  const chosen = named === undefined ? undefined : tasks.find((t) => t.title === named);
  if (chosen) return resolve(chosen.taskId);
  return { kind: 'question', text: whichOne(tasks, req.locale, calls.find((c) => byRef(c.tool))?.tool) };
}

/** What the question says is to be done with the one the user picks. */
const WHICH_FOR: Record<string, { es: string; en: string }> = {
  updateTask: { es: 'cambio', en: 'change' },
  deleteTask: { es: 'borro', en: 'delete' },
};

function whichOne(tasks: readonly Listed[], locale: Locale, tool = 'completeTask'): string {
  const titles = tasks.slice(0, 5).map((t) => `«${t.title}»`);
  const list = titles.length > 1 ? `${titles.slice(0, -1).join(', ')} ${locale === 'es' ? 'o' : 'or'} ${titles.at(-1) ?? ''}` : (titles[0] ?? '');
  const verb = WHICH_FOR[tool] ?? { es: 'marco como hecha', en: 'mark as done' };
  return locale === 'es' ? `Encontré ${tasks.length} tareas: ¿cuál ${verb.es}, ${list}?` : `I found ${tasks.length} tasks: which one should I ${verb.en}, ${list}?`;
}

/** An event to move by an amount ("retrasa la daily una hora"): its reference and the minutes, when the plan says no new start. */
function eventToShift(calls: readonly PlannedCall[], req: PlanRequest): { ref: string; minutes: number } | undefined {
  const update = calls.length === 1 ? calls.find((c) => c.tool === 'updateCalendarEvent') : undefined;
  const ref = update?.args['event'];
  if (!update || typeof ref !== 'string' || update.args['startsAt'] !== undefined || !req.allowedTools.has('listCalendarEvents')) return undefined;
  const minutes = findShift(req.text);
  return minutes === undefined ? undefined : { ref, minutes };
}

function listedEvents(previous: readonly PreviousResult[]): EndedEvent[] | undefined {
  const result = previous.find((r) => r.tool === 'listCalendarEvents' && r.ok)?.result;
  const events = result && typeof result === 'object' && !Array.isArray(result) ? result['events'] : undefined;
  if (!Array.isArray(events)) return undefined;
  return events.flatMap((e) => {
    if (!e || typeof e !== 'object' || Array.isArray(e)) return [];
    const { eventId, title, startsAt, endsAt } = e;
    return typeof eventId === 'string' && typeof title === 'string' && typeof startsAt === 'string' ? [{ eventId, title, startsAt, ...(typeof endsAt === 'string' ? { endsAt } : {}) }] : [];
  });
}

/** Round 2 of a relative move: the event the user named among those listed, moved from its own start. */
function movedBy(calls: readonly PlannedCall[], shift: { ref: string; minutes: number }, previous: readonly PreviousResult[], req: PlanRequest): SecondRound {
  const events = listedEvents(previous);
  if (!events) return { kind: 'calls', calls: [...calls] };
  const es = req.locale === 'es';
  const title = matchName([...new Set(events.map((e) => e.title))], shift.ref);
  const found = title === undefined ? [] : events.filter((e) => e.title === title);
  if (found.length === 0) return { kind: 'blocked', text: es ? `No encuentro el evento «${shift.ref}» en tu calendario de los próximos días.` : `I can't find the event "${shift.ref}" in your calendar for the coming days.` };
  // Several with that title (a daily): the next one is the one meant.
  const event = found.sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))[0]!;
  const startsAt = formatInstant(new Date(Date.parse(event.startsAt) + shift.minutes * 60_000), req.now.timezone);
  const ref = found.length === 1 ? event.title : event.eventId;
  return { kind: 'calls', calls: calls.map((c) => (c.tool === 'updateCalendarEvent' ? { ...c, args: { ...c.args, event: ref, startsAt } } : c)) };
}

/** A cancellation that names no event but a day ("cancela mi reunión de mañana"): the window of that day. */
function unnamedOnDay(calls: readonly PlannedCall[], req: PlanRequest): { from: string; to: string } | undefined {
  const remove = calls.length === 1 ? calls.find((c) => c.tool === 'deleteCalendarEvent') : undefined;
  const list = toolSpec('listCalendarEvents');
  if (!remove || remove.args['event'] !== undefined || !list || !req.allowedTools.has(list.name)) return undefined;
  const { args } = extractArguments(req.text, list.parameters, { now: req.now, locale: req.locale, toolName: list.name });
  const [from, to] = [args['from'], args['to']];
  if (typeof from === 'string' && typeof to === 'string') return { from, to };
  // "quita lo de mañana a las 10", "cancel my 11am tomorrow": a day and an hour; that day is listed, the hour picks the event.
  const said = findDates(req.text, req.now, { locale: req.locale });
  if (typeof from !== 'string' || !said.some((d) => d.hasDay) || !said.some((d) => d.hasTime)) return undefined;
  return { from: `${from.slice(0, 10)}T00:00:00${from.slice(19)}`, to: `${from.slice(0, 10)}T23:59:59${from.slice(19)}` };
}

/** The hour said with a cancellation by day ("lo de mañana a las 10" → "10:00"), to pick among that day's events. */
function hourSaid(req: PlanRequest): string | undefined {
  const withTime = findDates(req.text, req.now, { locale: req.locale }).find((d) => d.hasTime && !d.end);
  return withTime ? formatInstant(withTime.start, req.now.timezone).slice(11, 16) : undefined;
}

/** Round 2 of a cancellation by day: the one event of that day; several, a question naming them; none, it says so. */
function cancelOnDay(calls: readonly PlannedCall[], previous: readonly PreviousResult[], req: PlanRequest): SecondRound {
  const events = listedEvents(previous);
  if (!events) return { kind: 'calls', calls: [...calls] };
  const es = req.locale === 'es';
  if (events.length === 0) return { kind: 'blocked', text: es ? 'No tienes ningún evento ese día.' : 'You have no event that day.' };
  const hour = hourSaid(req);
  const atHour = hour === undefined ? [] : events.filter((e) => formatInstant(new Date(e.startsAt), req.now.timezone).slice(11, 16) === hour);
  if (atHour.length === 1) return { kind: 'calls', calls: calls.map((c) => ({ ...c, args: { ...c.args, event: atHour[0]!.eventId } })) };
  if (events.length === 1) return { kind: 'calls', calls: calls.map((c) => ({ ...c, args: { ...c.args, event: events[0]!.eventId } })) };
  const titles = events.slice(0, 5).map((e) => `«${e.title}»`);
  const list = `${titles.slice(0, -1).join(', ')} ${es ? 'o' : 'or'} ${titles.at(-1) ?? ''}`;
  return { kind: 'question', text: es ? `Ese día tienes ${events.length} eventos: ¿cuál cancelo, ${list}?` : `You have ${events.length} events that day: which one should I cancel, ${list}?` };
}
