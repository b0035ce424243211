/** What the router does with a message (seed 004 §2.B). */
export type Route = 'SMALL_TALK' | 'NEED_MORE_CONTEXT' | 'FLOW_EXECUTION' | 'UNKNOWN';

export type FlowType = 'CreateTask' | 'CreateProject' | 'CreateUser' | 'ScheduleMeeting' | 'Other';

export interface IntentDefinition {
  intent: string;
  route: Route;
  flowType?: FlowType;
  /** Tool names this intent is served by (matched case- and separator-insensitively). */
  tools: readonly string[];
  examples: { es: readonly string[]; en: readonly string[] };
}

/** The labelled examples the local provider classifies by nearest neighbour. */
export const defaultIntents: readonly IntentDefinition[] = [
  {
    intent: 'create_task',
    route: 'FLOW_EXECUTION',
    flowType: 'CreateTask',
    tools: ['createTask'],
    examples: {
      es: [
        'crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website',
        'crear tarea: preparar la demo', 'crea una tarea llamada escribir el informe',
        'agrega una tarea de llamar al proveedor',
        'añade una tarea para Ana en el proyecto Intranet',
        'nueva tarea revisar facturas para el viernes',
        'necesito una tarea para actualizar el inventario',
        'anota una tarea: enviar la propuesta al cliente',
        'recuérdame como tarea pagar la nómina el lunes',
        'asigna a Pedro la tarea de revisar el presupuesto',
        'pon una tarea de prioridad alta para migrar la base de datos',
        'registra una tarea en el proyecto Ventas',
        'hay que crear una tarea para diseñar el logo',
        'genera una tarea pendiente de revisar el contrato',
        'quiero crear una tarea',
      ],
      en: [
        'create a task to review the contract tomorrow at 10 in the Website project',
        'add a task: prepare the demo', 'create a task called write the report',
        'new task call the supplier',
        'add a task for Ana in the Intranet project',
        'create a task to update the inventory by friday',
        'make a to-do to send the proposal to the client',
        'remind me with a task to pay the payroll on monday',
        'assign Peter the task of reviewing the budget',
        'add a high priority task to migrate the database',
        'log a task in the Sales project',
        'I need a task for designing the logo',
        'open a task to fix the login bug',
        'I want to create a task',
      ],
    },
  },
  {
    intent: 'create_project',
    route: 'FLOW_EXECUTION',
    flowType: 'CreateProject',
    tools: ['createProject'],
    examples: {
      es: [
        'crea un proyecto llamado Website',
        'nuevo proyecto Intranet 2026',
        'quiero abrir un proyecto para la migración a la nube',
        'da de alta el proyecto Ventas Norte',
        'crear proyecto "Rediseño de marca"',
        'necesito un proyecto nuevo para el cliente Acme',
        'arma un proyecto que se llame Auditoría',
        'registra un proyecto de marketing digital',
        'quiero crear un proyecto',
      ],
      en: [
        'create a project called Website',
        'new project Intranet 2026',
        'I want to start a project for the cloud migration',
        'set up the Northern Sales project',
        'create project "Brand redesign"',
        'I need a new project for the Acme account',
        'make a project named Audit',
        'open a project for digital marketing',
        'I want to create a project',
      ],
    },
  },
  {
    intent: 'create_user',
    route: 'FLOW_EXECUTION',
    flowType: 'CreateUser',
    tools: ['createUser'],
    examples: {
      es: [
        'crea un usuario para Ana López con correo ana@acme.com', 'crea una cuenta para Jorge con el correo jorge@acme.com', 'crea un usuario llamado Juan Pérez',
        'da de alta a Pedro Gómez, pedro@acme.com',
        'nuevo usuario María Pérez',
        'agrega a Luis al sistema con el email luis@empresa.mx',
        'registra una cuenta para la nueva contadora',
        'invita a sofia@acme.com como usuaria',
        'quiero crear un usuario',
        'alta de usuario para el becario',
      ],
      en: [
        'create a user for Ana Lopez with email ana@acme.com', 'create an account for jorge@acme.com', 'create a user named John Smith',
        'add Peter Gomez as a user, peter@acme.com',
        'new user Mary Perez',
        'register an account for the new accountant',
        'invite sofia@acme.com as a user',
        'onboard Luis into the system with luis@company.com',
        'I want to create a user',
      ],
    },
  },
  {
    intent: 'schedule_meeting',
    route: 'FLOW_EXECUTION',
    flowType: 'ScheduleMeeting',
    tools: ['createCalendarEvent'],
    examples: {
      es: [
        'agenda una reunión con Ana mañana a las 10',
        'programa una llamada con el cliente el jueves a las 4 de la tarde',
        'pon en mi calendario la revisión de presupuesto el lunes',
        'agéndame una cita con el dentista el viernes a las 9',
        'organiza una junta de equipo el martes a mediodía',
        'reserva una hora para la demo pasado mañana',
        'crea un evento en el calendario para la presentación',
        'quiero agendar una reunión',
        'cita con Daniela mañana a las 3',
        'pon una llamada con el proveedor el martes a las 10',
        'ponme una videollamada de media hora el jueves',
        'bloquea dos horas el viernes para preparar la auditoría',
        'una llamada de 20 minutos con Marta el lunes a las 12',
        'reserva la sala para la entrevista del miércoles a las 11',
        // Without a verb, as people jot it down.
        'reunión de equipo el jueves a las 9',
        'almuerzo con el cliente el viernes a las 2',
        'llamada con Marta el martes a las 12',
        'crea un evento el lunes a las 10',
      ],
      en: [
        'schedule a meeting with Ana tomorrow at 10',
        'book a call with the client on thursday at 4pm',
        'put the budget review on my calendar on monday',
        'set up an appointment with the dentist friday at 9',
        'organize a team meeting on tuesday at noon',
        'block an hour for the demo the day after tomorrow',
        'create a calendar event for the presentation',
        'I want to schedule a meeting',
        'set up a call with the supplier on tuesday at 10am',
        'a 20 minute call with Marta on monday at noon',
        'block two hours on friday to prepare the audit',
        'put a half hour video call on thursday',
        'book an interview on wednesday at 11',
        'set up a meeting with the client on monday at 9',
        'team sync on friday at 3pm',
        'mtg with Carlos monday 9am',
        'lunch with the team on wednesday at 1pm',
        'create an event on friday at 2pm',
      ],
    },
  },
  {
    intent: 'update_meeting',
    route: 'FLOW_EXECUTION',
    flowType: 'ScheduleMeeting',
    tools: ['updateCalendarEvent'],
    examples: {
      es: [
        'cambia la reunión de Daniela a mañana a la misma hora', 'cambia la reunión con Ana al jueves', 'mueve mi cita de mañana a las 4', 'reagenda la reunión con el equipo para el lunes',
        'mueve la junta del lunes al martes',
        'reprograma la llamada con el cliente para las 5',
        'pasa la reunión de presupuesto a las 11',
        'atrasa una hora la cita con el dentista',
        'cambia el título de la reunión semanal a Planificación',
        'retrasa media hora la reunión con el equipo',
      ],
      en: [
        "move Daniela's meeting to tomorrow at the same time", 'reschedule my meeting with Ana to friday', 'move my appointment to 4pm', 'change the team meeting to monday',
        'reschedule the client call to 5pm',
        'push the budget review to 11',
        'change the weekly meeting title to Planning',
        'move the monday standup to tuesday',
        'push the standup back an hour',
        'rename the weekly meeting to Planning',
      ],
    },
  },
  {
    intent: 'cancel_meeting',
    route: 'FLOW_EXECUTION',
    flowType: 'ScheduleMeeting',
    tools: ['deleteCalendarEvent'],
    examples: {
      es: ['cancela la reunión de Daniela', 'cancela la reunión de mañana', 'elimina la junta con Ana', 'borra la reunión del lunes', 'cancela mi cita de las 5', 'elimina la cita con el dentista', 'borra el evento de la presentación', 'ya no va la junta del viernes, quítala del calendario', 'anula la llamada con el cliente'],
      en: ["cancel Daniela's meeting", 'delete the meeting with Ana', 'cancel my meeting tomorrow', 'remove the monday meeting', 'cancel my 5pm appointment', 'delete the dentist appointment', 'remove the presentation event from my calendar', 'call off the friday meeting', 'drop the client call'],
    },
  },
  {
    intent: 'list_meetings',
    route: 'FLOW_EXECUTION',
    flowType: 'Other',
    tools: ['listCalendarEvents'],
    examples: {
      es: ['¿qué reuniones tengo mañana?', '¿qué tengo en la agenda hoy?', '¿estoy libre el jueves?', 'muéstrame mi agenda de la semana', '¿tengo algo en el calendario el viernes?', 'lista mis citas de hoy', '¿cuándo es mi próxima reunión?', '¿tengo algo mañana?', '¿hay algo en mi agenda el martes?', '¿cómo tengo la agenda el lunes?'],
      en: ['what meetings do I have tomorrow?', "what's on my calendar today?", 'am I free on thursday?', 'show me my calendar for this week', 'do I have anything on friday?', "list today's appointments", 'when is my next meeting?', 'do I have anything this afternoon?', 'what does my day look like today?', 'am I busy on wednesday?'],
    },
  },
  {
    intent: 'list_tasks',
    route: 'FLOW_EXECUTION',
    flowType: 'Other',
    tools: ['listTasks'],
    examples: {
      es: ['¿qué tareas creé hoy?', 'muéstrame las tareas del proyecto Website', 'muestra mis tareas del proyecto Ventas', 'necesito ver las tareas pendientes', 'lista mis tareas pendientes', '¿qué tareas tiene asignadas Ana?', 'dame las tareas de esta semana', '¿cuántas tareas hay en Ventas?'],
      en: ['what tasks did I create today?', 'show me the tasks of the Website project', 'show my tasks in the Sales project', 'list the open tasks of Ana', 'list my open tasks', 'which tasks are assigned to Ana?', "give me this week's tasks", 'how many tasks are in Sales?', "show peter's tasks"],
    },
  },
  {
    intent: 'complete_task',
    route: 'FLOW_EXECUTION',
    flowType: 'Other',
    tools: ['completeTask'],
    examples: {
      es: ['marca como completada la tarea preparar el inventario', 'ya terminé la tarea de enviar las facturas', 'da por hecha la tarea llamar al banco', 'cierra la tarea actualizar la web', 'he acabado de preparar la propuesta'],
      en: ['mark the task prepare the inventory as complete', 'I finished the task send the invoices', 'close the task update the website', 'the task call the bank is done', "I'm done with preparing the proposal"],
    },
  },
  {
    intent: 'search_knowledge',
    route: 'FLOW_EXECUTION',
    flowType: 'Other',
    tools: [],
    examples: {
      es: ['¿cuál es la política de vacaciones?', '¿cómo manejamos las facturas?', '¿cómo se aprueban los gastos?', '¿cuál es el proceso para pedir un anticipo?', '¿dónde está documentado el flujo de compras?', 'busca en la documentación cómo se aprueba una compra', '¿qué decidimos sobre el proveedor de hosting?', '¿cómo se da de alta un cliente?', 'explícame el proceso de reembolsos'],
      en: ['what is the vacation policy?', 'how do we handle invoices?', 'how are expenses approved?', 'what is the process to request an advance?', 'where is the purchasing flow documented?', 'search the docs for how a purchase is approved', 'what did we decide about the hosting provider?', 'how do I onboard a customer?', 'explain the refund process'],
    },
  },
  {
    intent: 'small_talk',
    route: 'SMALL_TALK',
    tools: [],
    examples: {
      es: ['hola',  'hey', 'qué onda', 'saludos','hola, ¿cómo estás?', 'buenos días', 'buenas tardes', 'gracias', 'muchas gracias, muy amable', 'perfecto, gracias', 'ok', 'vale', 'genial', 'adiós', 'hasta luego', '¿quién eres?', '¿qué puedes hacer?', 'jaja qué bueno', 'qué tal tu día'],
      en: ['hi',  'hey', 'hey there', 'greetings','hello, how are you?', 'good morning', 'good afternoon', 'thanks', 'thank you so much', 'perfect, thanks', 'ok', 'great', 'bye', 'see you later', 'who are you?', 'what can you do?', 'haha nice', 'how is your day going'],
    },
  },
  {
    intent: 'need_more_context',
    route: 'NEED_MORE_CONTEXT',
    tools: [],
    examples: {
      es: ['ayúdame con algo', 'tengo un problema', 'necesito hacer una cosa', 'quiero cambiar algo', 'no sé cómo hacerlo', 'haz lo de siempre', 'eso', 'lo del cliente'],
      en: ['help me with something', 'I have a problem', 'I need to do a thing', 'I want to change something', "I don't know how to do it", 'do the usual', 'that one', 'the client thing'],
    },
  },
];
