import { describe, expect, it } from 'vitest';
import { findShift } from './shift.js';
import { extractArguments } from './slot-extractor.js';
import { erpTool } from './testing/erp-tools.fixture.js';

// Monday 26 January 2026, 09:30 in Mexico City.
const now = { timezone: 'America/Mexico_City', now: new Date('2026-01-26T15:30:00Z') };
const extract = (tool: string, text: string, extra: { expecting?: string } = {}) => extractArguments(text, erpTool(tool).parameters, { now, toolName: tool, ...extra });

describe('extractArguments: exactly what the text says, by JSON Schema', () => {
  it.each([
    ['createTask', 'crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website', { title: 'revisar el contrato', project: 'Website', dueAt: '2026-01-27T10:00:00-06:00' }],
    ['createTask', 'create a task to review the contract tomorrow at 10 in the Website project', { title: 'review the contract', project: 'Website', dueAt: '2026-01-27T10:00:00-06:00' }],
    [
      'createTask',
      'nueva tarea: preparar la demo, prioridad alta, asígnala a ana@acme.com, para el viernes a las 5',
      { title: 'preparar la demo', priority: 'high', assignee: 'ana@acme.com', dueAt: '2026-01-30T17:00:00-06:00' },
    ],
    [
      'createTask',
      'add a high priority task "Migrate DB" to project Phoenix due next friday at 4pm, assign it to Peter Gomez',
      { title: 'Migrate DB', project: 'Phoenix', priority: 'high', assignee: 'Peter Gomez', dueAt: '2026-01-30T16:00:00-06:00' },
    ],
    ['createTask', 'añade una tarea para Ana en el proyecto Intranet', { project: 'Intranet', assignee: 'Ana' }],
    ['createTask', 'crea una tarea urgente de pagar la nómina pasado mañana a las 9 en el proyecto Finanzas', { title: 'pagar la nómina', priority: 'high', project: 'Finanzas', dueAt: '2026-01-28T09:00:00-06:00' }],
    ['createTask', 'tarea de baja prioridad: ordenar archivos, proyecto "Oficina Central", mañana a mediodía', { title: 'ordenar archivos', priority: 'low', project: 'Oficina Central', dueAt: '2026-01-27T12:00:00-06:00' }],
    ['createProject', 'crea un proyecto llamado Website', { name: 'Website' }],
    ['createProject', 'new project "Intranet 2026"', { name: 'Intranet 2026' }],
    ['createProject', 'create the Apollo project', { name: 'Apollo' }],
    ['createProject', 'nuevo proyecto Ventas Norte, descripción: expansión a Monterrey', { name: 'Ventas Norte', description: 'expansión a Monterrey' }],
    ['createUser', 'crea un usuario para Ana López con correo ana@acme.com', { name: 'Ana López', email: 'ana@acme.com' }],
    // "usuario Ana": the keyword's "a" must be a word, not the first letter of the name.
    ['createUser', 'crea el usuario Ana García con correo ana@acme.com', { name: 'Ana García', email: 'ana@acme.com' }],
    ['createUser', 'da de alta Alba Ruiz, alba@acme.com', { name: 'Alba Ruiz', email: 'alba@acme.com' }],
    ['createUser', 'add Peter Gomez as a user, peter@acme.com', { name: 'Peter Gomez', email: 'peter@acme.com' }],
    ['createUser', 'da de alta a Luis', { name: 'Luis' }],
    ['createCalendarEvent', 'agenda una reunión con Ana mañana a las 10 por 30 minutos', { title: 'reunión con Ana', startsAt: '2026-01-27T10:00:00-06:00', durationMinutes: 30 }],
    ['createCalendarEvent', 'schedule a call with Bob tomorrow at 9am for an hour', { title: 'call with Bob', startsAt: '2026-01-27T09:00:00-06:00', durationMinutes: 60 }],
    ['createCalendarEvent', 'agenda "Revisión de presupuesto" el jueves a las 11 durante una hora y media', { title: 'Revisión de presupuesto', startsAt: '2026-01-29T11:00:00-06:00', durationMinutes: 90 }],
    ['updateCalendarEvent', 'la reunión con Pedro pásala al jueves a las 10', { event: 'reunión con Pedro', startsAt: '2026-01-29T10:00:00-06:00' }],
    ['deleteCalendarEvent', 'la llamada con proveedores cancélala', { event: 'llamada con proveedores' }],
    ['updateCalendarEvent', 'cambia la reunión de Daniela a mañana a la misma hora', { event: 'reunión de Daniela', startsAt: '2026-01-27T09:30:00-06:00' }],
    ['updateCalendarEvent', "move Daniela's meeting to friday at 3pm", { event: "Daniela's meeting", startsAt: '2026-01-30T15:00:00-06:00' }],
    ['updateCalendarEvent', 'cambia el título de la reunión semanal a Planificación', { event: 'reunión semanal', title: 'Planificación' }],
    ['deleteCalendarEvent', 'cancela la reunión de Daniela', { event: 'reunión de Daniela' }],
    ['deleteCalendarEvent', 'cancela el evento 0b7c6f1e-3a1d-4c57-9f55-2f5b8e0c9a10', { event: '0b7c6f1e-3a1d-4c57-9f55-2f5b8e0c9a10' }],
    ['listCalendarEvents', '¿qué reuniones tengo mañana?', { from: '2026-01-27T00:00:00-06:00', to: '2026-01-27T23:59:59-06:00' }],
    ['listCalendarEvents', 'show my meetings from monday to friday', { from: '2026-01-26T00:00:00-06:00', to: '2026-01-30T23:59:59-06:00' }],
    ['listTasks', '¿qué tareas creé hoy?', { createdSince: '2026-01-26T00:00:00-06:00' }],
    ['listTasks', 'muéstrame las tareas del proyecto Website', { project: 'Website' }],
    ['listTasks', 'which tasks are assigned to Ana?', { assignee: 'Ana' }],
  ])('%s: %s', (tool, text, args) => {
    expect(extract(tool, text).args).toEqual(args);
  });

  it('never invents: a bare request gives no arguments and lists every required one as missing', () => {
    expect(extract('createTask', 'crea una tarea')).toEqual({ args: {}, missing: ['title', 'project', 'dueAt'], dateWithoutTime: [] });
    expect(extract('createUser', 'quiero crear un usuario')).toMatchObject({ args: {}, missing: ['name', 'email'] });
    expect(extract('createCalendarEvent', 'schedule a meeting')).toMatchObject({ args: {}, missing: ['title', 'startsAt'] });
  });

  it('leaves a start time out when only the day was said, and says so', () => {
    const e = extract('createCalendarEvent', 'agenda una reunión con Bob el viernes');
    expect(e.args).toEqual({ title: 'reunión con Bob' });
    expect(e.missing).toEqual(['startsAt']);
    expect(e.dateWithoutTime).toEqual(['startsAt']);
  });

  it('a due date without a time is the end of that day in the user zone (issue 16)', () => {
    const e = extract('createTask', 'crea una tarea para revisar el contrato el viernes en el proyecto Website');
    expect(e.args).toEqual({ title: 'revisar el contrato', project: 'Website', dueAt: '2026-01-30T23:59:59-06:00' });
    expect(e.missing).toEqual([]);
  });

  it.each([
    ['crea una tarea revisar el contrato para el 20 de enero en Intranet', { title: 'revisar el contrato', project: 'Intranet', dueAt: '2027-01-20T23:59:59-06:00' }],
    ['agrega preparar la demo a Website para el viernes', { title: 'preparar la demo', project: 'Website', dueAt: '2026-01-30T23:59:59-06:00' }],
    ['Intranet: revisar el contrato, mañana', { title: 'revisar el contrato', project: 'Intranet', dueAt: '2026-01-27T23:59:59-06:00' }],
    ['tarea: llamar al cliente. Proyecto: Ventas. Fecha: mañana a las 12', { title: 'llamar al cliente', project: 'Ventas', dueAt: '2026-01-27T12:00:00-06:00' }],
  ])('a project named without the word "proyecto": %s', (text, args) => {
    expect(extract('createTask', text).args).toEqual(args);
  });

  it('"a 45 minute call on Wednesday at 11am": a duration, the day and the hour said, never now + 45 minutes (issue 16)', () => {
    expect(extract('createCalendarEvent', 'set up a 45 minute call on Wednesday at 11am').args).toEqual({ title: 'call', startsAt: '2026-01-28T11:00:00-06:00', durationMinutes: 45 });
  });

  it('a weekday alone is the next such day, never today', () => {
    // now is Monday 2026-01-26.
    expect(extract('createCalendarEvent', 'agenda la demo el lunes a las 10').args).toMatchObject({ startsAt: '2026-02-02T10:00:00-06:00' });
  });

  it('does not turn a project name into an id, nor a name into an email', () => {
    const schema = { type: 'object', required: ['projectId', 'email'], properties: { projectId: { type: 'string' }, email: { type: 'string', format: 'email' } } };
    expect(extractArguments('en el proyecto Website para Ana', schema, { now }).args).toEqual({});
  });

  it('drops a value the schema would refuse instead of cutting it', () => {
    const schema = { type: 'object', properties: { title: { type: 'string', maxLength: 5 } } };
    expect(extractArguments('crea una tarea para revisar el contrato', schema, { now, toolName: 'createTask' }).args).toEqual({});
  });

  it('fills the argument it asked for from a bare answer', () => {
    expect(extract('createTask', 'Website', { expecting: 'project' }).args).toEqual({ project: 'Website' });
    expect(extract('createTask', 'revisar el contrato', { expecting: 'title' }).args).toEqual({ title: 'revisar el contrato' });
    expect(extract('createTask', 'mañana a las 10', { expecting: 'dueAt' }).args).toEqual({ dueAt: '2026-01-27T10:00:00-06:00' });
    expect(extract('createUser', 'es ana@acme.com', { expecting: 'email' }).args).toEqual({ email: 'ana@acme.com' });
  });

  it('follows an x-extract hint over the property name', () => {
    const schema = { type: 'object', properties: { cliente: { type: 'string', 'x-extract': 'project' }, cuando: { type: 'string', format: 'date-time' } } };
    expect(extractArguments('en el proyecto Acme mañana a las 10', schema, { now }).args).toEqual({ cliente: 'Acme', cuando: '2026-01-27T10:00:00-06:00' });
  });

  it('fills a search query with the message itself', () => {
    const schema = { type: 'object', required: ['query'], properties: { query: { type: 'string' } } };
    expect(extractArguments('  ¿cuál es la política de vacaciones? ', schema, { now }).args).toEqual({ query: '¿cuál es la política de vacaciones?' });
  });
});

