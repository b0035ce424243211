// Changing and deleting a task, told apart from making or finishing one (issue 16 §4); paraphrases of the classes
// eval/assistant/fresh-taskops.jsonl missed, es and en, not the set's own cases.
import { describe, expect, it } from 'vitest';
import { HashedEmbedder } from './hashed.embedder.js';
import { IntentClassifier } from './intent.classifier.js';
import { defaultIntents } from './intent.examples.js';
import { ruledIntent } from './intent.rules.js';
import { extractArguments } from './slot-extractor.js';
import { toolCatalog } from '@spine/tool-catalog';
import { changedPriority, handedTo, renamedTask, shiftedByDays, targetDay } from './task-changes.js';
import { foldKeepLength } from './text.js';

describe('a change to a task that exists', () => {
  it.each([
    'cambia el vencimiento de la tarea del presupuesto al 3 de febrero',
    'aplaza lo de la auditoría una semana',
    'mueve la tarea de los banners al lunes, porfa',
    'ponle prioridad alta a la tarea de la migración',
    'que la tarea de las nóminas la haga luis',
    'reasigna lo del inventario a maría',
    'renombra la tarea revisar web a revisar la web nueva',
    'postpone the audit task until next week',
    'bump the priority of the onboarding task',
    'please give the invoices task to john',
    'change the deadline of the migration task to friday',
    'the budget task: due monday and make it urgent',
    'la tarea del presupuesto mejor para el lunes',
    'dale prioridad alta a lo de la auditoría',
    'extiende el plazo de la tarea de los banners hasta el viernes',
    'the onboarding task should be due on friday',
    'make ana the owner of the onboarding task',
    'oye, lo de la auditoría déjalo para el lunes',
    'prioridad alta para lo de los banners',
    'muevan lo del inventario al viernes',
  ])('%s → update_task', (text) => {
    expect(ruledIntent(text)).toBe('update_task');
  });

  it.each([
    'borra la tarea de las nóminas',
    'elimina lo del inventario, ya no hace falta',
    'quiero eliminar una tarea',
    'delete the onboarding task please',
    'remove the task about the banners',
    'descarta la tarea de los banners',
    'scrap the onboarding task',
    'cancel the onboarding task',
    "please remove the onboarding task, we dont need it",
  ])('%s → delete_task', (text) => {
    expect(ruledIntent(text)).toBe('delete_task');
  });

  it.each([
    ['crea una tarea en Ventas para el lunes: cambiar la fecha del contrato', 'create_task'],
    ['asigna a luis una tarea nueva: revisar el almacén mañana', 'create_task'],
    ['add a task to Website: move the footer links, due friday', 'create_task'],
    ['marca la tarea de las nóminas como hecha', 'complete_task'],
  ])('%s → %s, not a change', (text, intent) => {
    expect(ruledIntent(text)).toBe(intent);
  });

  it.each(['complete the task update the pricing page', 'marca como hecha la tarea cambiar el logo', 'asígnale a ana garcía la tarea de revisar el stock en Ventas para el lunes', 'assign sarah to update the FAQ page on website, due jan 20', 'set the budget task as done', 'cancela la reunión del jueves', 'delete the call with ana', 'borra el proyecto Apolo', '¿qué tareas cambié ayer?'])('%s is no task change', (text) => {
    expect(['update_task', 'delete_task']).not.toContain(ruledIntent(text));
  });
});

describe('said loosely, without «tarea»: a person met or an hour held is a meeting', () => {
  const classifier = new IntentClassifier(new HashedEmbedder(), defaultIntents);
  it.each([
    ['cancela lo de mañana con Ana', 'cancel_meeting'],
    ['quita lo de mañana a las 10', 'cancel_meeting'],
    ['borra lo del jueves a las 5 de la tarde', 'cancel_meeting'],
    ['cancel the thing with pedro tomorrow', 'cancel_meeting'],
    ['mueve lo de mañana con luis al viernes', 'update_meeting'],
  ])('%s → %s, not a task', async (text, intent) => {
    expect(['update_task', 'delete_task']).not.toContain(ruledIntent(text));
    expect((await classifier.classify(text)).intent).toBe(intent);
  });

  it.each(['borra la tarea de revisar con Luis el contrato', 'quita lo de la encuesta', 'delete the onboarding task with the 10 steps'])('%s still deletes a task', (text) => {
    expect(ruledIntent(text)).toBe('delete_task');
  });
});

