/** A JSON Schema as the catalog writes it (draft 2020-12 subset the planner and ajv both read). */
export type JsonSchema = Readonly<Record<string, unknown>>;

export type ToolName =
  | 'createProject'
  | 'createUser'
  | 'createTask'
  | 'listTasks'
  | 'completeTask'
  | 'updateTask'
  | 'deleteTask'
  | 'createCalendarEvent'
  | 'updateCalendarEvent'
  | 'listCalendarEvents'
  | 'deleteCalendarEvent'
  | 'send_template'
  | 'lookupNames';

/** A text the user reads, in each language the assistant speaks. */
export type Phrase = Readonly<Record<'es' | 'en', string>>;

/** How one argument is asked for: its name inside a question, and the question that asks for it alone. */
export interface FieldWords {
  /** "el título de la tarea" (in "¿Me indicas el título de la tarea y el proyecto?"). */
  label: Phrase;
  /** "¿Cuál es el título de la tarea?"; without it, "¿Me indicas <label>?". */
  question?: Phrase;
}

/** The flow types the router names (seed 004); a tool that starts one says so. */
export type FlowType = 'CreateTask' | 'CreateProject' | 'CreateUser' | 'ScheduleMeeting';

/**
 * Everything about a tool lives in its entry (issue 16): the schema the planner fills and ajv checks, who may call
 * it, what the user reads while it runs, when it is refused, when it ran (a summary's headline), and how each
 * argument is asked for. The services read these; adding a tool is its entry here plus its code in the tool-executor.
 */
export interface ToolSpec {
  name: ToolName;
  description: string;
  /** Roles allowed to call it; the user needs one of them. */
  roles: readonly string[];
  /** True when the tool changes data (and so goes through the idempotency ledger). */
  writes: boolean;
  parameters: JsonSchema;
  /** What the user reads while the call runs (a CHUNK_KIND_PROGRESS chunk, seed 004 §2F), per language. */
  progress: Phrase;
  /** In "No tienes permiso para <action>" / "This flow does not allow you to <action>": "crear tareas". */
  action: Phrase;
  /** What happened when it ran, as a summary's headline: "Tarea creada". */
  done: Phrase;
  /** The router's intent that names this tool ("create_task"): the planner then offers it alone. */
  intent?: string;
  /** The flow type whose request this tool carries out ("CreateTask" → createTask). */
  flowType?: FlowType;
  /** How the planner asks for a missing argument; the planner's generic wording where absent. */
  fields?: Readonly<Record<string, FieldWords>>;
  /**
   * Run by the flow itself, never offered to a model or to MCP clients, and silent in the stream: `lookupNames`
   * gives the planner the tenant's names before it reads the message.
   */
  internal?: boolean;
}

const text = (maxLength: number, description: string) => ({ type: 'string', minLength: 1, maxLength, description });
const instant = (description: string) => ({ type: 'string', format: 'date-time', description });
const everyone = ['client', 'admin'] as const;
const both = (es: string, en: string): Phrase => ({ es, en });
/** Event references are asked for the same way by every tool that takes one. */
const eventField: FieldWords = { label: both('qué evento es (su título)', 'which event it is (its title)') };
/** Task references likewise (completeTask, updateTask, deleteTask). */
const taskLabel = both('qué tarea es (su título)', 'which task it is (its title)');