describe('extractArguments: typos, names next to dates, bare references (issue 16)', () => {
  it('reads keywords through their typos and keeps the title in the user\'s words', () => {
    expect(extract('createProject', 'cra el proyeto Cometa').args).toEqual({ name: 'Cometa' });
    expect(extract('createCalendarEvent', 'schedule a meeting with pedro tomorow at 1pm').args).toMatchObject({ title: 'meeting with pedro', startsAt: '2026-01-27T13:00:00-06:00' });
    expect(extract('createCalendarEvent', 'mtg w/ Ana tomorrow 10am').args).toMatchObject({ title: 'mtg w/ Ana', startsAt: '2026-01-27T10:00:00-06:00' });
  });

  it('joins a time and a day said apart', () => {
    expect(extract('createTask', 'crea una tarea revisar contrato en el proyecto Intranet a las 18h mañana').args).toMatchObject({ dueAt: '2026-01-27T18:00:00-06:00' });
  });

  it('takes a bare "the meeting" for no event, so the question asks which', () => {
    expect(extract('updateCalendarEvent', 'mueve la reunión').missing).toContain('event');
    expect(extract('updateCalendarEvent', 'move the meeting').missing).toContain('event');
  });
});

describe('extractArguments: assignees as people type them', () => {
  it.each([
    ['asígnale a john smith la tarea de traducir la web', 'john smith'],
    ['crea una tarea para preparar el informe y asignasela a luis', 'luis'],
    ['task: review contract. owner Ana', 'Ana'],
    ['ponle a María una tarea de revisar facturas', 'María'],
  ])('%s → %s', (text, assignee) => {
    expect(extract('createTask', text).args['assignee']).toBe(assignee);
  });
});

