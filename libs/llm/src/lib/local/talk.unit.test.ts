import { describe, expect, it } from 'vitest';
import type { ChatMessage, ToolDefinition } from '../llm.types.js';
import { isCancel } from './cancel.js';
import { isFollowUp } from './follow-up.js';
import { afterGreeting } from './greeting.js';
import { HashedEmbedder } from './hashed.embedder.js';
import { IntentClassifier } from './intent.classifier.js';
import { defaultIntents } from './intent.examples.js';
import { ruledIntent } from './intent.rules.js';
import { LocalProvider } from './local.provider.js';
import { listTasksWithFilters } from './testing/erp-tools.fixture.js';
import { extractArguments } from './slot-extractor.js';

// Wednesday 14 January 2026, 10:00 in Madrid.
const now = { timezone: 'Europe/Madrid', now: new Date('2026-01-14T09:00:00Z') };
const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });
const instant = { type: 'string', format: 'date-time' };
const listTasks = listTasksWithFilters;
const createTask: ToolDefinition = { name: 'createTask', description: 'Creates a task.', parameters: { type: 'object', required: ['title', 'project', 'dueAt'], properties: { title: text(200), project: text(120), dueAt: instant } } };
const known = { projects: ['Intranet', 'Website', 'Apolo', 'Ventas'], users: ['Ana García', 'Pedro López', 'Luis Martín', 'Sarah Connor'], events: [] };
const list = (said: string) => extractArguments(said, listTasks.parameters, { now, toolName: 'listTasks', known }).args;

describe('overdue tasks: open, due before today', () => {
  it.each(['¿qué tareas están atrasadas?', 'enséñame lo vencido', 'which tasks are past due', 'overdue ones please'])('%s', (said) => {
    expect(list(said)).toMatchObject({ status: 'open', dueTo: '2026-01-13T23:59:59+01:00' });
    expect(list(said)['dueFrom']).toBeUndefined();
  });

  it('keeps the person of an overdue list', () => {
    expect(list('tareas retrasadas de Luis')).toEqual({ assignee: 'Luis', status: 'open', dueTo: '2026-01-13T23:59:59+01:00' });
  });
});

describe('tasks created in a window that closed', () => {
  it.each([
    ['lo que creé ayer', { createdBy: 'me', createdSince: '2026-01-13T00:00:00+01:00', createdTo: '2026-01-13T23:59:59+01:00' }],
    ['tasks I added yesterday', { createdBy: 'me', createdSince: '2026-01-13T00:00:00+01:00', createdTo: '2026-01-13T23:59:59+01:00' }],
    ['what did Ana create on monday', { createdBy: 'Ana', createdSince: '2026-01-12T00:00:00+01:00', createdTo: '2026-01-12T23:59:59+01:00' }],
  ])('%s', (said, args) => {
    expect(list(said)).toMatchObject(args);
  });

  it.each([
    ['tareas que creó Luis la semana pasada', { createdSince: '2026-01-05T00:00:00+01:00', createdTo: '2026-01-11T23:59:59+01:00' }],
    ['what did sarah create last week', { createdSince: '2026-01-05T00:00:00+01:00', createdTo: '2026-01-11T23:59:59+01:00' }],
    ['tasks that were due last week', { dueFrom: '2026-01-05T00:00:00+01:00', dueTo: '2026-01-11T23:59:59+01:00' }],
  ])('last week, Monday to Sunday: %s', (said, args) => {
    expect(list(said)).toMatchObject(args);
  });

  it('keeps "me" for the caller when shorthand was read ("porfa dime…")', () => {
    expect(list('porfa dime q tareas tengo')).toEqual({ assignee: 'me' });
  });

  it.each(['qué tareas creé hoy', 'tasks created since monday', 'what did I create this week'])('leaves a window still open without an end: %s', (said) => {
    expect(list(said)['createdTo']).toBeUndefined();
  });
});

describe('a person said before the verb of having or finishing', () => {
  it.each([
    ['show the tasks pedro has open', 'pedro'],
    ['qué tareas luis terminó', 'luis'],
  ])('%s', (said, who) => {
    expect(list(said)['assignee']).toBe(who);
  });
});

describe('everything of a project or a person is a list of tasks', () => {
  it.each(['enséñame todo lo de ventas', 'everything in apolo please', 'all the stuff for sarah', 'lo que falta en apolo', 'lo pendiente de logística', "what's outstanding for luis"])('%s', (said) => {
    expect(ruledIntent(said)).toBe('list_tasks');
  });

  it('leaves a meeting or user request to the classifier', () => {
    expect(ruledIntent('everything in my calendar tomorrow')).toBeUndefined();
  });
});

