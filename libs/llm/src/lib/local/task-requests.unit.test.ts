// Classes of misses of eval/assistant/fresh-tasks.jsonl, each tested on further paraphrases (es and en), not the set's own.
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../llm.types.js';
import { HashedEmbedder } from './hashed.embedder.js';
import { ruledIntent } from './intent.rules.js';
import { knownTaskByWords } from './known-names.js';
import { LocalProvider } from './local.provider.js';
import { taskTitles } from './several-tasks.js';
import { extractArguments } from './slot-extractor.js';
import { erpTool, erpTools } from './testing/erp-tools.fixture.js';

// Monday 26 January 2026, 09:30 in Mexico City.
const now = { timezone: 'America/Mexico_City', now: new Date('2026-01-26T15:30:00Z') };
const known = {
  projects: ['Intranet', 'Website', 'Apolo', 'Migración CRM', 'Logística', 'Ventas'],
  users: ['Ana García', 'Pedro López', 'John Smith'],
  events: [],
  tasks: ['enviar las facturas de noviembre', 'send the invoices', 'revisar el contrato con Acme', 'revisar el informe de gastos', 'prepare the onboarding checklist'],
};
const completeTask = { name: 'completeTask', description: 'Marks a task as done.', parameters: { type: 'object', required: ['task'], properties: { task: { type: 'string', minLength: 1, maxLength: 200, description: 'Task id or title' } } } };
const extract = (tool: string, text: string) => extractArguments(text, (tool === 'completeTask' ? completeTask : erpTool(tool)).parameters, { now, toolName: tool, known }).args;
const local = new LocalProvider({ embedder: new HashedEmbedder() });
const user = (content: string): ChatMessage => ({ role: 'user', content });
const plan = (text: string) => local.complete({ messages: [user(text)], tools: [...erpTools, completeTask], now, knownNames: known });

describe('a new user given as a list of fields', () => {
  it.each([
    ['usuario nuevo porfa: Marta Gil, marta@acme.test, rol admin', { name: 'Marta Gil', email: 'marta@acme.test' }],
    ['new user pls: Tom Hardy, tom@acme.test, manager', { name: 'Tom Hardy', email: 'tom@acme.test' }],
    ['add a new user, Linus Berg', { name: 'Linus Berg' }],
    ['alta de usuario: rosa diaz, rosa@acme.test', { name: 'Rosa Diaz', email: 'rosa@acme.test' }],
    ['new user: kim lee, kim@acme.test', { name: 'Kim Lee', email: 'kim@acme.test' }],
  ])('%s', (text, args) => {
    expect(extract('createUser', text)).toEqual(args);
  });

  it.each(['give Ada Byron access, ada@acme.test', 'dale acceso al sistema a Eva Sanz, eva@acme.test', 'could you set up an account for Omar Ruiz? omar@acme.test'])(
    '"%s" asks for a new user',
    (text) => {
      expect(ruledIntent(text)).toBe('create_user');
    },
  );
});

describe('priority said in words', () => {
  it.each([
    ['tarea en Ventas: ordenar el archivo el viernes, sin prisa', 'low'],
    ['crea una tarea en Apolo para el lunes: limpiar la base de datos, no es urgente', 'low'],
    ['new task in Website: tidy the footer by friday, no rush', 'low'],
    ['new task in Website: fix the login by friday, prio high', 'high'],
    ['add a task to Intranet: rotate the keys tomorrow, low prio', 'low'],
  ])('%s → %s', (text, priority) => {
    expect(extract('createTask', text)['priority']).toBe(priority);
  });
});

describe('a task title among separators, commas and a month', () => {
  it.each([
    ['tarea: renovar el seguro | proyecto: ventas | vence: 20/02', 'renovar el seguro'],
    ['new task in Intranet - rotate the API keys - due friday', 'rotate the API keys'],
    ['crea una tarea en logistica, pedir palets nuevos, el jueves', 'pedir palets nuevos'],
    ['necesito una tarea en Apolo para el 3 de febrero, revisar los planos, gracias', 'revisar los planos'],
    ['add a task in Website for the 3rd of february, write the release notes', 'write the release notes'],
    ['crea una tarea en Ventas: cerrar las cuentas de marzo el lunes', 'cerrar las cuentas de marzo'],
    ['add a task to Website: prepare the june campaign by friday', 'prepare the june campaign'],
  ])('%s', (text, title) => {
    expect(extract('createTask', text)['title']).toBe(title);
  });

  it('a month without a day stays out of the due date', () => {
    expect(extract('createTask', 'crea una tarea en Ventas: cerrar las cuentas de marzo el lunes')['dueAt']).toBe('2026-02-02T23:59:59-06:00');
  });
});