describe('extractArguments: the task title wherever people put it (issue 16)', () => {
  // now: Monday 26 January 2026, 09:30 in Mexico City.
  it.each([
    // A colon closes the request's lead; what follows is what to do.
    ['tarea nueva en Website para Pedro Gómez: subir el banner, el martes 17:15', { title: 'subir el banner', project: 'Website', assignee: 'Pedro Gómez', dueAt: '2026-01-27T17:15:00-06:00' }],
    ['ponme una tarea en Intranet: renovar el dominio, el viernes a mediodia', { title: 'renovar el dominio', project: 'Intranet', dueAt: '2026-01-30T12:00:00-06:00' }],
    ['urgent task in Phoenix: restore the backup, due Friday', { title: 'restore the backup', project: 'Phoenix', dueAt: '2026-01-30T23:59:59-06:00', priority: 'high' }],
    ['8am tomorrow Phoenix task: call the auditor', { title: 'call the auditor', project: 'Phoenix', dueAt: '2026-01-27T08:00:00-06:00' }],
    // "para <name>:" before the colon is whom the task is for, even in lower case and without accents.
    ['crea una tarea para pedro gomez: enviar la factura en Ventas el jueves a las 9', { title: 'enviar la factura', project: 'Ventas', assignee: 'pedro gomez', dueAt: '2026-01-29T09:00:00-06:00' }],
    ['new task for sarah: update the pricing page in Website on Friday', { title: 'update the pricing page', project: 'Website', assignee: 'sarah', dueAt: '2026-01-30T23:59:59-06:00' }],
    // Connectors and adjectives between the noun and the title are no part of it.
    ['assign Peter the task of migrating the database in Phoenix by Friday at 4pm', { title: 'migrating the database', project: 'Phoenix', assignee: 'Peter', dueAt: '2026-01-30T16:00:00-06:00' }],
    ['I want a task for deploying the app in Phoenix by Thursday', { title: 'deploying the app', project: 'Phoenix', dueAt: '2026-01-29T23:59:59-06:00' }],
    ['crea una tarea de prioridad baja para ordenar el almacen en Logística mañana a las 8', { title: 'ordenar el almacen', project: 'Logística', priority: 'low', dueAt: '2026-01-27T08:00:00-06:00' }],
    ['add a task with high priority to renew the licenses in Website tomorrow at 11am', { title: 'renew the licenses', project: 'Website', priority: 'high', dueAt: '2026-01-27T11:00:00-06:00' }],
    // Said before the noun: what someone must do, or what a verb of adding takes.
    ['Marta tiene que enviar el presupuesto antes del miercoles, proyecto Ventas. Hazle una tarea', { title: 'enviar el presupuesto', project: 'Ventas', assignee: 'Marta', dueAt: '2026-01-28T23:59:59-06:00' }],
    ['Peter needs to renew the domain by Thursday in Website, make it a task', { title: 'renew the domain', project: 'Website', assignee: 'Peter', dueAt: '2026-01-29T23:59:59-06:00' }],
    ['anota pagar a los proveedores como tarea en Ventas para el 3 de febrero', { title: 'pagar a los proveedores', project: 'Ventas', dueAt: '2026-02-03T23:59:59-06:00' }],
    ['jot down call the landlord as a task in Intranet for Friday', { title: 'call the landlord', project: 'Intranet', dueAt: '2026-01-30T23:59:59-06:00' }],
    ['give Peter a task to check the stock in Logística tomorrow at 9', { title: 'check the stock', project: 'Logística', assignee: 'Peter', dueAt: '2026-01-27T09:00:00-06:00' }],
    // Work handed to a named person, with no task noun at all.
    ['necesito que Marta envíe el presupuesto para el viernes en Ventas', { title: 'envíe el presupuesto', project: 'Ventas', assignee: 'Marta', dueAt: '2026-01-30T23:59:59-06:00' }],
    ['we need Peter to call the bank by Thursday in Website', { title: 'call the bank', project: 'Website', assignee: 'Peter', dueAt: '2026-01-29T23:59:59-06:00' }],
    // A day or a project labels what follows the colon.
    ['para el jueves: enviar las nóminas (Ventas)', { title: 'enviar las nóminas', project: 'Ventas', dueAt: '2026-01-29T23:59:59-06:00' }],
    ['Website: fix the checkout by Friday', { title: 'fix the checkout', project: 'Website', dueAt: '2026-01-30T23:59:59-06:00' }],
    ['tarea para Luis Martín en Website: actualizar el blog, el viernes', { title: 'actualizar el blog', project: 'Website', assignee: 'Luis Martín', dueAt: '2026-01-30T23:59:59-06:00' }],
    ['create a task due tomorrow to fix the printer in Intranet', { title: 'fix the printer', project: 'Intranet', dueAt: '2026-01-27T23:59:59-06:00' }],
    ['recuerdame llamar al gestor el martes a las 10 en Ventas', { title: 'llamar al gestor', project: 'Ventas', dueAt: '2026-01-27T10:00:00-06:00' }],
    ['remind me to renew the licenses on Friday in Website', { title: 'renew the licenses', project: 'Website', dueAt: '2026-01-30T23:59:59-06:00' }],
    ['nueva tarea p/ Ana: revisar el informe en Website el miercoles', { title: 'revisar el informe', project: 'Website', assignee: 'Ana', dueAt: '2026-01-28T23:59:59-06:00' }],
    ['new todo: call the bank, due friday, Ventas project', { title: 'call the bank', project: 'Ventas', dueAt: '2026-01-30T23:59:59-06:00' }],
    ['we gotta fix the login bug by friday in Website, add it as a task', { title: 'fix the login bug', project: 'Website', dueAt: '2026-01-30T23:59:59-06:00' }],
    // A mistyped noun: the request's own words are still no part of the title.
    ['crea una tare para pagar la luz el viernes en Intranet', { title: 'pagar la luz', project: 'Intranet', dueAt: '2026-01-30T23:59:59-06:00' }],
  ])('%s', (text, args) => {
    expect(extract('createTask', text).args).toEqual(args);
  });

  it.each([
    ['quiero una tarea nueva', ['title', 'project', 'dueAt']],
    ['I need a new task', ['title', 'project', 'dueAt']],
    ['I want to create a task', ['title', 'project', 'dueAt']],
    ['we need to add a task', ['title', 'project', 'dueAt']],
    ['add a task due Monday in Phoenix', ['title']],
    ['crea una tarea para el viernes en Ventas', ['title']],
  ])('a request that names no work leaves the title missing: %s', (text, missing) => {
    expect(extract('createTask', text).missing).toEqual(missing);
  });

  it.each([
    'crea una tarea para revisar el contrato mañana por la mañana en Intranet',
    'tarea: llamar al banco el jueves en la tarde, proyecto Ventas',
    'add a task to call the bank tomorrow afternoon in Website',
    'task: send the invoices this evening, Website',
  ])('a part of the day without an hour is no due time: it is asked for (%s)', (text) => {
    const e = extract('createTask', text);
    expect(e.args['dueAt']).toBeUndefined();
    expect(e.dateWithoutTime).toEqual(['dueAt']);
  });

  it('keeps a due time said with its part of the day', () => {
    expect(extract('createTask', 'tarea: llamar al banco mañana a las 4 de la tarde en Ventas').args['dueAt']).toBe('2026-01-27T16:00:00-06:00');
  });
});

