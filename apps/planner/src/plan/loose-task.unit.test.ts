import { describe, expect, it } from 'vitest';
import { localPlanner } from './testing/planner.fixture.js';

const NOW = new Date('2026-03-10T15:00:00Z'); // Tuesday, 09:00 in Mexico City
const TZ = 'America/Mexico_City';
const KNOWN = { projects: ['Intranet', 'Ventas'], users: ['Ana García'], events: [], tasks: ['enviar las facturas de marzo', 'update the onboarding guide', 'revisar el contrato de alquiler', 'revisar el presupuesto'] };

const { plan, callOf } = localPlanner({ now: NOW, timezone: TZ, knownNames: KNOWN });

describe('completing a task named loosely (the tenant\'s open tasks from lookupNames)', () => {
  it.each([
    ['es', 'ya está lo de las facturas', 'enviar las facturas de marzo'],
    ['es', 'marca como hecha la del alquiler', 'revisar el contrato de alquiler'],
    ['en', 'the onboarding task is done', 'update the onboarding guide'],
    ['en', 'mark the onboarding guide as done', 'update the onboarding guide'],
  ])('%s: %s → the open task of that title, whose words the user said', async (language, text, task) => {
    expect(callOf(await plan({ text, language }))).toEqual([{ tool: 'completeTask', arguments: { task } }]);
  });

  it('of two open tasks the words could name, neither is chosen for the user', async () => {
    const out = await plan({ text: 'ya terminé lo de revisar', language: 'es' });
    const tasks = (callOf(out) ?? []).map((c) => c.arguments?.['task']);
    expect(tasks).not.toContain('revisar el contrato de alquiler');
    expect(tasks).not.toContain('revisar el presupuesto');
  });

  it('without the tenant\'s tasks, a title the user did not write is not grounded', async () => {
    const out = await plan({ text: 'ya está lo de las facturas', language: 'es', knownNames: { ...KNOWN, tasks: [] } });
    expect((callOf(out) ?? []).map((c) => c.arguments?.['task'])).not.toContain('enviar las facturas de marzo');
  });
});

describe('a project and its first task in one message', () => {
  it.each([
    ['es', 'crea el proyecto Sirio y una tarea en él: redactar el alcance, para el viernes', 'Sirio', 'redactar el alcance'],
    ['en', 'create the project Vega and a task in it: draft the charter, due friday', 'Vega', 'draft the charter'],
  ])('%s: the router named the project: it is created, then the task in it', async (language, text, name, title) => {
    const out = await plan({ text, language, intent: 'create_project', flowType: 'CreateProject' });
    expect(callOf(out)).toEqual([
      { tool: 'createProject', arguments: { name } },
      { tool: 'createTask', arguments: { title, project: name, dueAt: '2026-03-13T23:59:59-06:00' } },
    ]);
  });

  it('a task that lacks its date is not made up: the project alone', async () => {
    const out = await plan({ text: 'crea el proyecto Sirio y una tarea', language: 'es', intent: 'create_project', flowType: 'CreateProject' });
    expect(callOf(out)).toEqual([{ tool: 'createProject', arguments: { name: 'Sirio' } }]);
  });
});

describe('answers a follow-up gives in few words', () => {
  it.each([
    ['es', 'agenda una reunión con Ana el jueves', '¿A qué hora? Tengo el día, pero me falta la hora.', '11', '2026-03-12T11:00:00-06:00'],
    ['en', 'schedule a meeting with Ana on thursday', 'What time? I have the day but not the hour.', '9:30', '2026-03-12T09:30:00-06:00'],
  ])('%s: a bare number after "what time?" is the hour of the day said before', async (language, first, asked, text, startsAt) => {
    const out = await plan({ text, language, history: [{ role: 'user', text: first }, { role: 'assistant', text: asked }] });
    expect(callOf(out)).toEqual([{ tool: 'createCalendarEvent', arguments: expect.objectContaining({ startsAt }) }]);
  });

  it.each([
    ['es', 'qué tareas creé hoy', 'y ayer?'],
    ['en', 'what did I create today', 'and yesterday?'],
  ])('%s: a day after a listing by creation keeps both edges of the creation window', async (language, first, text) => {
    const out = await plan({ text, language, history: [{ role: 'user', text: first }, { role: 'assistant', text: 'No encontré tareas.' }] });
    expect(callOf(out)).toEqual([{ tool: 'listTasks', arguments: { createdBy: 'me', createdSince: '2026-03-09T00:00:00-06:00', createdTo: '2026-03-09T23:59:59-06:00' } }]);
  });
});

describe('two requests in one message', () => {
  it.each([
    ['es', 'crea una tarea para llamar a acme en Ventas mañana y agenda una reunión con Ana el jueves a las 10', 'create_task', 'CreateTask'],
    ['en', 'create a task to call the bank in Ventas due friday and schedule a meeting with Ana on thursday at 10am', 'create_task', 'CreateTask'],
  ])('%s: the router named the first; both are planned, each with its own day', async (language, text, intent, flowType) => {
    const out = await plan({ text, language, intent, flowType });
    expect((callOf(out) ?? []).map((c) => c.tool)).toEqual(['createTask', 'createCalendarEvent']);
    expect(callOf(out)?.[1]?.arguments).toMatchObject({ startsAt: '2026-03-12T10:00:00-06:00', attendees: ['Ana'] });
  });
});