describe('what changes', () => {
  it.each([
    ['sube la prioridad de lo del informe', 'high'],
    ['bájale la prioridad a la tarea de la web', 'low'],
    ['cambia la prioridad de la tarea de la web a urgente', 'high'],
    ['raise the priority of the audit task', 'high'],
    ['set the priority of the audit task to medium', 'medium'],
  ])('%s → %s', (text, priority) => {
    expect(changedPriority(foldKeepLength(text), ['low', 'medium', 'high'])?.value).toBe(priority);
  });

  it.each([
    ['asígnale lo de la web a ana', 'ana'],
    ['assign the onboarding task to me', 'me'],
    ['la tarea de la web es para pedro, no para mí', 'pedro'],
    ['la tarea de la web la llevo yo', 'me'],
  ])('%s: handed to %s', (text, who) => {
    expect(handedTo(text, foldKeepLength(text), ['Ana García', 'Pedro López'], [])?.value).toBe(who);
  });

  it.each(['retrasa dos días lo de las facturas', 'push the audit task back a week', 'aplaza una semana la tarea del inventario'])('%s: moved by an amount, no date read from today', (text) => {
    expect(shiftedByDays(foldKeepLength(text))).toBe(true);
  });

  it('the day a task moves to, not the day that names it', () => {
    const text = 'la tarea del lunes pásala al jueves';
    const dates = [
      { index: text.indexOf('lunes'), hasDay: true, name: 'lunes' },
      { index: text.indexOf('jueves'), hasDay: true, name: 'jueves' },
    ];
    expect(targetDay(dates, foldKeepLength(text))?.name).toBe('jueves');
    const en = 'move it to thursday, the task due monday';
    expect(targetDay([{ index: en.indexOf('thursday'), hasDay: true, name: 'thu' }, { index: en.indexOf('monday'), hasDay: true, name: 'mon' }], en)?.name).toBe('thu');
  });

  it('a renamed task: the new title after its old one, past a connector inside the old title', () => {
    const text = 'renombra la tarea ir a correos a ir a correos el lunes';
    const claims = Array.from(text, (_, i) => i >= text.indexOf('ir a correos') && i < text.indexOf('ir a correos') + 'ir a correos'.length);
    expect(renamedTask(text, foldKeepLength(text), claims)?.value).toBe('ir a correos el lunes');
    expect(renamedTask('rename the onboarding task to "Onboarding v2"', 'rename the onboarding task to "onboarding v2"', [])?.value).toBe('Onboarding v2');
  });
});

describe('«ponle a X la tarea de …» with what the task is and where: a new task, like «asigna a X la tarea de …»', () => {
  it('«ponle a la tarea de las vacaciones fecha 15 de enero» (an article, no person) is still a change', () => {
    expect(ruledIntent('ponle a la tarea de las vacaciones fecha 15 de enero')).toBe('update_task');
  });

  it.each([
    'ponle a ana la tarea de revisar el contrato de limpieza en logística para el viernes',
    'pon a luis la tarea de preparar el stand en Marketing 2027 para el lunes',
  ])('%s → create_task', (text) => {
    expect(ruledIntent(text)).toBe('create_task');
  });

  it('«ponle la tarea del inventario a luis» (the task right after the verb) still hands one over', () => {
    expect(ruledIntent('ponle la tarea del inventario a luis')).toBe('update_task');
  });
});

describe('someone must do something, with the project named as a label: a task, not a new project', () => {
  it.each([
    'john needs to send the invoices by wednesday, ventas project',
    'ana tiene que revisar el contrato del proyecto apolo el lunes',
    'sarah has to update the FAQ page, website project, due friday',
  ])('%s → create_task', (text) => {
    expect(ruledIntent(text)).toBe('create_task');
  });

  it.each(['the project needs to be created', 'i need to create a project called Orion', 'we must open a new project for the fair'])('%s is still a project', (text) => {
    expect(ruledIntent(text)).toBe('create_project');
  });
});

describe('the project said as a label after the name, in lower case', () => {
  it('«john needs to send the invoices by wednesday, ventas project»: Ventas, and the title stops before it', () => {
    const parameters = toolCatalog.find((t) => t.name === 'createTask')!.parameters;
    const known = { projects: ['Ventas', 'Website'], users: ['John Smith'], events: [] };
    const now = { timezone: 'Europe/Madrid', now: new Date('2026-12-07T14:20:00Z') };
    const { args } = extractArguments('john needs to send the invoices by wednesday, ventas project', parameters, { now, locale: 'en', toolName: 'createTask', known });
    expect(args).toMatchObject({ project: expect.stringMatching(/^ventas$/i), title: 'send the invoices', assignee: expect.stringMatching(/^john( smith)?$/i) });
  });
});