describe('extractArguments: projects and users as people label them', () => {
  it.each([
    ['createProject', 'proyecto nuevo: Orion', { name: 'Orion' }],
    ['createProject', 'start a new project: Vega 2', { name: 'Vega 2' }],
    ['createProject', 'abre el proyecto Draco para la nueva tienda online', { name: 'Draco', description: 'la nueva tienda online' }],
    ['createProject', 'set up the Lyra project for the mobile app', { name: 'Lyra', description: 'the mobile app' }],
    ['createUser', 'nuevo usuario: Pablo Díaz, pablo@acme.com', { name: 'Pablo Díaz', email: 'pablo@acme.com' }],
    ['createUser', 'new user: Tom Baker, tom@acme.com', { name: 'Tom Baker', email: 'tom@acme.com' }],
    ['createUser', 'alta de usuaria: Ines Mora (ines@acme.com)', { name: 'Ines Mora', email: 'ines@acme.com' }],
    ['createUser', 'register Mark Twain, mark@acme.com', { name: 'Mark Twain', email: 'mark@acme.com' }],
  ])('%s: %s', (tool, text, args) => {
    expect(extract(tool, text).args).toEqual(args);
  });
});

describe('extractArguments: a task handed to someone', () => {
  it.each([
    ['quiero que María prepare la demo para el viernes en Website', { assignee: 'María', title: 'prepare la demo', project: 'Website', dueAt: '2026-01-30T23:59:59-06:00' }],
    ['pídele a Luis que revise las facturas', { assignee: 'Luis', title: 'revise las facturas' }],
    ['I need John to update the pricing page by monday', { assignee: 'John', title: 'update the pricing page', dueAt: '2026-02-02T23:59:59-06:00' }],
    ['have Sarah call the supplier', { assignee: 'Sarah', title: 'call the supplier' }],
  ])('%s', (text, args) => {
    expect(extract('createTask', text).args).toEqual(args);
  });

  it('reads no one from a need without a person', () => {
    expect(extract('createTask', 'necesito que revises el contrato').args).not.toHaveProperty('assignee');
    expect(extract('createTask', 'I need Website fixed').args).not.toHaveProperty('assignee');
  });
});

