import { describe, expect, it } from 'vitest';
import type { JsonSchema, KnownNames } from '../llm.types.js';
import { findMentions, isKnown } from './known-names.js';
import { extractArguments } from './slot-extractor.js';
import { erpTool } from './testing/erp-tools.fixture.js';

// Monday 26 January 2026, 09:30 in Mexico City.
const now = { timezone: 'America/Mexico_City', now: new Date('2026-01-26T15:30:00Z') };
const known = {
  projects: ['Intranet', 'Website', 'Apolo', 'Marketing 2027', 'Migración CRM', 'Logística', 'Ventas'],
  users: ['Ana García', 'Pedro López', 'John Smith', 'María Fernández', 'Luis Martín', 'Sarah Connor'],
  events: ['Budget meeting', 'Client demo', 'Sprint retro', 'Comité'],
  tasks: ['revisar el informe', 'update the onboarding doc'],
};
/** The fixture's tools, plus the filters and the completion the catalog has (libs/tool-catalog). */
const EXTRA: Record<string, JsonSchema> = {
  completeTask: { type: 'object', required: ['task'], properties: { task: { type: 'string', maxLength: 200 } } },
  listTasks: { type: 'object', properties: { project: { type: 'string' }, assignee: { type: 'string' }, createdBy: { type: 'string' }, status: { type: 'string', enum: ['open', 'done'] } } },
};
const extract = (tool: string, text: string, names: KnownNames = known) => extractArguments(text, EXTRA[tool] ?? erpTool(tool).parameters, { now, toolName: tool, known: names }).args;

describe('findMentions: the tenant names a message says', () => {
  it('finds names without case or accents, with a typo in a long word, and by their first words', () => {
    const said = (text: string, names: readonly string[]) => findMentions(text, names).map((m) => [m.value, m.name, m.whole]);
    expect(said('tareas de logistica y de intrnet', known.projects)).toEqual([
      ['logistica', 'Logística', true],
      ['intrnet', 'Intranet', true],
    ]);
    expect(said('tasks in marketing 2027', known.projects)).toEqual([['marketing 2027', 'Marketing 2027', true]]);
    expect(said("show sarah's open tasks", known.users)).toEqual([['sarah', 'Sarah Connor', false]]);
    expect(said('para ana garcia: revisar', known.users)).toEqual([['ana garcia', 'Ana García', true]]);
  });

  it('takes no short word for a name and no part of a longer word', () => {
    expect(findMentions('a la una de la tarde', ['A B Consulting', 'Ana García'])).toEqual([]);
    expect(findMentions('the webinar of anabel', ['Website', 'Ana García'])).toEqual([]);
  });

  it('gives one span said of two names (two Anas) once, for neither in particular', () => {
    expect(findMentions('tareas de ana', ['Ana García', 'Ana Torres'])).toHaveLength(1);
  });

  it('takes a capitalised first name followed by another surname for someone else, not the known person said short', () => {
    // "Nina Patel" is not "Nina López": the tool gets the full name and refuses it with the closest ones.
    expect(findMentions('crea una tarea para Nina Patel', ['Nina López'])).toEqual([]);
    expect(findMentions('assign it to Ana Torres', ['Ana García'])).toEqual([]);
    expect(findMentions('assign it to Ana tomorrow', ['Ana García'])).toHaveLength(1);
    expect(findMentions('para Ana: revisar', ['Ana García'])).toHaveLength(1);
    expect(findMentions('para Ana García', ['Ana García'])).toHaveLength(1);
  });

  it('tells a known name from any other', () => {
    expect(isKnown(known.projects, 'website')).toBe(true);
    expect(isKnown(known.projects, 'marketing')).toBe(true);
    expect(isKnown(known.projects, 'Ana')).toBe(false);
  });
});