describe('cancelling', () => {
  it.each(['olvídalo', 'nada, déjalo', 'bueno, mejor no', 'no importa, gracias', 'never mind', 'nah forget it', 'scratch that', 'nvm'])('drops the request: %s', (said) => {
    expect(isCancel(said)).toBe(true);
  });

  it.each(['cancela la reunión con Ana', 'forget the meeting with Pedro', 'de nada', 'nada más, gracias por todo'])('is no cancel when more is said: %s', (said) => {
    expect(isCancel(said)).toBe(false);
  });

  it('plans nothing and says it was dropped', async () => {
    const provider = new LocalProvider({ embedder: new HashedEmbedder() });
    const messages: ChatMessage[] = [
      { role: 'user', content: 'crea una tarea para llamar al banco' },
      { role: 'assistant', content: '¿En qué proyecto y para cuándo?' },
      { role: 'user', content: 'déjalo, no importa' },
    ];
    const done = await provider.complete({ messages, tools: [createTask], now, locale: 'es' });
    expect(done.toolCalls).toEqual([]);
    expect(done.text).toBe('Vale, lo dejo. ¿Te ayudo con otra cosa?');
  });
});

describe('follow-ups of a listing', () => {
  it.each(['y de Ventas?', '¿y para apolo?', 'y luis', 'what about sarah?', "and pedro's?", 'how about tomorrow?', 'same for Website'])('is one: %s', (said) => {
    expect(isFollowUp(said)).toBe(true);
  });

  it.each(['y tú?', 'and you?', 'y gracias por todo', 'y crea una tarea para mañana', 'what about the vacation policy for new employees in spain?', 'hola'])('is none: %s', (said) => {
    expect(isFollowUp(said)).toBe(false);
  });

  const provider = new LocalProvider({ embedder: new HashedEmbedder() });
  const after = (first: string, next: string) =>
    provider.complete({
      messages: [
        { role: 'user', content: first },
        { role: 'assistant', content: 'Encontré 2 tareas.' },
        { role: 'user', content: next },
      ],
      tools: [createTask, listTasks],
      now,
      knownNames: known,
    });

  it.each([
    ['tareas terminadas de Apolo', '¿y de ventas?', { project: 'ventas', status: 'done' }],
    ['qué tareas tiene Ana', 'y luis?', { assignee: 'luis' }],
    ['open tasks in Website', 'how about intranet?', { project: 'intranet', status: 'open' }],
    ['my tasks for today', 'and tomorrow?', { assignee: 'me', dueFrom: '2026-01-15T00:00:00+01:00', dueTo: '2026-01-15T23:59:59+01:00' }],
  ])('%s → %s lists again with the change', async (first, next, args) => {
    const done = await after(first, next);
    expect(done.toolCalls.map((c) => [c.name, c.arguments])).toEqual([['listTasks', args]]);
  });

  it('does not follow up a request that made something', async () => {
    const done = await after('crea una tarea para llamar al banco en Ventas mañana', 'y de Apolo?');
    expect(done.toolCalls.map((c) => c.name)).not.toContain('listTasks');
  });
});

describe('a request for a task is no listing', () => {
  const classifier = new IntentClassifier(new HashedEmbedder(), defaultIntents);
  it.each(['me haces una tarea?', 'hazme una tarea porfa'])('%s', async (said) => {
    expect((await classifier.classify(said)).intent).toBe('create_task');
  });
});

describe('a greeting glued to a request', () => {
  const classifier = new IntentClassifier(new HashedEmbedder(), defaultIntents);

  it.each([
    ['buenas! tareas pendientes de Ventas', 'list_tasks'],
    ['hello, list my open tasks', 'list_tasks'],
    ['buenas tardes, ¿cómo va todo?', 'small_talk'],
    ['hi there! how are you doing', 'small_talk'],
  ])('%s → %s', async (said, intent) => {
    expect((await classifier.classify(said)).intent).toBe(intent);
  });

  it.each(['👍', '🙏🙏', '👌 😊'])('takes a reaction for small talk: %s', async (said) => {
    expect((await classifier.classify(said)).route).toBe('SMALL_TALK');
  });

  it('reads no argument from the greeting ("good evening" is no time)', () => {
    expect(list('good evening! anything overdue?')).toEqual({ status: 'open', dueTo: '2026-01-13T23:59:59+01:00' });
    expect(list('buenas tardes! tareas que vencen hoy')).toEqual({ dueFrom: '2026-01-14T00:00:00+01:00', dueTo: '2026-01-14T23:59:59+01:00' });
  });

  it('takes the greeting off only when a request follows', () => {
    expect(afterGreeting('hola! qué tengo hoy')).toBe('qué tengo hoy');
    expect(afterGreeting('hola!')).toBeUndefined();
    expect(afterGreeting('hey, ¿qué tal?')).toBeUndefined();
  });
});