describe('extractArguments: the task a finished job names', () => {
  it.each([
    ['terminé la presentación del cliente', 'la presentación del cliente'],
    ['ya hice lo de revisar el contrato', 'revisar el contrato'],
    ['he acabado de preparar la nómina', 'preparar la nómina'],
    ['complete the task update the pricing page', 'update the pricing page'],
    ['mark the slides task as done', 'slides'],
    ['pon la tarea de facturas como completada', 'facturas'],
  ])('%s → %s', (text, task) => {
    // The catalog's completeTask.
    const completeTask = { type: 'object', required: ['task'], properties: { task: { type: 'string', minLength: 1, maxLength: 200, description: 'Task id or title' } } };
    expect(extractArguments(text, completeTask, { now, toolName: 'completeTask' }).args['task']).toBe(task);
  });
});

// now is Monday 2026-01-26, 09:30 in Mexico City.
describe('extractArguments: calendar requests as people write them (issue 16)', () => {
  it.each([
    ['book a 2h workshop on friday at 10am', { title: 'workshop', startsAt: '2026-01-30T10:00:00-06:00', durationMinutes: 120 }],
    ['set up a 1 hour sync with Tom on feb 3 at 11am', { title: 'sync with Tom', startsAt: '2026-02-03T11:00:00-06:00', durationMinutes: 60 }],
    ['quiero una llamada de 30 min manana a las 4 con Sara', { title: 'llamada con Sara', startsAt: '2026-01-27T16:00:00-06:00', durationMinutes: 30 }],
    ['agenda una reunion de 1h con el equipo el jueves a las 9', { title: 'reunion con el equipo', startsAt: '2026-01-29T09:00:00-06:00', durationMinutes: 60 }],
    ['entrevista de 45 minutos el miercoles 12:30 con Carla y Tomás', { title: 'entrevista con Carla y Tomás', startsAt: '2026-01-28T12:30:00-06:00', durationMinutes: 45 }],
    ['add a 20-minute check-in call tomorrow at 8:15am', { title: 'check-in call', startsAt: '2026-01-27T08:15:00-06:00', durationMinutes: 20 }],
    // A typo in the title stays the user's own word even when the title is joined from two pieces.
    ['agenda una llamda de 45 minutos con Luis el miercoles a las 11', { title: 'llamda con Luis', startsAt: '2026-01-28T11:00:00-06:00', durationMinutes: 45 }],
  ])('a length is no time of day and no part of the title: %s', (text, args) => {
    expect(extract('createCalendarEvent', text).args).toEqual(args);
  });

  it.each([
    ['bloquea el jueves de 9 a 10:30 para revisar presupuestos', { title: 'revisar presupuestos', startsAt: '2026-01-29T09:00:00-06:00', durationMinutes: 90 }],
    ['book the workshop on thursday from 2 to 5pm', { title: 'workshop', startsAt: '2026-01-29T14:00:00-06:00', durationMinutes: 180 }],
    ['agenda la demo manana de 11 a 12', { title: 'demo', startsAt: '2026-01-27T11:00:00-06:00', durationMinutes: 60 }],
    ['pon la retro el viernes de 3 a 4 y media', { title: 'retro', startsAt: '2026-01-30T15:00:00-06:00', durationMinutes: 90 }],
    ['planning session between 10 and 11:45 on wednesday', { title: 'planning session', startsAt: '2026-01-28T10:00:00-06:00', durationMinutes: 105 }],
  ])('a range of hours gives the start and the length: %s', (text, args) => {
    expect(extract('createCalendarEvent', text).args).toEqual(args);
  });

  it.each([
    ["schedule 'Quarterly planning' tomorrow at 3pm", 'Quarterly planning'],
    ["agenda un evento 'Cierre de mes' el lunes a las 9", 'Cierre de mes'],
    ['bloquea una hora el miercoles a las 12 para revisar la presentacion', 'revisar la presentacion'],
    ['block 2 hours tomorrow at 9 to prepare the interview', 'prepare the interview'],
    ['create a 30 min event on friday at 10 for the onboarding', 'onboarding'],
  ])('the title is what is quoted or what the time is for: %s', (text, title) => {
    expect(extract('createCalendarEvent', text).args['title']).toBe(title);
  });

  it.each([
    ['deleteCalendarEvent', 'cancela la retro del sprint', 'retro del sprint'],
    ['deleteCalendarEvent', 'cancel the design review', 'design review'],
    ['deleteCalendarEvent', 'cancel sprint planning meeting', 'sprint planning meeting'],
    ['updateCalendarEvent', 'move the weekly sync to tuesday at 10', 'weekly sync'],
    ['deleteCalendarEvent', 'delete the Offsite event', 'Offsite'],
    ['deleteCalendarEvent', 'elimina el evento Kickoff', 'Kickoff'],
    ['deleteCalendarEvent', 'borra mi reunion del jueves con el comite de direccion', 'comite de direccion'],
    ['updateCalendarEvent', 'pasa la reunion de presupuesto al lunes a las 9', 'reunion de presupuesto'],
  ])('%s: the words that name the event: %s', (tool, text, event) => {
    expect(extract(tool, text).args['event']).toBe(event);
  });

  it.each([
    ['renombra la sesion de onboarding a Bienvenida', { event: 'sesion de onboarding', title: 'Bienvenida' }],
    ['rename the weekly sync as Team sync', { event: 'weekly sync', title: 'Team sync' }],
    ['cambia el nombre de la demo del cliente grande a Demo final', { event: 'demo del cliente grande', title: 'Demo final' }],
    ['change the title of the client call to Kickoff call', { event: 'client call', title: 'Kickoff call' }],
  ])('a rename gives the event and its new title: %s', (text, args) => {
    expect(extract('updateCalendarEvent', text).args).toEqual(args);
  });

  it('"this week" is the calendar\'s own window; "next week" is Monday to Sunday, not one day', () => {
    expect(extract('listCalendarEvents', 'anything on my agenda this week?').args).toEqual({});
    expect(extract('listCalendarEvents', 'que reuniones tengo esta semana').args).toEqual({});
    const next = { from: '2026-02-02T00:00:00-06:00', to: '2026-02-08T23:59:59-06:00' };
    expect(extract('listCalendarEvents', 'what do I have next week').args).toEqual(next);
    expect(extract('listCalendarEvents', 'que tengo la semana que viene').args).toEqual(next);
  });
});

