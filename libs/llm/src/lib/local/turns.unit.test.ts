import { describe, expect, it } from 'vitest';
import type { ChatMessage, ToolDefinition } from '../llm.types.js';
import { hourPhrase, namedCorrection, requestInstead } from './answers.js';
import { isFollowUp, mergeFollowUp } from './follow-up.js';
import { HashedEmbedder } from './hashed.embedder.js';
import { ruledIntent } from './intent.rules.js';
import { LocalProvider } from './local.provider.js';
import { listTasksWithFilters } from './testing/erp-tools.fixture.js';
import { extractArguments } from './slot-extractor.js';
import { taskStillToAsk } from './project-and-task.js';
import { taskTitles } from './several-tasks.js';
import { twoRequests } from './two-requests.js';

// Wednesday 14 January 2026, 10:00 in Madrid.
const now = { timezone: 'Europe/Madrid', now: new Date('2026-01-14T09:00:00Z') };
const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });
const instant = { type: 'string', format: 'date-time' };
const listTasks = listTasksWithFilters;
const createTask: ToolDefinition = {
  name: 'createTask',
  description: 'Creates a task.',
  parameters: { type: 'object', required: ['title', 'project', 'dueAt'], properties: { title: text(200), project: text(120), dueAt: instant, assignee: text(254), priority: { type: 'string', enum: ['low', 'medium', 'high'] } } },
};
const createProject: ToolDefinition = { name: 'createProject', description: 'Creates a project.', parameters: { type: 'object', required: ['name'], properties: { name: text(120) } } };
const createUser: ToolDefinition = { name: 'createUser', description: 'Creates a user.', parameters: { type: 'object', required: ['name', 'email'], properties: { name: text(120), email: { type: 'string', format: 'email' } } } };
const createCalendarEvent: ToolDefinition = {
  name: 'createCalendarEvent',
  description: 'Books an event.',
  parameters: { type: 'object', required: ['title', 'startsAt'], properties: { title: text(200), startsAt: instant, durationMinutes: { type: 'integer' }, attendees: { type: 'array', items: text(254) } } },
};
const tools = [createTask, listTasks, createProject, createUser, createCalendarEvent];
const known = { projects: ['Intranet', 'Website', 'Apolo', 'Ventas', 'Logística', 'Marketing 2027'], users: ['Ana García', 'Pedro López', 'Luis Martín', 'Sarah Connor', 'John Smith', 'María Fernández'], events: [] };
const provider = new LocalProvider({ embedder: new HashedEmbedder() });

/** The calls planned at the end of a conversation; each assistant turn is the question (or "Hecho.") it got. */
async function talk(turns: readonly string[], replies: readonly string[] = []): Promise<[string, Record<string, unknown>][]> {
  const messages: ChatMessage[] = [];
  let calls: [string, Record<string, unknown>][] = [];
  for (const [i, said] of turns.entries()) {
    messages.push({ role: 'user', content: said });
    const done = await provider.complete({ messages, tools, now, locale: 'es', knownNames: known });
    calls = done.toolCalls.map((c) => [c.name, c.arguments]);
    messages.push({ role: 'assistant', content: replies[i] ?? (done.text || 'Hecho.') });
  }
  return calls;
}