describe('a request that opens with the task noun and a name ending in a number', () => {
  it.each(['task for ana in marketing 2027: book the venue, due feb 8', 'tarea para pedro en Marketing 2027: reservar la sala, el viernes'])('%s', (text) => {
    expect(ruledIntent(text)).toBe('create_task');
  });
});

describe('a task said to be finished, after its noun', () => {
  it.each(['la tarea de las facturas ya está terminada', 'the onboarding task is done now', 'las tareas de hoy ya estan hechas', 'that invoices task is finished'])('%s', (text) => {
    expect(ruledIntent(text)).toBe('complete_task');
  });

  it.each(['¿qué tareas están hechas en Apolo?', 'crea una tarea para cuando esté lista la demo', 'tasks in Apolo that are done', 'tareas de ventas que ya están terminadas'])('"%s" finishes nothing', (text) => {
    expect(ruledIntent(text)).not.toBe('complete_task');
  });
});

describe('a task named loosely, among the tenant\'s open tasks', () => {
  it.each([
    ['ya acabé lo de las facturas', 'enviar las facturas de noviembre'],
    ['marca como hecha la del contrato', 'revisar el contrato con Acme'],
    ['the invoice task is done', 'send the invoices'],
    ['finished the onboarding one', 'prepare the onboarding checklist'],
    ['la del informe de gastos ya está', 'revisar el informe de gastos'],
  ])('%s → %s', (text, task) => {
    expect(extract('completeTask', text)['task']).toBe(task);
  });

  it('a word no open task has names none of them', () => {
    expect(knownTaskByWords('marca como hecha la tarea revisar el presupuesto', known, [])).toBeUndefined();
  });

  it('a word two open tasks share names neither', () => {
    expect(knownTaskByWords('ya terminé lo de revisar', known, [])).toBeUndefined();
  });
});

describe('several tasks in one message', () => {
  it.each([
    ['crea 2 tareas en Apolo para el lunes: llamar al cliente y enviar la factura', 'llamar al cliente y enviar la factura', ['llamar al cliente', 'enviar la factura']],
    ['three tasks for Website: fix the footer, update the logo and test the form', 'fix the footer', ['fix the footer', 'update the logo', 'test the form']],
    ['crea una tarea en Apolo: revisar y firmar el contrato', 'revisar y firmar el contrato', ['revisar y firmar el contrato']],
  ])('%s', (said, title, titles) => {
    expect(taskTitles(said, title)).toEqual(titles);
  });

  it('one call per task, the project and date shared', async () => {
    const c = await plan('two tasks for Intranet due monday: renew the certificate and clean the logs');
    expect(c.toolCalls.map((t) => [t.name, t.arguments])).toEqual([
      ['createTask', { project: 'Intranet', dueAt: '2026-02-02T23:59:59-06:00', title: 'renew the certificate' }],
      ['createTask', { project: 'Intranet', dueAt: '2026-02-02T23:59:59-06:00', title: 'clean the logs' }],
    ]);
  });
});

describe('a listing about a project is about its tasks', () => {
  it.each([
    ['enséñame todo lo de logistica', 'logistica'],
    ['show me everything in Apolo', 'Apolo'],
    ['show me all of Ventas', 'Ventas'],
  ])('%s', async (text, project) => {
    const c = await plan(text);
    expect(c.toolCalls.map((t) => [t.name, t.arguments])).toEqual([['listTasks', { project }]]);
  });

  it('the calendar, said, stays the calendar', async () => {
    const c = await plan('show me my calendar for tomorrow');
    expect(c.toolCalls[0]?.name).toBe('listCalendarEvents');
  });
});