describe('findShift: a move by an amount is no new length (issue 16)', () => {
  it.each([
    ['retrasa la daily una hora', 60, 'daily'],
    ['atrasa 2 horas la llamada con el proveedor', 120, 'llamada con el proveedor'],
    ['adelanta media hora la reunion con Ana', -30, 'reunion con Ana'],
    ['push the standup back 30 minutes', 30, 'standup'],
    ['move the retro 15 minutes later', 15, 'retro'],
    ['bring the client call forward by an hour', -60, 'client call'],
    ['pospon la demo 45 min', 45, 'demo'],
  ])('%s → %i minutes, event %s', (text, minutes, event) => {
    expect(findShift(text)).toBe(minutes);
    expect(extract('updateCalendarEvent', text).args).toEqual({ event });
  });

  it('an amount that says how long moves nothing', () => {
    expect(findShift('agenda una reunión de 2 horas mañana a las 10')).toBeUndefined();
    expect(findShift('cambia la reunión de presupuesto a las 11 por 30 minutos')).toBeUndefined();
  });
});

describe('extractArguments: an event named after the word for events', () => {
  it.each([
    ['createCalendarEvent', 'create an event called Board review on friday at 3pm', { title: 'Board review', startsAt: '2026-01-30T15:00:00-06:00' }],
    ['createCalendarEvent', 'crea un evento llamado Comité de dirección el martes a las 10', { title: 'Comité de dirección', startsAt: '2026-01-27T10:00:00-06:00' }],
    ['deleteCalendarEvent', 'elimina el evento de la presentacion', { event: 'presentacion' }],
    ['deleteCalendarEvent', 'cancela la junta del lunes con el comite', { event: 'comite' }],
    ['updateCalendarEvent', 'move the board meeting from thursday to friday at 2pm', { event: 'board meeting', startsAt: '2026-01-30T14:00:00-06:00' }],
  ])('%s: %s', (tool, text, args) => {
    expect(extract(tool, text).args).toEqual(args);
  });
});