describe('a follow-up listing', () => {
  it.each(['solo las terminadas', 'sólo las abiertas', 'only the open ones pls', 'just the ones for sarah', 'and the ones for marketing 2027?', 'hmm and the ones he created?', 'y las que creó ella?'])('is one: %j', (said) => {
    expect(isFollowUp(said)).toBe(true);
  });

  it.each([
    ['tareas de ana', 'y de website?', { project: 'website' }],
    ['tasks of pedro', 'what about intranet?', { project: 'intranet' }],
    ['tareas de intranet', 'y las de luis?', { assignee: 'luis' }],
    ['tareas de luis en intranet', 'y las de john?', { assignee: 'john', project: 'intranet' }],
    ['tareas de ana', 'y las mías?', { assignee: 'me' }],
    ['tasks for john', 'and mine?', { assignee: 'me' }],
    ['mis tareas', 'y de website?', { assignee: 'me', project: 'website' }],
    ['tareas pendientes de apolo', 'y de ventas?', { project: 'ventas', status: 'open' }],
  ])('%j → %j swaps the filter said the same way', async (first, next, args) => {
    expect(await talk([first, next])).toEqual([['listTasks', args]]);
  });

  it.each([
    ['tareas del proyecto logistica', 'solo las terminadas', { project: 'logistica', status: 'done' }],
    ['tasks in apolo', 'only the open ones pls', { project: 'apolo', status: 'open' }],
    ['tasks in ventas', 'just the ones for sarah', { project: 'ventas', assignee: 'sarah' }],
    ['tareas de website', 'solo las de pedro', { project: 'website', assignee: 'pedro' }],
  ])('%j → %j narrows the listing', async (first, next, args) => {
    expect(await talk([first, next])).toEqual([['listTasks', args]]);
  });

  it.each([
    ['tasks assigned to pedro', 'and the ones he created?', { createdBy: 'pedro' }],
    ['tareas de ana', 'y las que creó ella?', { createdBy: 'ana' }],
  ])('%j → %j turns the person into the creator', async (first, next, args) => {
    expect(await talk([first, next])).toEqual([['listTasks', args]]);
  });

  it.each([
    ['what did sarah create this week', 'and ana?', { createdBy: 'ana', createdSince: '2026-01-12T00:00:00+01:00' }],
    ['qué tareas creó pedro ayer', 'y luis?', { createdBy: 'luis', createdSince: '2026-01-13T00:00:00+01:00', createdTo: '2026-01-13T23:59:59+01:00' }],
  ])('%j → %j swaps the creator and keeps the window', async (first, next, args) => {
    expect(await talk([first, next])).toEqual([['listTasks', args]]);
  });

  it.each([
    ['que tareas cree hoy', 'y ayer?'],
    ['what did I create today', 'and yesterday?'],
  ])('%j → %j moves the creation window, not a due one', async (first, next) => {
    expect(await talk([first, next])).toEqual([['listTasks', { createdBy: 'me', createdSince: '2026-01-13T00:00:00+01:00', createdTo: '2026-01-13T23:59:59+01:00' }]]);
  });

  it('keeps a due window a due window', () => {
    expect(mergeFollowUp({ assignee: 'me', dueFrom: 'a', dueTo: 'b' }, { dueFrom: 'c', dueTo: 'd' }, 'y mañana?')).toEqual({ assignee: 'me', dueFrom: 'c', dueTo: 'd' });
  });

  it.each(['tareas del proyecto logistica', 'tasks in apolo', 'las tareas de Ana', 'my tasks for friday'])('reads the plural noun without a verb as a listing: %j', (said) => {
    expect(ruledIntent(said)).toBe('list_tasks');
  });

  it.each(['tarea: llamar al banco', 'tareas nuevas en website', 'tasks: renew the domain'])('still reads %j as making one', (said) => {
    expect(ruledIntent(said)).toBe('create_task');
  });
});

