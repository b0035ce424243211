/** A JSON Schema as the catalog writes it (draft 2020-12 subset the planner and ajv both read). */
export type JsonSchema = Readonly<Record<string, unknown>>;

export type ToolName =
  | 'createProject'
  | 'createUser'
  | 'createTask'
  | 'listTasks'
  | 'completeTask'
  | 'createCalendarEvent'
  | 'updateCalendarEvent'
  | 'listCalendarEvents'
  | 'deleteCalendarEvent'
  | 'send_template'
  | 'lookupNames';

export interface ToolSpec {
  name: ToolName;
  description: string;
  /** Roles allowed to call it; the user needs one of them. */
  roles: readonly string[];
  /** True when the tool changes data (and so goes through the idempotency ledger). */
  writes: boolean;
  parameters: JsonSchema;
  /** What the user reads while the call runs (a CHUNK_KIND_PROGRESS chunk, seed 004 §2F), per language. */
  progress: Readonly<Record<'es' | 'en', string>>;
  /**
   * Run by the flow itself, never offered to a model or to MCP clients, and silent in the stream: `lookupNames`
   * gives the planner the tenant's names before it reads the message.
   */
  internal?: boolean;
}

const text = (maxLength: number, description: string) => ({ type: 'string', minLength: 1, maxLength, description });
const instant = (description: string) => ({ type: 'string', format: 'date-time', description });
const everyone = ['client', 'admin'] as const;

/** Every tool the tool-executor runs. Names are resolved to ids by the tools themselves, never by the planner. */
export const toolCatalog: readonly ToolSpec[] = [
  {
    name: 'createProject',
    description: 'Creates a project. Project names are unique within the tenant.',
    roles: everyone,
    writes: true,
    progress: { es: 'Creando el proyecto…', en: 'Creating the project…' },
    parameters: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: text(120, 'Project name'), description: text(2000, 'What the project is about') } },
  },
  {
    name: 'createUser',
    description: 'Creates a user of the tenant. Admins only.',
    roles: ['admin'],
    writes: true,
    progress: { es: 'Dando de alta al usuario…', en: 'Adding the user…' },
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'email'],
      properties: { name: text(120, 'Full name'), email: { type: 'string', format: 'email', maxLength: 254 } },
    },
  },
  {
    name: 'createTask',
    description: 'Creates a task in a project, by project name or id; the due date may not be in the past; the assignee must exist.',
    roles: everyone,
    writes: true,
    progress: { es: 'Creando la tarea…', en: 'Creating the task…' },
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['title', 'project', 'dueAt'],
      properties: {
        title: text(200, 'What to do'),
        project: text(120, 'Project name or id'),
        dueAt: instant('When it is due, ISO 8601 with offset'),
        assignee: text(254, 'Email or name of a user of the tenant'),
        priority: { type: 'string', enum: ['low', 'medium', 'high'] },
      },
    },
  },
  {
    name: 'listTasks',
    description: 'Lists tasks, optionally of one project, one assignee, or created since an instant.',
    roles: everyone,
    writes: false,
    progress: { es: 'Buscando tareas…', en: 'Looking up tasks…' },
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        project: text(120, 'Project name or id'),
        assignee: text(254, 'Email or name; "me" for the caller'),
        createdBy: { ...text(254, 'Who created them: "me" for the caller, or a name or email') },
        status: { type: 'string', enum: ['open', 'done'], description: 'open: not completed yet; done: completed' },
        createdSince: instant('Only tasks created at or after this'),
        dueFrom: instant('Only tasks due at or after this'),
        dueTo: instant('Only tasks due at or before this'),
      },
    },
  },
  {
    name: 'completeTask',
    description: 'Marks a task as done, found by id or by its title.',
    roles: everyone,
    writes: true,
    progress: { es: 'Marcando la tarea como hecha…', en: 'Marking the task as done…' },
    parameters: { type: 'object', additionalProperties: false, required: ['task'], properties: { task: text(200, 'Task id or title') } },
  },
  {
    name: 'createCalendarEvent',
    description: "Books a calendar event; refuses a slot outside the tenant's working hours or that overlaps another event of the user or of an attendee, naming the next free slot.",
    roles: everyone,
    writes: true,
    progress: { es: 'Revisando el calendario y agendando…', en: 'Checking the calendar and booking…' },
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['title', 'startsAt'],
      properties: {
        title: text(200, 'Event title'),
        startsAt: instant('Start, ISO 8601 with offset'),
        durationMinutes: { type: 'integer', minimum: 5, maximum: 1440, default: 60 },
        attendees: { type: 'array', maxItems: 20, items: text(254, 'Name or email of a user of the tenant'), description: 'Users of the tenant who attend; their calendars are checked too' },
      },
    },
  },
  {
    name: 'updateCalendarEvent',
    description: 'Moves or renames an event found by id or by its title.',
    roles: everyone,
    writes: true,
    progress: { es: 'Cambiando el evento…', en: 'Changing the event…' },
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['event'],
      properties: {
        event: text(200, 'Event id or title'),
        title: text(200, 'New title'),
        startsAt: instant('New start'),
        durationMinutes: { type: 'integer', minimum: 5, maximum: 1440 },
      },
    },
  },
  {
    name: 'listCalendarEvents',
    description: "Lists the user's events in a window (default: the next 7 days).",
    roles: everyone,
    writes: false,
    progress: { es: 'Consultando el calendario…', en: 'Looking at the calendar…' },
    parameters: { type: 'object', additionalProperties: false, properties: { from: instant('Window start'), to: instant('Window end') } },
  },
  {
    name: 'deleteCalendarEvent',
    description: 'Deletes an event found by id or by its title.',
    roles: everyone,
    writes: true,
    progress: { es: 'Cancelando el evento…', en: 'Cancelling the event…' },
    parameters: { type: 'object', additionalProperties: false, required: ['event'], properties: { event: text(200, 'Event id or title') } },
  },
  {
    // Seed 000 §7.2 names it snake_case (its customer-support flow calls it so); the ERP tools are camelCase.
    name: 'send_template',
    description: "Sends a message from one of the tenant's templates (complaint-acknowledgment, question-received), its {{variables}} filled in; refuses a template that does not exist or a variable it needs that is missing.",
    roles: everyone,
    writes: true,
    progress: { es: 'Enviando el mensaje…', en: 'Sending the message…' },
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['templateId'],
      properties: {
        templateId: { type: 'string', minLength: 1, maxLength: 80, pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Template id, e.g. complaint-acknowledgment' },
        variables: { type: 'object', maxProperties: 20, additionalProperties: { type: 'string', maxLength: 500 }, description: "Values for the template's {{name}} placeholders" },
        to: text(254, 'Who receives it (an e-mail or a contact id); default: the conversation the flow runs in'),
        language: { type: 'string', enum: ['es', 'en'], description: 'Language of the template (default: es)' },
      },
    },
  },
  {
    name: 'lookupNames',
    description: "The names a message may mention: the tenant's projects and users, and the titles of the caller's recent and upcoming events.",
    roles: everyone,
    writes: false,
    internal: true,
    progress: { es: 'Leyendo el mensaje…', en: 'Reading the message…' },
    parameters: { type: 'object', additionalProperties: false, properties: {} },
  },
];

/** The tools a model or an MCP client may call (every tool but the flow's own internal ones). */
export const callableTools: readonly ToolSpec[] = toolCatalog.filter((t) => !t.internal);

const byName = new Map<string, ToolSpec>(toolCatalog.map((t) => [t.name, t]));

export function toolSpec(name: string): ToolSpec | undefined {
  return byName.get(name);
}
