import type { ToolDefinition } from '../../llm.types.js';

const text = (maxLength: number, description: string) => ({ type: 'string', minLength: 1, maxLength, description });
const instant = (description: string) => ({ type: 'string', format: 'date-time', description });

/** The ERP tools as libs/tool-catalog declares them (copied: a shared lib may not depend on an agent lib). */
export const erpTools: readonly ToolDefinition[] = [
  { name: 'createProject', description: 'Creates a project.', parameters: { type: 'object', required: ['name'], properties: { name: text(120, 'Project name'), description: text(2000, 'What the project is about') } } },
  { name: 'createUser', description: 'Creates a user.', parameters: { type: 'object', required: ['name', 'email'], properties: { name: text(120, 'Full name'), email: { type: 'string', format: 'email', maxLength: 254 } } } },
  {
    name: 'createTask',
    description: 'Creates a task in a project.',
    parameters: {
      type: 'object',
      required: ['title', 'project', 'dueAt'],
      properties: { title: text(200, 'What to do'), project: text(120, 'Project name or id'), dueAt: instant('When it is due'), assignee: text(254, 'Email or name'), priority: { type: 'string', enum: ['low', 'medium', 'high'] } },
    },
  },
  { name: 'listTasks', description: 'Lists tasks.', parameters: { type: 'object', properties: { project: text(120, 'Project name or id'), assignee: text(254, 'Email or name'), createdSince: instant('Created at or after') } } },
  {
    name: 'createCalendarEvent',
    description: 'Books a calendar event.',
    parameters: { type: 'object', required: ['title', 'startsAt'], properties: { title: text(200, 'Event title'), startsAt: instant('Start'), durationMinutes: { type: 'integer', minimum: 5, maximum: 1440, default: 60 } } },
  },
  {
    name: 'updateCalendarEvent',
    description: 'Moves or renames an event.',
    parameters: { type: 'object', required: ['event'], properties: { event: text(200, 'Event id or title'), title: text(200, 'New title'), startsAt: instant('New start'), durationMinutes: { type: 'integer', minimum: 5, maximum: 1440 } } },
  },
  { name: 'listCalendarEvents', description: 'Lists events in a window.', parameters: { type: 'object', properties: { from: instant('Window start'), to: instant('Window end') } } },
  { name: 'deleteCalendarEvent', description: 'Deletes an event.', parameters: { type: 'object', required: ['event'], properties: { event: text(200, 'Event id or title') } } },
];

export function erpTool(name: string): ToolDefinition {
  const tool = erpTools.find((t) => t.name === name);
  if (!tool) throw new Error(`no fixture tool ${name}`);
  return tool;
}

/** listTasks with every filter the catalog declares (status, creator, creation and due windows). */
export const listTasksWithFilters: ToolDefinition = {
  name: 'listTasks',
  description: 'Lists tasks.',
  parameters: {
    type: 'object',
    properties: {
      project: text(120, 'Project name or id'),
      assignee: text(254, 'Email or name'),
      createdBy: text(254, 'Email or name'),
      status: { type: 'string', enum: ['open', 'done'] },
      createdSince: instant('Created at or after'),
      createdTo: instant('Created before'),
      dueFrom: instant('Due at or after'),
      dueTo: instant('Due before'),
    },
  },
};