describe('answers to a question', () => {
  it.each([
    [['crea una tarea para revisar el presupuesto en logistica', 'el viernes, y asignasela a luis porfa'], { title: 'revisar el presupuesto', project: 'logistica', dueAt: '2026-01-16T23:59:59+01:00', assignee: 'luis' }],
    [['add a task to website: fix the broken links', 'by wednesday, and give it to sarah'], { title: 'fix the broken links', project: 'website', dueAt: '2026-01-21T23:59:59+01:00', assignee: 'sarah' }],
    [['crea una tarea para enviar el informe el jueves', 'en intranet, no perdona, en website'], { title: 'enviar el informe', project: 'website', dueAt: '2026-01-15T23:59:59+01:00' }],
    [['new task: update the onboarding doc', 'intranet, no wait, apolo, due friday'], { title: 'update the onboarding doc', project: 'apolo', dueAt: '2026-01-16T23:59:59+01:00' }],
  ])('keep the title said and take the facts added: %j', async (turns, args) => {
    expect(await talk(turns)).toEqual([['createTask', args]]);
  });

  it.each([
    [['crea una tarea en website', 'para el viernes'], 'title'],
    [['i need a new task', "it's for intranet"], 'title'],
    [['nueva tarea en ventas', 'pues para el lunes'], 'title'],
  ])('leave no function word as the title: %j', async (turns, field) => {
    const [call] = await talk(turns);
    expect(call?.[1][field]).toBeUndefined();
  });

  it.each([
    [['book a call with john on thursday', 'sorry, I meant Pedro', '3pm'], { title: 'call with Pedro', attendees: ['Pedro'], startsAt: '2026-01-15T15:00:00+01:00' }],
    [['agenda una reunión con ana el viernes', 'perdona, quise decir luis', 'a las 10'], { title: 'reunión con luis', attendees: ['luis'], startsAt: '2026-01-16T10:00:00+01:00' }],
    [['agenda una reunion con ana el viernes', 'no espera, mejor con pedro', 'a las 10'], { title: 'reunion con pedro', attendees: ['pedro'], startsAt: '2026-01-16T10:00:00+01:00' }],
  ])('put the person corrected in every place the earlier one was: %j', async (turns, args) => {
    expect(await talk(turns)).toEqual([['createCalendarEvent', args]]);
  });

  it.each([
    [['agenda una reunión con pedro', 'el jueves a las 10, que dure media hora'], ['createCalendarEvent', { title: 'reunión con pedro', attendees: ['pedro'], startsAt: '2026-01-15T10:00:00+01:00', durationMinutes: 30 }]],
    [['create a task to call the bank', 'ventas, tomorrow, high priority'], ['createTask', { title: 'call the bank', project: 'ventas', dueAt: '2026-01-15T23:59:59+01:00', priority: 'high' }]],
    [['crea una tarea para revisar el informe en ventas', 'el lunes. ah, y que sea urgente'], ['createTask', { title: 'revisar el informe', project: 'ventas', dueAt: '2026-01-19T23:59:59+01:00', priority: 'high' }]],
  ])('take an answer of facts for one, however chatty: %j', async (turns, call) => {
    expect(await talk(turns)).toEqual([call]);
  });

  it.each([
    [['schedule a meeting', 'with pedro', 'tomorrow 3pm'], ['createCalendarEvent', { title: 'meeting with pedro', attendees: ['pedro'], startsAt: '2026-01-15T15:00:00+01:00' }]],
    [['agenda una reunión', 'con luis, el jueves a las 10'], ['createCalendarEvent', { title: 'reunión con luis', attendees: ['luis'], startsAt: '2026-01-15T10:00:00+01:00' }]],
    [['crea el proyecto Orion y una tarea', 'vale, la tarea es preparar el kickoff y es para el lunes'], ['createTask', { title: 'preparar el kickoff', project: 'Orion', dueAt: '2026-01-19T23:59:59+01:00' }]],
    [['new task in apolo', "ok the task is draft the budget and it's due friday"], ['createTask', { title: 'draft the budget', project: 'apolo', dueAt: '2026-01-16T23:59:59+01:00' }]],
  ])('read what an answer announces or adds to the request: %j', async (turns, call) => {
    const replies = turns[0]?.includes('proyecto') ? [`Listo. ${taskStillToAsk(turns[0], ['createProject'], 'es') ?? ''}`] : [];
    expect(await talk(turns, replies)).toEqual([call]);
  });

  it.each([
    ['crea una tarea para revisar el informe en ventas', 'gracias, hasta el lunes'],
    ['agenda una reunión con ana', 'thanks, see you tomorrow'],
  ])('take a closing for none: %j', async (...turns) => {
    expect(await talk(turns)).toEqual([]);
  });

  it.each([
    [['crea una tarea para revisar el logo en intranet', 'perdón, quería decir website. para el lunes'], { title: 'revisar el logo', project: 'website', dueAt: '2026-01-19T23:59:59+01:00' }],
    [['add a task to ventas: call acme', 'sorry, I meant apolo, due friday'], { title: 'call acme', project: 'apolo', dueAt: '2026-01-16T23:59:59+01:00' }],
  ])('take a project corrected and what follows it: %j', async (turns, args) => {
    expect(await talk(turns)).toEqual([['createTask', args]]);
  });

  it.each([
    ['crea una tarea para revisar el logo', 'no gracias'],
    ['schedule a call with ana', 'nah'],
    ['schedule a call with ana', 'cancel'],
    ['crea una tarea', 'ninguna, déjalo'],
    ['new task in website', 'nope, forget it'],
  ])('plan nothing once the request is dropped: %j', async (...turns) => {
    expect(await talk(turns)).toEqual([]);
  });

  it.each([
    [['agenda una reunion con luis el miercoles', '11'], '2026-01-21T11:00:00+01:00'],
    [['schedule a meeting with ana on friday', '9:30'], '2026-01-16T09:30:00+01:00'],
    [['agenda una reunión con pedro el lunes', 'las 12h'], '2026-01-19T12:00:00+01:00'],
  ])('take a bare number for the hour asked for: %j', async (turns, startsAt) => {
    const [call] = await talk(turns);
    expect(call?.[1]['startsAt']).toBe(startsAt);
  });

  it('reads a bare hour only as a time of day', () => {
    expect(hourPhrase('11', 'es')).toBe('a las 11');
    expect(hourPhrase('at 9:30', 'en')).toBe('at 9:30');
    expect(hourPhrase('11 personas', 'es')).toBeUndefined();
    expect(hourPhrase('34', 'es')).toBeUndefined();
  });

  it.each([
    [['crea un usuario', 'se llama Marta Quiñonez y su correo es marta.q@acme.test'], { name: 'Marta Quiñonez', email: 'marta.q@acme.test' }],
    [['quiero crear un proyecto', 'no, mejor un usuario: Carla Brimvale, carla.b@acme.test'], { name: 'Carla Brimvale', email: 'carla.b@acme.test' }],
    [['create a project', 'actually, a user: Tom Baker, tom.b@acme.test'], { name: 'Tom Baker', email: 'tom.b@acme.test' }],
  ])('read the user said: %j', async (turns, args) => {
    expect(await talk(turns)).toEqual([['createUser', args]]);
  });

  it.each([
    [['agenda una reunion con maria el jueves', 'mejor hazme una tarea: enviarle el presupuesto, en ventas, para el jueves'], { title: 'enviarle el presupuesto', project: 'ventas', dueAt: '2026-01-15T23:59:59+01:00' }],
    [['schedule a meeting with pedro', 'actually, create a task instead: send pedro the report, website, due friday'], { title: 'send pedro the report', project: 'website', dueAt: '2026-01-16T23:59:59+01:00' }],
  ])('take a change of mind for the new request: %j', async (turns, args) => {
    expect(await talk(turns)).toEqual([['createTask', args]]);
  });

  it('tells a change of mind from a correction of an answer', () => {
    expect(requestInstead('no, mejor un usuario: Carla, carla@acme.test', 'es')).toBe('crea un usuario: Carla, carla@acme.test');
    expect(requestInstead('no, mejor el viernes', 'es')).toBeUndefined();
    expect(requestInstead('actually make it 11', 'en')).toBeUndefined();
  });

  it('takes a correction only for a name of the tenant', () => {
    expect(namedCorrection('sorry, I meant Pedro', known)).toEqual({ kind: 'user', said: 'Pedro', rest: '' });
    expect(namedCorrection('perdón, en Website', known)).toEqual({ kind: 'project', said: 'Website', rest: '' });
    expect(namedCorrection('perdón, quería decir website. para el lunes', known)).toEqual({ kind: 'project', said: 'website', rest: 'para el lunes' });
    expect(namedCorrection('no espera, mejor con pedro lópez', known)).toEqual({ kind: 'user', said: 'pedro lópez', rest: '' });
    expect(namedCorrection('sorry, I meant tomorrow', known)).toBeUndefined();
    expect(namedCorrection('Pedro', known)).toBeUndefined();
  });
});