describe('extractArguments with the tenant names', () => {
  it.each([
    // Project or person, where both can follow "de"/"of".
    ['listTasks', 'tareas de Website', { project: 'Website' }],
    ['listTasks', 'lista las tareas de Intranet', { project: 'Intranet' }],
    ['listTasks', 'show me the open tasks of Website', { project: 'Website' }],
    ['listTasks', 'tareas de ana', { assignee: 'ana' }],
    ['createTask', 'create a task for Ana Torres to call the bank tomorrow in Website', { assignee: 'Ana Torres', title: 'call the bank', project: 'Website', dueAt: '2026-01-27T23:59:59-06:00' }],
    ['listTasks', 'qué tareas tiene pedro', { assignee: 'pedro' }],
    ["listTasks", "john's tasks in apolo", { assignee: 'john', project: 'apolo' }],
    ['listTasks', 'tasks in marketing 2027', { project: 'marketing 2027' }],
    ['listTasks', 'tareas de pedro en logistica', { assignee: 'pedro', project: 'logistica' }],
    // Lower-case projects anywhere a project is said.
    ['createTask', 'crea una tarea para preparar la nomina en logistica el viernes a las 10', { title: 'preparar la nomina', project: 'logistica', dueAt: '2026-01-30T10:00:00-06:00' }],
    ['createTask', 'add tarea: llamar al banco, intranet, tomorrow', { project: 'intranet', dueAt: '2026-01-27T23:59:59-06:00' }],
    ['createTask', 'new task: call the bank. Ventas, due tomorrow', { project: 'Ventas' }],
    ['createTask', 'tarea revisar contrato intranet mañana 10h', { project: 'intranet' }],
    ['createTask', 'remind John to send the contract, Ventas, friday 10am', { assignee: 'John', project: 'Ventas' }],
    ['createTask', 'para el viernes: preparar la demo (Website)', { title: 'preparar la demo', project: 'Website' }],
    // The assignee in lower case, and a person named in the title stays in it.
    ['createTask', 'crea una tarea para ana garcia: revisar el contrato en Intranet mañana a las 10', { assignee: 'ana garcia', project: 'Intranet' }],
    ['createTask', 'crea una tarea: mandar el acta a Pedro, Intranet, mañana a las 8', { project: 'Intranet', dueAt: '2026-01-27T08:00:00-06:00' }],
    // A known event, said in other words around it.
    ['deleteCalendarEvent', 'cancel the budget meeting', { event: 'budget meeting' }],
    ['deleteCalendarEvent', 'borra el comite de mañana', { event: 'comite' }],
    // An open task said whole, whatever leads it; the creator in lower case.
    ['completeTask', 'el informe ya... bueno, ya terminé revisar el informe', { task: 'revisar el informe' }],
    ['completeTask', 'update the onboarding doc is finished', { task: 'update the onboarding doc' }],
    ['listTasks', 'qué tareas creó ana esta semana', { createdBy: 'ana' }],
    ['listTasks', 'which tasks did Pedro create', { createdBy: 'Pedro' }],
    ['updateCalendarEvent', 'move the sprint retro to friday at 3pm', { event: 'sprint retro', startsAt: '2026-01-30T15:00:00-06:00' }],
  ])('%s ← %j', (tool, text, expected) => {
    expect(extract(tool, text)).toMatchObject(expected);
  });

  it('invents nothing: no project or person where none is said, and "ventas" the word is no project', () => {
    expect(extract('listTasks', 'qué tareas vencen mañana')).not.toHaveProperty('project');
    expect(extract('listTasks', 'qué tareas vencen mañana')).not.toHaveProperty('assignee');
    expect(extract('createTask', 'crea una tarea para revisar las ventas del mes mañana')).not.toHaveProperty('project');
    expect(extract('createTask', 'create a task to update the website on Thursday')).not.toHaveProperty('project');
    expect(extract('createTask', 'crea una tarea: mandar el acta a Pedro, Intranet, mañana a las 8')).not.toHaveProperty('assignee');
    // A pronoun after "did" is no one's name: "I" is the caller, "you"/"we" nobody in particular.
    expect(extract('listTasks', 'which tasks did I create last week')).toMatchObject({ createdBy: 'me' });
    expect(extract('listTasks', 'what did I do last week')).not.toHaveProperty('createdBy', 'I');
    expect(extract('listTasks', 'which tasks did we create this week')).not.toHaveProperty('createdBy');
    expect(extract('listTasks', 'which tasks did you add today')).not.toHaveProperty('createdBy');
  });

  it('reads as before when the flow gives no names', () => {
    const none = { projects: [], users: [], events: [] };
    expect(extract('listTasks', 'tareas de Website', none)).toEqual({ assignee: 'Website' });
    expect(extract('createTask', 'crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website', none)).toMatchObject({ project: 'Website' });
  });
});
