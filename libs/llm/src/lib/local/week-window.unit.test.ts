import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../llm.types.js';
import { extractArguments } from './slot-extractor.js';
import { weekWindow } from './week-window.js';

// Wednesday 9 December 2026, 10:00 in Madrid.
const now = { timezone: 'Europe/Madrid', now: new Date('2026-12-09T09:00:00Z') };
const text = (description: string) => ({ type: 'string', minLength: 1, description });
const instant = (description: string) => ({ type: 'string', format: 'date-time', description });
// The catalog's listTasks filters.
const listTasks: JsonSchema = {
  type: 'object',
  properties: {
    project: text('Project name or id'),
    assignee: text('Email or name; "me" for the caller'),
    createdBy: text('Who created them'),
    status: { type: 'string', enum: ['open', 'done'] },
    createdSince: instant('Only tasks created at or after this'),
    dueFrom: instant('Only tasks due at or after this'),
    dueTo: instant('Only tasks due at or before this'),
  },
};
const filters = (said: string) => extractArguments(said, listTasks, { now, toolName: 'listTasks' }).args;

describe('weekWindow', () => {
  it('reads this week and next week, Monday to Sunday in the zone', () => {
    for (const said of ['pendientes de esta semana', 'lo de la semana', "this week's to-dos"]) {
      expect(weekWindow(said, now.now, now.timezone)).toEqual({ monday: new Date('2026-12-06T23:00:00Z'), sunday: new Date('2026-12-13T22:59:59Z'), current: true });
    }
    for (const said of ['la semana que viene', 'la próxima semana', 'due next week']) {
      expect(weekWindow(said, now.now, now.timezone)).toEqual({ monday: new Date('2026-12-13T23:00:00Z'), sunday: new Date('2026-12-20T22:59:59Z'), current: false });
    }
    expect(weekWindow('tareas de mañana', now.now, now.timezone)).toBeUndefined();
  });

  it('keeps Sunday inside its own week', () => {
    const sunday = new Date('2026-12-13T20:00:00Z');
    expect(weekWindow('esta semana', sunday, 'Europe/Madrid')?.monday).toEqual(new Date('2026-12-06T23:00:00Z'));
  });
});

describe('listTasks filters', () => {
  it('reads what is due this week as from today to Sunday', () => {
    for (const said of ['q tengo pendiente esta semana', 'what do I still have open this week?']) {
      expect(filters(said)).toEqual({ assignee: 'me', status: 'open', dueFrom: '2026-12-09T00:00:00+01:00', dueTo: '2026-12-13T23:59:59+01:00' });
    }
    expect(filters('tareas que vencen la semana que viene')).toEqual({ dueFrom: '2026-12-14T00:00:00+01:00', dueTo: '2026-12-20T23:59:59+01:00' });
  });

  it('reads created this week as since its Monday', () => {
    expect(filters('que tareas creo Pedro esta semana')).toEqual({ createdBy: 'Pedro', createdSince: '2026-12-07T00:00:00+01:00' });
    expect(filters('which tasks did Sarah create this week?')).toEqual({ createdBy: 'Sarah', createdSince: '2026-12-07T00:00:00+01:00' });
    expect(filters('tasks I created this week')).toEqual({ createdBy: 'me', createdSince: '2026-12-07T00:00:00+01:00' });
  });

  it("reads a day's list said on its own as the caller's", () => {
    expect(filters('pendientes de mañana')).toEqual({ assignee: 'me', status: 'open', dueFrom: '2026-12-10T00:00:00+01:00', dueTo: '2026-12-10T23:59:59+01:00' });
    expect(filters('tasks for today')).toEqual({ assignee: 'me', dueFrom: '2026-12-09T00:00:00+01:00', dueTo: '2026-12-09T23:59:59+01:00' });
    expect(filters("tomorrow's to-dos")).toMatchObject({ assignee: 'me' });
    // Not an agenda: a question about every task due then.
    expect(filters('¿qué tareas vencen el viernes?')).not.toHaveProperty('assignee');
  });

  it('reads whose work a question asks about, and the status said', () => {
    expect(filters('what is Pedro working on?')).toEqual({ assignee: 'Pedro' });
    expect(filters('¿en qué está trabajando María?')).toEqual({ assignee: 'María' });
    expect(filters('¿qué tiene pendiente Luis?')).toEqual({ assignee: 'Luis', status: 'open' });
    expect(filters('tareas terminadas de Sarah')).toMatchObject({ status: 'done' });
    expect(filters('completed tasks for John')).toEqual({ assignee: 'John', status: 'done' });
  });
});