describe('a project and its task', () => {
  it.each([
    [['crea el proyecto Vortenhal y una tarea para él', 'kickoff con el cliente, el lunes'], { title: 'kickoff con el cliente', project: 'Vortenhal', dueAt: '2026-01-19T23:59:59+01:00' }],
    [['create project Vega with a first task', 'review requirements, due monday'], { title: 'review requirements', project: 'Vega', dueAt: '2026-01-19T23:59:59+01:00' }],
  ])('the answers after the project complete its task: %j', async (turns, args) => {
    const reply = taskStillToAsk(turns[0] ?? '', ['createProject'], 'es');
    expect(await talk(turns, [`Listo: creé el proyecto. ${reply ?? ''}`])).toEqual([['createTask', args]]);
  });

  it('asks for the task once the project is made without it', () => {
    expect(taskStillToAsk('crea el proyecto Vega y una tarea', ['createProject'], 'es')).toBe('¿Y la tarea? Dime su título y para cuándo es.');
    expect(taskStillToAsk('create project Vega and add a task to it', ['createProject'], 'en')).toMatch(/^What is the task/);
    expect(taskStillToAsk('crea el proyecto Vega y una tarea: definir alcance, el lunes', ['createProject', 'createTask'], 'es')).toBeUndefined();
    expect(taskStillToAsk('crea el proyecto Vega', ['createProject'], 'es')).toBeUndefined();
  });

  it('makes both when the task is said whole, with a verb before it', async () => {
    expect(await talk(['create project Quarnwick and add a task to it: write the spec, due friday'])).toEqual([
      ['createProject', { name: 'Quarnwick' }],
      ['createTask', { title: 'write the spec', project: 'Quarnwick', dueAt: '2026-01-16T23:59:59+01:00' }],
    ]);
  });
});