describe('a project and its first task in one message', () => {
  it.each(['crea el proyecto Sirio y una tarea en él: redactar el alcance, el viernes', 'create project Vega with a first task: draft the charter by friday', 'nuevo proyecto Atlas con una tarea: definir el equipo, mañana'])(
    '"%s" starts with the project',
    (text) => {
      expect(ruledIntent(text)).toBe('create_project');
    },
  );

  it.each(['crea una tarea en el proyecto Apolo: revisar planos, el viernes', 'add a task to the Website project: fix the footer, due friday'])('"%s" is a task in an existing project', (text) => {
    expect(ruledIntent(text)).toBe('create_task');
  });
});

describe('work said to be finished, without the task noun', () => {
  it.each(['ya acabé lo de las facturas', 'he terminado el informe de gastos', 'el informe de gastos ya está listo', 'I have finished the onboarding checklist', "we're done with the invoices", 'the onboarding checklist is done.'])(
    '"%s" finishes a task',
    (text) => {
      expect(ruledIntent(text)).toBe('complete_task');
    },
  );

  it.each(['la reunión del jueves ya está lista', 'terminé la llamada con el cliente', 'ya terminé por hoy, gracias', "I'm done with it, thanks", 'todo está listo'])('"%s" finishes no task', (text) => {
    expect(ruledIntent(text)).not.toBe('complete_task');
  });

  it('a question whether it is done finishes nothing; a question asking to finish it does', async () => {
    expect((await plan('are the invoices done?')).toolCalls).toEqual([]);
    expect((await plan('¿puedes marcar como hecha lo de las facturas?')).toolCalls.map((c) => [c.name, c.arguments])).toEqual([['completeTask', { task: 'enviar las facturas de noviembre' }]]);
  });
});

describe('an arrow between the project and what to do', () => {
  it.each([
    ['logistica → pedir palets el jueves', 'pedir palets', 'logistica'],
    ['Website -> update the banner by friday', 'update the banner', 'Website'],
  ])('%s', async (text, title, project) => {
    expect(ruledIntent(text)).toBe('create_task');
    expect(extract('createTask', text)).toMatchObject({ title, project });
  });
});

describe('"mark as done:" before the task', () => {
  it.each([
    ['mark as done: send the invoices', 'send the invoices'],
    ['marca como hecha: enviar las facturas de noviembre', 'enviar las facturas de noviembre'],
  ])('%s', (text, task) => {
    expect(ruledIntent(text)).toBe('complete_task');
    expect(extract('completeTask', text)['task']).toBe(task);
  });
});

describe('a correction in the same message', () => {
  it.each([
    ['crea una tarea en Apolo: revisar el stock para el lunes, perdón, el martes', { title: 'revisar el stock', project: 'Apolo', dueAt: '2026-01-27T23:59:59-06:00' }],
    ['add a task in Website: update the FAQ by friday, sorry, by thursday', { title: 'update the FAQ', project: 'Website', dueAt: '2026-01-29T23:59:59-06:00' }],
    ['create a task to call the bank in Apolo tomorrow, actually make it Ventas', { title: 'call the bank', project: 'Ventas', dueAt: '2026-01-27T23:59:59-06:00' }],
    ['tarea para pedro en Intranet: subir el manual el viernes, no, mejor para ana', { title: 'subir el manual', project: 'Intranet', assignee: 'ana', dueAt: '2026-01-30T23:59:59-06:00' }],
  ])('%s', (text, args) => {
    expect(extract('createTask', text)).toEqual(args);
  });

  it('a new hour alone keeps the day said before it', () => {
    expect(extract('createTask', 'tarea en Ventas: llamar a Acme el jueves a las 10, no, mejor a las 12')['dueAt']).toBe('2026-01-29T12:00:00-06:00');
  });

  it('words that correct nothing keep everything ("make it a task", "sorry to bother")', () => {
    expect(extract('createTask', 'sorry to bother, add a task in Apolo for friday: check the invoices')).toEqual({ title: 'check the invoices', project: 'Apolo', dueAt: '2026-01-30T23:59:59-06:00' });
  });
});
