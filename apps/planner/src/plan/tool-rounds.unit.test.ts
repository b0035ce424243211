import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { InvokeContext } from '@spine/agent-kit';
import { Clock } from '@spine/agent-kit';
import { PlannerInputSchema, ToolResultSchema } from '@spine/contracts';
import { createModelRouter, loadLlmConfig } from '@spine/llm';
import { toolCatalog } from '@spine/tool-catalog';
import { describe, expect, it } from 'vitest';
import { PlannerService } from './planner.service.js';

// Seed 000 "tool loop max 2 rounds": a task described, not named, is found in round 1 and completed in round 2.

const NOW = new Date('2026-03-10T15:00:00Z'); // Tuesday, 16:00 in Madrid
const TZ = 'Europe/Madrid';

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

const local = createModelRouter(loadLlmConfig({ LOCAL_EMBEDDER: 'hashed' }));
const ctx: InvokeContext = {
  executionId: 'e1', nodeId: 'planner', attempt: 1, tenantId: 'acme', context: {}, model: '', deadline: undefined, scope: undefined,
  signal: new AbortController().signal,
  reportUsage: () => undefined,
};

type Input = Omit<MessageInitShape<typeof PlannerInputSchema>, '$typeName'>;

function plan(input: Input) {
  const service = new PlannerService(local, { timezone: 'UTC', locale: 'es' }, new FixedClock());
  const full = create(PlannerInputSchema, { timezone: TZ, now: timestampFromDate(NOW), roles: ['client'], allowedTools: toolCatalog.map((t) => t.name), intent: 'complete_task', language: 'es', ...input });
  return service.plan(full, ctx);
}

const listed = (tasks: { taskId: string; title: string }[]) => [create(ToolResultSchema, { tool: 'listTasks', ok: true, result: { count: tasks.length, tasks } })];

