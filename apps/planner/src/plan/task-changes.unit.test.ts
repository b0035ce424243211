// Changing and deleting a task by natural reference (issue 16 §4), through the planner on the local provider. The
// phrasings are paraphrases of the classes eval/assistant/fresh-taskops.jsonl missed, not the set's own cases.
import { create } from '@bufbuild/protobuf';
import { ToolResultSchema } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { localPlanner } from './testing/planner.fixture.js';

const NOW = new Date('2026-03-10T15:00:00Z'); // Tuesday 10 March 2026, 16:00 in Madrid, 11:00 in New York
const KNOWN = {
  projects: ['Intranet', 'Website', 'Apolo', 'Ventas'],
  users: ['Ana García', 'Pedro López', 'John Smith'],
  events: [],
  tasks: ['enviar las facturas de marzo', 'revisar el contrato de alquiler', 'preparar la memoria anual', 'update the pricing page', 'write the release notes', 'informe de ventas de enero', 'informe de ventas de febrero'],
};

const madrid = localPlanner({ now: NOW, timezone: 'Europe/Madrid', knownNames: KNOWN });
const newYork = localPlanner({ now: NOW, timezone: 'America/New_York', knownNames: KNOWN });
const planEs = (text: string, more = {}) => madrid.plan({ text, language: 'es', ...more });
const planEn = (text: string, more = {}) => newYork.plan({ text, language: 'en', ...more });

describe('a change to a task named loosely: the one open task whose title the words fit', () => {
  it.each([
    ['pon lo de las facturas para el jueves', { task: 'enviar las facturas de marzo', dueAt: '2026-03-12T23:59:59+01:00' }],
    ['retrasa la tarea del alquiler hasta el viernes porfa', { task: 'revisar el contrato de alquiler', dueAt: '2026-03-13T23:59:59+01:00' }],
    ['la tarea de la memoria anual que la lleve pedro', { task: 'preparar la memoria anual', assignee: 'pedro' }],
    ['súbele la prioridad a lo de la memoria', { task: 'preparar la memoria anual', priority: 'high' }],
    ['cambia la prioridad de la tarea del alquiler a baja', { task: 'revisar el contrato de alquiler', priority: 'low' }],
  ])('es: %s', async (text, args) => {
    expect(madrid.callOf(await planEs(text))).toEqual([{ tool: 'updateTask', arguments: args }]);
  });

  it.each([
    ['push the release notes task to thursday', { task: 'write the release notes', dueAt: '2026-03-12T23:59:59-04:00' }],
    ['hand the pricing page task over to ana', { task: 'update the pricing page', assignee: 'ana' }],
    ['lower the priority of the release notes task', { task: 'write the release notes', priority: 'low' }],
    ['rename the task update the pricing page to redo the pricing page', { task: 'update the pricing page', title: 'redo the pricing page' }],
  ])('en: %s', async (text, args) => {
    expect(newYork.callOf(await planEn(text))).toEqual([{ tool: 'updateTask', arguments: args }]);
  });

  it('the day a task moves to is the new due date, not the day that describes it', async () => {
    const out = await planEs('la tarea del alquiler, la del lunes, muévela al miércoles');
    expect(madrid.callOf(out)?.[0]?.arguments?.['dueAt']).toBe('2026-03-11T23:59:59+01:00');
  });

  it('someone not among the users is passed on as said, for the tool to refuse', async () => {
    expect(madrid.callOf(await planEs('pásale la tarea de la memoria a rigoberto'))).toEqual([{ tool: 'updateTask', arguments: { task: 'preparar la memoria anual', assignee: 'rigoberto' } }]);
  });
});

describe('deleting a task', () => {
  it.each([
    ['es', 'elimina lo de las facturas', 'enviar las facturas de marzo'],
    ['es', 'quita la tarea de la memoria anual', 'preparar la memoria anual'],
    ['en', 'please get rid of the release notes task', 'write the release notes'],
    ['en', 'remove the pricing page task', 'update the pricing page'],
  ])('%s: %s', async (language, text, task) => {
    const out = language === 'es' ? await planEs(text) : await planEn(text);
    expect(madrid.callOf(out)).toEqual([{ tool: 'deleteTask', arguments: { task } }]);
  });

  it('a meeting to cancel is no task', async () => {
    expect(madrid.callOf(await planEs('cancela la reunión del jueves'))?.[0]?.tool).not.toBe('deleteTask');
  });
});

describe('one question when the task or the change is not clear', () => {
  it.each([
    ['es', 'borra lo del informe', '¿Qué tarea borro? Dime su título.'],
    ['es', 'pasa lo del informe al viernes', '¿Qué tarea cambio? Dime su título.'],
    ['en', 'delete the sales report task', 'Which task should I delete? Tell me its title.'],
  ])('%s: two tasks fit "%s"', async (language, text, question) => {
    const out = language === 'es' ? await planEs(text) : await planEn(text);
    expect(out).toMatchObject({ ready: false, missingFields: ['task'], question });
  });

  it.each([
    ['es', 'retrasa dos días lo de las facturas', '¿Para cuándo la dejo?'],
    ['en', 'postpone the release notes task', 'When should it be due?'],
  ])('%s: "%s" says no new date (an amount from its own due date is not counted from today): asked', async (language, text, question) => {
    const out = language === 'es' ? await planEs(text) : await planEn(text);
    expect(out).toMatchObject({ ready: false, missingFields: ['dueAt'], question });
  });

  it('a date change without the date asks for it once the task is known', async () => {
    const out = await planEs('la de las facturas', { history: [{ role: 'user', text: 'quiero cambiar la fecha de una tarea' }, { role: 'assistant', text: '¿Qué tarea cambio? Dime su título.' }] });
    expect(out).toMatchObject({ ready: false, missingFields: ['dueAt'], question: '¿Para cuándo la dejo?' });
  });
});

describe('a task described by its project or its due day: looked up first, then changed', () => {
  const listed = (tasks: { taskId: string; title: string }[]) => [create(ToolResultSchema, { tool: 'listTasks', ok: true, result: { count: tasks.length, tasks } })];

  it('round 1 lists the open tasks of the project said, without the day it moves to', async () => {
    const out = await planEs('mueve la tarea de intranet al jueves');
    expect(out).toMatchObject({ ready: true, followUp: true, toolCalls: [{ tool: 'listTasks', arguments: { project: 'intranet', status: 'open' } }] });
  });

  it('round 1 lists the open tasks due the day that describes the task', async () => {
    const out = await planEn('the task due yesterday, push it to friday');
    expect(out).toMatchObject({ ready: true, followUp: true, toolCalls: [{ tool: 'listTasks', arguments: { status: 'open', dueFrom: '2026-03-09T00:00:00-04:00', dueTo: '2026-03-09T23:59:59-04:00' } }] });
  });

  it('round 2 changes the one task found, by its id', async () => {
    const out = await planEs('mueve la tarea de intranet al jueves', { round: 2, previousResults: listed([{ taskId: 't-9', title: 'renovar certificados' }]) });
    expect(out).toMatchObject({ ready: true, toolCalls: [{ tool: 'updateTask', arguments: { task: 't-9', dueAt: '2026-03-12T23:59:59+01:00' } }] });
  });

  it('round 2 asks which one when several fit, in the words of the change', async () => {
    const out = await planEn('delete the website task', { round: 2, previousResults: listed([{ taskId: 'a', title: 'fix the footer' }, { taskId: 'b', title: 'fix the header' }]) });
    expect(out).toMatchObject({ ready: false, question: 'I found 2 tasks: which one should I delete, «fix the footer» or «fix the header»?' });
  });
});