/** Every tool the tool-executor runs. Names are resolved to ids by the tools themselves, never by the planner. */
export const toolCatalog: readonly ToolSpec[] = [
  {
    name: 'createProject',
    action: both('crear proyectos', 'create projects'),
    done: both('Proyecto creado', 'Project created'),
    intent: 'create_project',
    flowType: 'CreateProject',
    fields: { name: { label: both('el nombre del proyecto', 'the project name'), question: both('¿Cómo se llama el proyecto?', 'What is the project called?') } },
    description: 'Creates a project. Project names are unique within the tenant.',
    roles: everyone,
    writes: true,
    progress: { es: 'Creando el proyecto…', en: 'Creating the project…' },
    parameters: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: text(120, 'Project name'), description: text(2000, 'What the project is about') } },
  },
  {
    name: 'createUser',
    action: both('crear usuarios', 'create users'),
    done: both('Usuario creado', 'User created'),
    intent: 'create_user',
    flowType: 'CreateUser',
    fields: {
      name: { label: both('el nombre completo', 'the full name') },
      email: { label: both('el correo electrónico', 'the email address'), question: both('¿Cuál es su correo electrónico?', 'What is their email address?') },
    },
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
    action: both('crear tareas', 'create tasks'),
    done: both('Tarea creada', 'Task created'),
    intent: 'create_task',
    flowType: 'CreateTask',
    fields: {
      title: { label: both('el título de la tarea', 'the task title'), question: both('¿Cuál es el título de la tarea?', 'What is the title of the task?') },
      project: { label: both('el proyecto', 'the project'), question: both('¿En qué proyecto va la tarea?', 'Which project is the task for?') },
      dueAt: { label: both('la fecha y hora límite', 'the due date and time'), question: both('¿Para cuándo es la tarea? Dime fecha y hora.', 'When is the task due? Tell me the date and time.') },
    },
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
    action: both('consultar tareas', 'look up tasks'),
    done: both('Tareas consultadas', 'Tasks looked up'),
    description: 'Lists tasks, optionally of one project, one assignee, one creator, one status, created or due within a window.',
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
        createdTo: instant('Only tasks created at or before this'),
        dueFrom: instant('Only tasks due at or after this'),
        dueTo: instant('Only tasks due at or before this'),
      },
    },
  },
  {
    name: 'completeTask',
    action: both('completar tareas', 'complete tasks'),
    done: both('Tarea completada', 'Task completed'),
    intent: 'complete_task',
    fields: { task: { label: taskLabel, question: both('¿Qué tarea marco como hecha? Dime su título.', 'Which task should I mark as done? Tell me its title.') } },
    description: 'Marks a task as done, found by id or by its title.',
    roles: everyone,
    writes: true,
    progress: { es: 'Marcando la tarea como hecha…', en: 'Marking the task as done…' },
    parameters: { type: 'object', additionalProperties: false, required: ['task'], properties: { task: text(200, 'Task id or title') } },
  },
  {
    name: 'updateTask',
    action: both('cambiar tareas', 'change tasks'),
    done: both('Tarea cambiada', 'Task updated'),
    intent: 'update_task',
    fields: {
      task: { label: taskLabel, question: both('¿Qué tarea cambio? Dime su título.', 'Which task should I change? Tell me its title.') },
      dueAt: { label: both('la nueva fecha límite', 'the new due date'), question: both('¿Para cuándo la dejo?', 'When should it be due?') },
    },
    description:
      'Changes an open task found by id or by its title: its due date (not in the past), priority, assignee (a user of the tenant) or title. Only what is given changes.',
    roles: everyone,
    writes: true,
    progress: { es: 'Cambiando la tarea…', en: 'Updating the task…' },
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['task'],
      properties: {
        task: text(200, 'Task id or title'),
        title: text(200, 'New title'),
        dueAt: instant('New due date, ISO 8601 with offset'),
        assignee: text(254, 'Email or name of a user of the tenant'),
        priority: { type: 'string', enum: ['low', 'medium', 'high'] },
      },
    },
  },
  {
    name: 'deleteTask',
    action: both('borrar tareas', 'delete tasks'),
    done: both('Tarea borrada', 'Task deleted'),
    intent: 'delete_task',
    fields: { task: { label: taskLabel, question: both('¿Qué tarea borro? Dime su título.', 'Which task should I delete? Tell me its title.') } },
    description: 'Deletes a task found by id or by its title; only whoever created it, or an admin, may.',
    roles: everyone,
    writes: true,
    progress: { es: 'Borrando la tarea…', en: 'Deleting the task…' },
    parameters: { type: 'object', additionalProperties: false, required: ['task'], properties: { task: text(200, 'Task id or title') } },
  },
  {
    name: 'createCalendarEvent',
    action: both('agendar reuniones', 'schedule meetings'),
    done: both('Reunión agendada', 'Meeting scheduled'),
    intent: 'schedule_meeting',
    flowType: 'ScheduleMeeting',
    fields: {
      title: { label: both('el título de la reunión', 'the meeting title') },
      startsAt: { label: both('el día y la hora', 'the day and time'), question: both('¿Para qué día y hora la agendo?', 'What day and time should I book it for?') },
    },
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
    action: both('cambiar reuniones', 'change meetings'),
    done: both('Evento cambiado', 'Event updated'),
    intent: 'update_meeting',
    fields: { event: eventField },
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
    action: both('consultar el calendario', 'look at the calendar'),
    done: both('Calendario consultado', 'Calendar looked up'),
    description: "Lists the user's events in a window (default: the next 7 days).",
    roles: everyone,
    writes: false,
    progress: { es: 'Consultando el calendario…', en: 'Looking at the calendar…' },
    parameters: { type: 'object', additionalProperties: false, properties: { from: instant('Window start'), to: instant('Window end') } },
  },
  {
    name: 'deleteCalendarEvent',
    action: both('cancelar reuniones', 'cancel meetings'),
    done: both('Evento borrado', 'Event deleted'),
    intent: 'cancel_meeting',
    fields: { event: eventField },
    description: 'Deletes an event found by id or by its title.',
    roles: everyone,
    writes: true,
    progress: { es: 'Cancelando el evento…', en: 'Cancelling the event…' },
    parameters: { type: 'object', additionalProperties: false, required: ['event'], properties: { event: text(200, 'Event id or title') } },
  },
  {
    // Seed 000 §7.2 names it snake_case (its customer-support flow calls it so); the ERP tools are camelCase.
    name: 'send_template',
    action: both('enviar mensajes', 'send messages'),
    done: both('Mensaje enviado', 'Message sent'),
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
    action: both('consultar nombres', 'look up names'),
    done: both('Nombres consultados', 'Names looked up'),
    description: "The names a message may mention: the tenant's projects, users and open tasks, and the titles of the caller's recent and upcoming events.",
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