describe('extractArguments: words that name nothing', () => {
  it('"for me to" is no part of a task title, "algo"/"something" no event title', () => {
    expect(extract('createTask', 'can you create a task for me to book the flights, Ventas, due wednesday').args['title']).toBe('book the flights');
    expect(extract('createTask', 'crea una tarea para mí para renovar el seguro en Ventas el lunes').args['title']).toBe('renovar el seguro');
    expect(extract('createCalendarEvent', 'quiero agendar algo').args).not.toHaveProperty('title');
    expect(extract('createCalendarEvent', 'schedule something tomorrow at 10').args).not.toHaveProperty('title');
  });
});

describe('extractArguments: a time corrected in the same message, words for times (issue 16)', () => {
  it.each([
    ['agenda una llamada con Ana mañana a las 10, no perdón, a las 11', '2026-01-27T11:00:00-06:00'],
    ['reunión con Pedro el jueves a las 9, no, mejor a las 12', '2026-01-29T12:00:00-06:00'],
    ['schedule a call with John tomorrow at 10, no wait, make it 11', '2026-01-27T11:00:00-06:00'],
    ['book a sync with Ana on friday at 3pm, actually 4pm', '2026-01-30T16:00:00-06:00'],
  ])('%s', (text, startsAt) => {
    expect(extract('createCalendarEvent', text).args['startsAt']).toBe(startsAt);
  });

  it.each([
    ['schedule a half hour call w/ sarah at 17:30 on wednesday', { title: 'call w/ sarah', startsAt: '2026-01-28T17:30:00-06:00', durationMinutes: 30 }],
    ['agenda una llamada con sarah a las diez y media del jueves', { title: 'llamada con sarah', startsAt: '2026-01-29T10:30:00-06:00' }],
    ['el viernes 13 a las 11 reunión con luis', { title: 'reunión con luis', startsAt: '2026-02-13T11:00:00-06:00' }],
    ['friday the 30th at 11 meeting with luis', { title: 'meeting with luis', startsAt: '2026-01-30T11:00:00-06:00' }],
    ['30 min 1:1 with Luis tomorrow 4pm', { title: '1:1 with Luis', startsAt: '2026-01-27T16:00:00-06:00', durationMinutes: 30 }],
    ['one-on-one con Ana el jueves a las 10', { title: 'one-on-one con Ana', startsAt: '2026-01-29T10:00:00-06:00' }],
    ['reunión el 5 de febrero a las 17:30h con sarah', { title: 'reunión con sarah', startsAt: '2026-02-05T17:30:00-06:00' }],
    ['comida con el equipo el martes a mediodía', { title: 'comida con el equipo', startsAt: '2026-01-27T12:00:00-06:00' }],
  ])('%s', (text, expected) => {
    expect(extract('createCalendarEvent', text).args).toMatchObject(expected);
  });
});