describe('two tool rounds', () => {
  it('round 1: "marca como hecha mi tarea de hoy" looks up the caller\'s open tasks due today first, and asks for a second round', async () => {
    const out = await plan({ text: 'marca como hecha mi tarea de hoy' });
    expect(out).toMatchObject({ ready: true, followUp: true });
    const [call] = out.toolCalls ?? [];
    expect(call?.tool).toBe('listTasks');
    expect(call?.arguments).toMatchObject({ status: 'open', assignee: 'me' });
    expect(call?.arguments?.['dueFrom']).toBeDefined();
  });

  it('round 1: a task named by its title is completed at once, no second round', async () => {
    const out = await plan({ text: 'marca como completada la tarea preparar el inventario' });
    expect(out).toMatchObject({ ready: true, toolCalls: [{ tool: 'completeTask', arguments: { task: 'preparar el inventario' } }] });
    expect(out.followUp ?? false).toBe(false);
  });

  it('round 2: the one task found is completed by its id', async () => {
    const out = await plan({ text: 'marca como hecha mi tarea de hoy', round: 2, previousResults: listed([{ taskId: 't-1', title: 'enviar el acta' }]) });
    expect(out).toMatchObject({ ready: true, toolCalls: [{ tool: 'completeTask', arguments: { task: 't-1' } }] });
    expect(out.followUp ?? false).toBe(false);
  });

  it('round 2: several found, none named: one question naming them, nothing run', async () => {
    const out = await plan({ text: 'marca como hecha mi tarea de hoy', round: 2, previousResults: listed([{ taskId: 't-1', title: 'enviar el acta' }, { taskId: 't-2', title: 'llamar al banco' }]) });
    expect(out).toMatchObject({ ready: false, question: 'Encontré 2 tareas: ¿cuál marco como hecha, «enviar el acta» o «llamar al banco»?' });
    expect(out.toolCalls ?? []).toEqual([]);
  });

  it('round 2: none found: says so, nothing run', async () => {
    const out = await plan({ text: 'marca como hecha mi tarea de hoy', round: 2, previousResults: listed([]) });
    expect(out).toMatchObject({ ready: false, blockedReason: 'No encontré ninguna tarea abierta que encaje con lo que dices.' });
  });

  it('a third round is refused at the edge', async () => {
    await expect(plan({ text: 'marca como hecha mi tarea de hoy', round: 3 })).rejects.toThrow(/at most two tool rounds/);
  });

  const events = (list: { eventId: string; title: string; startsAt: string }[]) => [create(ToolResultSchema, { tool: 'listCalendarEvents', ok: true, result: { count: list.length, events: list } })];

  it.each([
    ['retrasa la daily una hora', 'daily'],
    ['push the standup back 30 minutes', 'standup'],
    ['adelanta media hora la reunion con Ana', 'reunion con Ana'],
  ])('round 1: a move by an amount ("%s") looks the event up first', async (text) => {
    const out = await plan({ text, intent: 'update_meeting', language: text.startsWith('push') ? 'en' : 'es' });
    expect(out).toMatchObject({ ready: true, followUp: true, toolCalls: [{ tool: 'listCalendarEvents' }] });
  });

  it.each([
    ['retrasa la daily una hora', 'Daily', '2026-03-11T10:00:00+01:00'],
    ['push the standup back 30 minutes', 'Standup', '2026-03-11T09:30:00+01:00'],
    ['adelanta media hora la reunion con Ana', 'Reunión con Ana', '2026-03-11T08:30:00+01:00'],
  ])('round 2: "%s" moves the event found from its own start', async (text, title, startsAt) => {
    const previousResults = events([{ eventId: 'ev-1', title, startsAt: '2026-03-11T08:00:00.000Z' }, { eventId: 'ev-2', title: 'Comité', startsAt: '2026-03-11T11:00:00.000Z' }]);
    const out = await plan({ text, intent: 'update_meeting', round: 2, previousResults });
    expect(out).toMatchObject({ ready: true, toolCalls: [{ tool: 'updateCalendarEvent', arguments: { event: title, startsAt } }] });
    expect(out.toolCalls?.[0]?.arguments?.['durationMinutes']).toBeUndefined();
  });

  it('round 2: a daily that repeats moves its next occurrence, by id', async () => {
    const previousResults = events([{ eventId: 'ev-2', title: 'Daily', startsAt: '2026-03-12T08:00:00.000Z' }, { eventId: 'ev-1', title: 'Daily', startsAt: '2026-03-11T08:00:00.000Z' }]);
    const out = await plan({ text: 'retrasa la daily una hora', intent: 'update_meeting', round: 2, previousResults });
    expect(out).toMatchObject({ ready: true, toolCalls: [{ tool: 'updateCalendarEvent', arguments: { event: 'ev-1', startsAt: '2026-03-11T10:00:00+01:00' } }] });
  });

  it('round 2: the event to move is not in the calendar: says so, nothing run', async () => {
    const out = await plan({ text: 'retrasa la daily una hora', intent: 'update_meeting', round: 2, previousResults: events([{ eventId: 'ev-2', title: 'Comité', startsAt: '2026-03-11T11:00:00.000Z' }]) });
    expect(out).toMatchObject({ ready: false, blockedReason: 'No encuentro el evento «daily» en tu calendario de los próximos días.' });
  });

  it('round 1: "cancela mi reunión de mañana" names no event but a day: that day\'s events are looked up first', async () => {
    const out = await plan({ text: 'cancela mi reunión de mañana', intent: 'cancel_meeting' });
    expect(out).toMatchObject({ ready: true, followUp: true, toolCalls: [{ tool: 'listCalendarEvents', arguments: { from: '2026-03-11T00:00:00+01:00', to: '2026-03-11T23:59:59+01:00' } }] });
  });

  it('round 2: the one event of that day is cancelled by its id; several: one question naming them', async () => {
    const one = await plan({ text: 'delete my meeting on thursday', intent: 'cancel_meeting', language: 'en', round: 2, previousResults: events([{ eventId: 'ev-9', title: 'Board', startsAt: '2026-03-12T09:00:00.000Z' }]) });
    expect(one).toMatchObject({ ready: true, toolCalls: [{ tool: 'deleteCalendarEvent', arguments: { event: 'ev-9' } }] });
    const two = events([{ eventId: 'ev-1', title: 'Daily', startsAt: '2026-03-11T08:00:00.000Z' }, { eventId: 'ev-2', title: 'Comité', startsAt: '2026-03-11T11:00:00.000Z' }]);
    const asked = await plan({ text: 'cancela mi reunión de mañana', intent: 'cancel_meeting', round: 2, previousResults: two });
    expect(asked).toMatchObject({ ready: false, question: 'Ese día tienes 2 eventos: ¿cuál cancelo, «Daily» o «Comité»?' });
    expect(asked.toolCalls ?? []).toEqual([]);
  });

  it('a cancellation that names the event runs in one round', async () => {
    const out = await plan({ text: 'cancela el comité de mañana', intent: 'cancel_meeting' });
    expect(out).toMatchObject({ ready: true, toolCalls: [{ tool: 'deleteCalendarEvent', arguments: { event: 'comité' } }] });
    expect(out.followUp ?? false).toBe(false);
  });

  it.each([
    ['pasa la reunión de presupuesto a las 5', 'es'],
    ['push the budget review to 5pm', 'en'],
    ['mueve mi call de las 3 a las 4', 'es'],
    ['move my 3pm call to 4', 'en'],
  ] as const)('round 1: "%s" moves an event to an hour, no day said: the event is looked up first, for its day', async (text, language) => {
    const out = await plan({ text, intent: 'update_meeting', language });
    expect(out).toMatchObject({ ready: true, followUp: true, toolCalls: [{ tool: 'listCalendarEvents' }] });
  });

  it.each([
    ['pasa la reunión de presupuesto a las 5', 'es', { event: 'ev-1', startsAt: '2026-03-12T17:00:00+01:00' }],
    ['cambia la reunion de presupuesto a las 10 y media', 'es', { event: 'ev-1', startsAt: '2026-03-12T10:30:00+01:00' }],
    ['push the budget review to 5pm', 'en', { event: 'ev-2', startsAt: '2026-03-13T17:00:00+01:00' }],
    ['mueve mi call de las 3 a las 4', 'es', { event: 'ev-3', startsAt: '2026-03-11T16:00:00+01:00' }],
    ['move my 3pm call to 4', 'en', { event: 'ev-3', startsAt: '2026-03-11T16:00:00+01:00' }],
  ] as const)('round 2: "%s" keeps the event\'s own day, at the new hour (and no length from "de las 3 a las 4")', async (text, language, args) => {
    const listed = events([
      { eventId: 'ev-1', title: 'Reunión de presupuesto', startsAt: '2026-03-12T14:00:00.000Z' },
      { eventId: 'ev-2', title: 'Budget review', startsAt: '2026-03-13T09:00:00.000Z' },
      { eventId: 'ev-3', title: 'Call con proveedores', startsAt: '2026-03-11T14:00:00.000Z' },
      { eventId: 'ev-4', title: 'Comité', startsAt: '2026-03-11T09:00:00.000Z' },
    ]);
    const out = await plan({ text, intent: 'update_meeting', language, round: 2, previousResults: listed });
    expect(out).toMatchObject({ ready: true, toolCalls: [{ tool: 'updateCalendarEvent' }] });
    expect(out.toolCalls?.[0]?.arguments).toEqual(args);
  });

  it.each([
    ['mueve la reunión de mañana al viernes', 'es'],
    ["move tomorrow's meeting to friday", 'en'],
    ["rename tomorrow's call to Vendor negotiation", 'en'],
  ] as const)('round 1: "%s" names the event by its day: that day\'s events are looked up first', async (text, language) => {
    const out = await plan({ text, intent: 'update_meeting', language });
    expect(out).toMatchObject({ ready: true, followUp: true, toolCalls: [{ tool: 'listCalendarEvents', arguments: { from: '2026-03-11T00:00:00+01:00', to: '2026-03-11T23:59:59+01:00' } }] });
  });

  it.each([
    ['mueve la reunión de mañana al viernes', 'es', { event: 'ev-5', startsAt: '2026-03-13T11:00:00+01:00' }],
    ['pasa la reunion de mañana al jueves', 'es', { event: 'ev-5', startsAt: '2026-03-12T11:00:00+01:00' }],
    ["move tomorrow's meeting to friday", 'en', { event: 'ev-5', startsAt: '2026-03-13T11:00:00+01:00' }],
  ] as const)('round 2: "%s" moves the one event of that day to the new day, at its own hour', async (text, language, args) => {
    const out = await plan({ text, intent: 'update_meeting', language, round: 2, previousResults: events([{ eventId: 'ev-5', title: 'Reunión de equipo', startsAt: '2026-03-11T10:00:00.000Z' }]) });
    expect(out.toolCalls?.[0]).toMatchObject({ tool: 'updateCalendarEvent', arguments: args });
  });

  it('round 2: a rename by day finds the event whose title holds the word said ("call" → "Vendor call")', async () => {
    const listed = events([{ eventId: 'ev-6', title: 'Vendor call', startsAt: '2026-03-11T14:00:00.000Z' }, { eventId: 'ev-7', title: 'Board', startsAt: '2026-03-11T09:00:00.000Z' }]);
    const out = await plan({ text: "rename tomorrow's call to Vendor negotiation", intent: 'update_meeting', language: 'en', round: 2, previousResults: listed });
    expect(out.toolCalls?.[0]).toMatchObject({ tool: 'updateCalendarEvent', arguments: { event: 'ev-6', title: 'Vendor negotiation' } });
  });

  it('round 2: two events that day and none named: one question naming them', async () => {
    const listed = events([{ eventId: 'ev-1', title: 'Daily', startsAt: '2026-03-11T08:00:00.000Z' }, { eventId: 'ev-2', title: 'Comité', startsAt: '2026-03-11T11:00:00.000Z' }]);
    const out = await plan({ text: 'mueve la reunión de mañana al viernes', intent: 'update_meeting', round: 2, previousResults: listed });
    expect(out).toMatchObject({ ready: false, question: 'Ese día tienes 2 eventos: ¿cuál cambio, «Daily» o «Comité»?' });
  });

  it.each([
    ['make the budget review 30 min longer', 'en', 90],
    ['alarga la reunión de presupuesto media hora', 'es', 90],
    ['haz la reunion de presupuesto 15 minutos más corta', 'es', 45],
  ] as const)('"%s": a length changed by an amount is the event\'s own length plus it, looked up first', async (text, language, minutes) => {
    const first = await plan({ text, intent: 'update_meeting', language });
    expect(first).toMatchObject({ ready: true, followUp: true, toolCalls: [{ tool: 'listCalendarEvents' }] });
    const listed = [create(ToolResultSchema, { tool: 'listCalendarEvents', ok: true, result: { count: 2, events: [
      { eventId: 'ev-1', title: 'Reunión de presupuesto', startsAt: '2026-03-12T09:00:00.000Z', endsAt: '2026-03-12T10:00:00.000Z' },
      { eventId: 'ev-2', title: 'Budget review', startsAt: '2026-03-12T12:00:00.000Z', endsAt: '2026-03-12T13:00:00.000Z' },
    ] } })];
    const out = await plan({ text, intent: 'update_meeting', language, round: 2, previousResults: listed });
    expect(out.toolCalls?.[0]?.arguments).toEqual({ event: language === 'en' ? 'ev-2' : 'ev-1', durationMinutes: minutes });
  });

  it('"alarga la reunión a 2 horas" says the new length: one round', async () => {
    const out = await plan({ text: 'alarga la reunion de presupuesto a 2 horas', intent: 'update_meeting' });
    expect(out).toMatchObject({ ready: true, toolCalls: [{ tool: 'updateCalendarEvent', arguments: { durationMinutes: 120 } }] });
    expect(out.followUp ?? false).toBe(false);
  });

  it.each([
    ['cancela mi reunión de las 4', 'es'],
    ['cancel my 2pm', 'en'],
    ['borra la cita de las 16:00', 'es'],
  ] as const)('"%s": a cancellation by the hour lists the coming days, then cancels the next event at that hour', async (text, language) => {
    const first = await plan({ text, intent: 'cancel_meeting', language });
    expect(first).toMatchObject({ ready: true, followUp: true, toolCalls: [{ tool: 'listCalendarEvents' }] });
    const listed = events([
      { eventId: 'ev-1', title: 'Comité', startsAt: '2026-03-12T15:00:00.000Z' },
      { eventId: 'ev-2', title: 'Demo', startsAt: '2026-03-11T15:00:00.000Z' },
      { eventId: 'ev-3', title: 'Standup', startsAt: '2026-03-11T13:00:00.000Z' },
    ]);
    const out = await plan({ text, intent: 'cancel_meeting', language, round: 2, previousResults: listed });
    expect(out.toolCalls?.[0]).toMatchObject({ tool: 'deleteCalendarEvent', arguments: { event: text.includes('2pm') ? 'ev-3' : 'ev-2' } });
  });

  it.each([
    ['mueve el comité semanal al viernes', 'es', 'ev-8'],
    ['la reunión con pedro pásala al jueves', 'es', 'ev-9'],
    ['move the client demo to thursday', 'en', 'ev-10'],
  ] as const)('"%s": a named event moved to a day with no hour keeps its hour (the next one, when it repeats)', async (text, language, id) => {
    const first = await plan({ text, intent: 'update_meeting', language });
    expect(first).toMatchObject({ ready: true, followUp: true, toolCalls: [{ tool: 'listCalendarEvents', arguments: {} }] });
    const listed = events([
      { eventId: 'ev-8', title: 'Comité semanal', startsAt: '2026-03-11T09:30:00.000Z' },
      { eventId: 'ev-11', title: 'Comité semanal', startsAt: '2026-03-18T09:30:00.000Z' },
      { eventId: 'ev-9', title: 'Reunión con Pedro', startsAt: '2026-03-11T09:30:00.000Z' },
      { eventId: 'ev-10', title: 'Client demo', startsAt: '2026-03-11T09:30:00.000Z' },
    ]);
    const out = await plan({ text, intent: 'update_meeting', language, round: 2, previousResults: listed });
    const day = text.includes('viernes') ? '13' : '12';
    expect(out.toolCalls?.[0]).toMatchObject({ tool: 'updateCalendarEvent', arguments: { event: id, startsAt: `2026-03-${day}T10:30:00+01:00` } });
  });

  it.each([
    ['pásame la revisión de contratos al viernes a la misma hora', 'es', 'ev-8', '13'],
    ['la reunión con pedro muévela al jueves a la misma hora', 'es', 'ev-9', '12'],
    ['move the client demo to thursday at the same time', 'en', 'ev-10', '12'],
  ] as const)('"%s": "a la misma hora" keeps the event\'s own hour, not the hour it is now', async (text, language, id, day) => {
    const first = await plan({ text, intent: 'update_meeting', language });
    expect(first).toMatchObject({ ready: true, followUp: true, toolCalls: [{ tool: 'listCalendarEvents', arguments: {} }] });
    const listed = events([
      { eventId: 'ev-8', title: 'Revisión de contratos', startsAt: '2026-03-11T09:30:00.000Z' },
      { eventId: 'ev-9', title: 'Reunión con Pedro', startsAt: '2026-03-11T09:30:00.000Z' },
      { eventId: 'ev-10', title: 'Client demo', startsAt: '2026-03-11T09:30:00.000Z' },
    ]);
    const out = await plan({ text, intent: 'update_meeting', language, round: 2, previousResults: listed });
    expect(out.toolCalls?.[0]).toMatchObject({ tool: 'updateCalendarEvent', arguments: { event: id, startsAt: `2026-03-${day}T10:30:00+01:00` } });
  });

  it.each([
    ['quita lo de mañana a las 10', 'es'],
    ['cancel my 10am tomorrow', 'en'],
    ['anula la cita de mañana de las 10', 'es'],
  ] as const)('"%s": a cancellation by day and hour lists that day, then cancels the event at that hour', async (text, language) => {
    const first = await plan({ text, intent: 'cancel_meeting', language });
    expect(first).toMatchObject({ ready: true, followUp: true, toolCalls: [{ tool: 'listCalendarEvents', arguments: { from: '2026-03-11T00:00:00+01:00', to: '2026-03-11T23:59:59+01:00' } }] });
    const listed = events([
      { eventId: 'ev-1', title: 'Daily', startsAt: '2026-03-11T08:00:00.000Z' },
      { eventId: 'ev-2', title: 'Revisión con Sarah', startsAt: '2026-03-11T09:00:00.000Z' },
      { eventId: 'ev-3', title: 'Comité', startsAt: '2026-03-11T11:00:00.000Z' },
    ]);
    const out = await plan({ text, intent: 'cancel_meeting', language, round: 2, previousResults: listed });
    expect(out).toMatchObject({ ready: true, toolCalls: [{ tool: 'deleteCalendarEvent', arguments: { event: 'ev-2' } }] });
  });
});