describe('a task in the project just made', () => {
  it.each([
    [['crea un proyecto llamado Tribeca', 'y una tarea para él: definir alcance, el viernes'], { title: 'definir alcance', project: 'Tribeca', dueAt: '2026-01-16T23:59:59+01:00' }],
    [['create a project called Mistral', 'and add a task to it: write the brief, due monday'], { title: 'write the brief', project: 'Mistral', dueAt: '2026-01-19T23:59:59+01:00' }],
  ])('%j', async (turns, args) => {
    expect(await talk(turns, ['Listo: creé el proyecto.'])).toEqual([['createTask', args]]);
  });

  it.each(['una tarea para él: definir alcance', 'a task for her: write the brief', 'tarea para ella: revisar'])('takes no pronoun for an assignee: %j', (said) => {
    const parameters = { type: 'object', properties: { assignee: text(254), title: text(200) } };
    expect(extractArguments(said, parameters, { now, toolName: 'createTask' }).args['assignee']).toBeUndefined();
  });
});

describe('two requests in one message', () => {
  it.each([
    ['crea una tarea para llamar a acme en ventas mañana y agenda una reunion con pedro el miercoles a las 10', 'crea una tarea para llamar a acme en ventas mañana'],
    ['create a task to call the bank in ventas due friday, and then schedule a call with ana on thursday at 3pm', 'create a task to call the bank in ventas due friday'],
  ])('are read apart: %j', (said, first) => {
    expect(twoRequests(said)?.[0]).toBe(first);
  });

  it.each(['crea el proyecto Lyra y crea una tarea en él: definir alcance', 'add two tasks to apolo: call the supplier and book the venue, both due thursday', 'crea una tarea para revisar y firmar el contrato'])('one request stays one: %j', (said) => {
    expect(twoRequests(said)).toBeUndefined();
  });

  it('plans each with its own facts', async () => {
    expect(await talk(['crea una tarea para llamar a acme en ventas mañana y agenda una reunion con pedro el miercoles a las 10'])).toEqual([
      ['createTask', { title: 'llamar a acme', project: 'ventas', dueAt: '2026-01-15T23:59:59+01:00' }],
      ['createCalendarEvent', { title: 'reunion con pedro', attendees: ['pedro'], startsAt: '2026-01-21T10:00:00+01:00' }],
    ]);
  });

  it.each([
    ['list my tasks and my meetings for today', 'list my tasks for today', 'list my meetings for today'],
    ['qué tareas y reuniones tengo mañana', 'qué tareas tengo mañana', 'qué reuniones tengo mañana'],
  ])('two kinds of records asked for at once are two listings: %j', (said, first, second) => {
    expect(twoRequests(said)).toEqual([first, second]);
  });

  it.each([
    ['crea tareas en intranet: revisar el login, actualizar la doc y probar el buscador, para el viernes', 'revisar el login', ['revisar el login', 'actualizar la doc', 'probar el buscador']],
    ['add two tasks to apolo: call the supplier and book the venue, both due thursday', 'call the supplier', ['call the supplier', 'book the venue']],
    ['añade estas tareas a ventas: llamar a acme y enviar la oferta, para el lunes', 'llamar a acme', ['llamar a acme', 'enviar la oferta']],
  ])('a list of tasks closed by their day makes every one: %j', (said, title, titles) => {
    expect(taskTitles(said, title)).toEqual(titles);
  });
});

describe('a task named after an earlier turn', () => {
  const tasks = { ...known, tasks: ['send the january newsletter', 'revisar el contrato con Acme'] };
  it.each([
    ['ok then mark the newsletter one as done', 'send the january newsletter'],
    ['well, also mark the newsletter one as done', 'send the january newsletter'],
    ['vale, entonces marca la del contrato como hecha', 'revisar el contrato con Acme'],
    ['pues marca lo del contrato como hecho', 'revisar el contrato con Acme'],
  ])('%j', (said, task) => {
    const parameters = { type: 'object', required: ['task'], properties: { task: text(200) } };
    expect(extractArguments(said, parameters, { now, toolName: 'completeTask', known: tasks }).args).toEqual({ task });
  });
});
