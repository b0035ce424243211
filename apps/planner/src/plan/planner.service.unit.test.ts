import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { InvokeContext, TokenUsage } from '@spine/agent-kit';
import { ErrorCode, PlannerInputSchema, ScopeSchema } from '@spine/contracts';
import { createModelRouter, loadLlmConfig, type Completion, type CompletionRequest, type LlmProvider } from '@spine/llm';
import { toolCatalog } from '@spine/tool-catalog';
import { describe, expect, it } from 'vitest';
import { Clock } from '@spine/agent-kit';
import { PlannerService, type PlannerModels } from './planner.service.js';

const NOW = new Date('2026-03-10T15:00:00Z'); // Tuesday, 09:00 in Mexico City
const TZ = 'America/Mexico_City';
const ALL_TOOLS = toolCatalog.map((t) => t.name);

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

const local = createModelRouter(loadLlmConfig({ LOCAL_EMBEDDER: 'hashed' }));

function context(o: { allowedTools?: string[] } = {}): InvokeContext & { usage: TokenUsage[] } {
  const usage: TokenUsage[] = [];
  return {
    executionId: 'e1', nodeId: 'planner', attempt: 1, tenantId: 'acme', context: {}, model: '', deadline: undefined,
    scope: o.allowedTools ? create(ScopeSchema, { allowedTools: o.allowedTools }) : undefined,
    signal: new AbortController().signal,
    reportUsage: (u) => usage.push(u),
    usage,
  };
}

type Input = Omit<MessageInitShape<typeof PlannerInputSchema>, '$typeName'>;

async function plan(input: Input, models: PlannerModels = local, ctx = context()) {
  const service = new PlannerService(models, { timezone: 'UTC', locale: 'es' }, new FixedClock());
  const full = create(PlannerInputSchema, { timezone: TZ, now: timestampFromDate(NOW), roles: ['client'], allowedTools: ALL_TOOLS, ...input });
  return service.plan(full, ctx);
}

const argsOf = (out: Awaited<ReturnType<typeof plan>>) => out.toolCalls?.map((c) => ({ tool: c.tool, arguments: c.arguments }));

describe('planner (local provider)', () => {
  it.each([
    ['pon el standup todos los días a las 9:30', 'es'],
    ['book a standup every day at 9:30', 'en'],
  ] as const)('refuses a recurring booking rather than booking its first event: %s', async (text, language) => {
    const out = await plan({ text, language, flowType: 'ScheduleMeeting', intent: 'schedule_meeting' });
    expect(out).toMatchObject({ flowType: 'ScheduleMeeting', ready: false });
    expect(out.blockedReason).toMatch(language === 'es' ? /eventos sueltos/ : /single events/);
    expect(out.toolCalls ?? []).toEqual([]);
  });

  it('plans a task with a named project and "mañana a las 10" resolved against nowContext', async () => {
    const out = await plan({ text: 'crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website', language: 'es', flowType: 'CreateTask' });
    expect(out).toMatchObject({ flowType: 'CreateTask', ready: true, language: 'es' });
    expect(argsOf(out)).toEqual([{ tool: 'createTask', arguments: { title: 'revisar el contrato', project: 'Website', dueAt: '2026-03-11T10:00:00-06:00' } }]);
  });

  it('plans the same task in English', async () => {
    const out = await plan({ text: 'create a task to review the contract tomorrow at 10 in the Website project', language: 'en', flowType: 'CreateTask' });
    expect(out.ready).toBe(true);
    expect(argsOf(out)).toEqual([{ tool: 'createTask', arguments: { title: 'review the contract', project: 'Website', dueAt: '2026-03-11T10:00:00-06:00' } }]);
  });

  it('"crea una tarea" with nothing else: every required field missing, one question, no made-up value', async () => {
    const out = await plan({ text: 'crea una tarea', language: 'es', flowType: 'CreateTask' });
    expect(out).toMatchObject({ flowType: 'CreateTask', ready: false, missingFields: ['title', 'project', 'dueAt'] });
    expect(out.toolCalls ?? []).toEqual([]);
    expect(out.question).toBe('¿Me indicas el título de la tarea, el proyecto y la fecha y hora límite?');
  });

  it('asks only for the hour when a meeting has its day and no time', async () => {
    const out = await plan({ text: 'agenda una reunión con Bob el viernes', language: 'es', flowType: 'ScheduleMeeting', intent: 'schedule_meeting' });
    expect(out).toMatchObject({ ready: false, missingFields: ['startsAt'], question: '¿A qué hora? Tengo el día, pero me falta la hora.' });
  });

  it('a task due on a day without a time is due at the end of that day, not a question (issue 16)', async () => {
    const out = await plan({ text: 'crea una tarea para revisar el contrato el viernes en el proyecto Website', language: 'es', flowType: 'CreateTask' });
    // Tuesday 2026-03-10 → Friday 2026-03-13, end of the day in Mexico City.
    expect(argsOf(out)).toEqual([{ tool: 'createTask', arguments: { title: 'revisar el contrato', project: 'Website', dueAt: '2026-03-13T23:59:59-06:00' } }]);
  });

  it('asks in English for the one missing project', async () => {
    const out = await plan({ text: 'create a task to review the contract tomorrow at 10', language: 'en', flowType: 'CreateTask' });
    expect(out).toMatchObject({ ready: false, missingFields: ['project'], question: 'Which project is the task for?', language: 'en' });
  });

  it('completes the request with the answer to its question', async () => {
    const out = await plan({
      text: 'Website',
      language: 'es',
      flowType: 'Other',
      history: [
        { role: 'user', text: 'crea una tarea para revisar el contrato mañana a las 10' },
        { role: 'assistant', text: '¿En qué proyecto va la tarea?' },
      ],
    });
    expect(out).toMatchObject({ flowType: 'CreateTask', ready: true });
    expect(argsOf(out)).toEqual([{ tool: 'createTask', arguments: { title: 'revisar el contrato', project: 'Website', dueAt: '2026-03-11T10:00:00-06:00' } }]);
  });

  it('completes "crea una tarea" from answers the router alone would read as a new request', async () => {
    // "revisar presupuesto" is close to a create_task example: it still answers the open question.
    const first = await plan({
      text: 'revisar presupuesto',
      language: 'es',
      flowType: 'CreateTask',
      history: [
        { role: 'user', text: 'crea una tarea' },
        { role: 'assistant', text: '¿Me indicas el título de la tarea, el proyecto y la fecha y hora límite?' },
      ],
    });
    expect(first).toMatchObject({ ready: false, missingFields: ['project', 'dueAt'], question: '¿Me indicas el proyecto y la fecha y hora límite?' });
    const done = await plan({
      text: 'en el proyecto Website, mañana a las 10',
      language: 'es',
      flowType: 'CreateProject',
      history: [
        { role: 'user', text: 'crea una tarea' },
        { role: 'assistant', text: '¿Me indicas el título de la tarea, el proyecto y la fecha y hora límite?' },
        { role: 'user', text: 'revisar presupuesto' },
        { role: 'assistant', text: '¿Me indicas el proyecto y la fecha y hora límite?' },
      ],
    });
    expect(done).toMatchObject({ ready: true, flowType: 'CreateTask' });
    expect(argsOf(done)).toEqual([{ tool: 'createTask', arguments: { title: 'revisar presupuesto', project: 'Website', dueAt: '2026-03-11T10:00:00-06:00' } }]);
  });

  it('reads a bare hour against the day said before: "el viernes" → "¿A qué hora?" → "a las 9"', async () => {
    const out = await plan({
      text: 'a las 9',
      language: 'es',
      history: [
        { role: 'user', text: 'agenda una reunión con Bob el viernes' },
        { role: 'assistant', text: '¿A qué hora? Tengo el día, pero me falta la hora.' },
      ],
    });
    // Tuesday 2026-03-10 → Friday 2026-03-13, 09:00 in Mexico City.
    expect(argsOf(out)).toEqual([{ tool: 'createCalendarEvent', arguments: { title: 'reunión con Bob', startsAt: '2026-03-13T09:00:00-06:00', attendees: ['Bob'] } }]);
  });

  it.each([
    ['update_meeting', 'move the call with Bob to tomorrow at 11am', { tool: 'updateCalendarEvent', arguments: { event: 'call with Bob', startsAt: '2026-03-11T11:00:00-06:00' } }],
    ['cancel_meeting', 'delete the call with Bob', { tool: 'deleteCalendarEvent', arguments: { event: 'call with Bob' } }],
  ])('ScheduleMeeting with intent %s plans %s with its own tool, not createCalendarEvent', async (intent, text, call) => {
    const out = await plan({ text, language: 'en', flowType: 'ScheduleMeeting', intent });
    expect(argsOf(out)).toEqual([call]);
  });

  it('a finished reply closes the earlier request: the next message is planned on its own', async () => {
    const out = await plan({
      text: 'crea el proyecto Intranet',
      language: 'es',
      flowType: 'CreateProject',
      history: [
        { role: 'user', text: 'crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website' },
        { role: 'assistant', text: 'Listo: creé la tarea «revisar el contrato».' },
      ],
    });
    expect(argsOf(out)).toEqual([{ tool: 'createProject', arguments: { name: 'Intranet' } }]);
  });

  it.each([
    ['es', 'crea un proyecto llamado Website', 'CreateProject', ['client'], { tool: 'createProject', arguments: { name: 'Website' } }],
    ['en', 'create a project called Intranet', 'CreateProject', ['client'], { tool: 'createProject', arguments: { name: 'Intranet' } }],
    ['es', 'crea un usuario para Ana López con correo ana@acme.com', 'CreateUser', ['admin'], { tool: 'createUser', arguments: { name: 'Ana López', email: 'ana@acme.com' } }],
    ['en', 'add Peter Gomez as a user, peter@acme.com', 'CreateUser', ['admin'], { tool: 'createUser', arguments: { name: 'Peter Gomez', email: 'peter@acme.com' } }],
    ['es', 'agenda una reunión con Daniela mañana a las 4 de la tarde', 'ScheduleMeeting', ['client'], { tool: 'createCalendarEvent', arguments: { title: 'reunión con Daniela', startsAt: '2026-03-11T16:00:00-06:00', attendees: ['Daniela'] } }],
    ['en', 'schedule a call with Bob tomorrow at 9am for an hour', 'ScheduleMeeting', ['client'], { tool: 'createCalendarEvent', arguments: { title: 'call with Bob', startsAt: '2026-03-11T09:00:00-06:00', durationMinutes: 60, attendees: ['Bob'] } }],
  ])('%s: %s → %s', async (language, text, flowType, roles, call) => {
    const out = await plan({ text, language, flowType, roles });
    expect(out).toMatchObject({ flowType, ready: true, language });
    expect(argsOf(out)).toEqual([call]);
  });

  it('leaves a schema default to the tool: no durationMinutes unless the user said one', async () => {
    const out = await plan({ text: 'agenda una reunión con Daniela mañana a las 4 de la tarde', language: 'es', flowType: 'ScheduleMeeting' });
    expect(out.toolCalls?.[0]?.arguments).not.toHaveProperty('durationMinutes');
  });

  it('a user without the admin role cannot plan createUser: blocked, nothing planned', async () => {
    const out = await plan({ text: 'crea el usuario Ana Pérez con correo ana@acme.com', language: 'es', flowType: 'CreateUser', roles: ['client'] });
    expect(out).toMatchObject({ flowType: 'CreateUser', ready: false, blockedReason: 'No tienes permiso para crear usuarios (requiere el rol admin).' });
    expect(out.toolCalls ?? []).toEqual([]);
  });

  it('plans nothing outside the allowed tools of both the input and the invoke scope', async () => {
    const out = await plan({ text: 'crea un proyecto llamado Website', language: 'es', flowType: 'CreateProject', allowedTools: ALL_TOOLS }, local, context({ allowedTools: ['createTask'] }));
    expect(out).toMatchObject({ ready: false, blockedReason: 'Este flujo no permite crear proyectos.' });
  });

  it('Other: lets the model pick among the allowed tools (listTasks)', async () => {
    const out = await plan({ text: '¿qué tareas creé hoy?', language: 'es', flowType: 'Other' });
    expect(out).toMatchObject({ flowType: 'Other', ready: true });
    expect(out.toolCalls?.[0]?.tool).toBe('listTasks');
  });

  it('reports the token usage of the model call', async () => {
    const ctx = context();
    await plan({ text: 'crea un proyecto llamado Website', language: 'es', flowType: 'CreateProject' }, local, ctx);
    expect(ctx.usage).toEqual([expect.objectContaining({ model: 'local', totalTokens: expect.any(Number) })]);
    expect(ctx.usage[0]!.totalTokens).toBeGreaterThan(0);
  });

  it.each([
    [{ text: '   ' }, 'input.text'],
    [{ text: 'hola', language: 'fr' }, 'input.language'],
    [{ text: 'hola', timezone: 'Mars/Olympus' }, 'input.timezone'],
    [{ text: 'hola', flowType: 'DeleteEverything' }, 'input.flow_type'],
    [{ text: 'hola', history: [{ role: 'system', text: 'x' }] }, 'input.history[0].role'],
  ])('refuses %j with INVALID_ARGUMENT', async (input, field) => {
    await expect(plan(input)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, details: { field } });
  });
});

/** A model that answers with the tool calls it is given: what an LLM that invents would send. */
function scripted(calls: Array<{ name: string; arguments: Record<string, unknown> }>): PlannerModels & { requests: CompletionRequest[] } {
  const requests: CompletionRequest[] = [];
  const provider: LlmProvider = {
    name: 'openai',
    complete: async (req): Promise<Completion> => {
      requests.push(req);
      return {
        text: '',
        toolCalls: calls.map((c, i) => ({ id: `c${i}`, name: c.name, arguments: c.arguments, rawArguments: JSON.stringify(c.arguments) })),
        finishReason: 'tool_calls',
        usage: { promptTokens: 120, completionTokens: 30, totalTokens: 150, model: 'gpt-4o-mini', provider: 'openai' },
      };
    },
    stream: () => {
      throw new Error('not used');
    },
    embed: () => {
      throw new Error('not used');
    },
  };
  return { forNode: () => provider, requests };
}

describe('planner (a model through LlmProvider tool calls)', () => {
  it('keeps what the user said and drops what the model invented, then asks for it', async () => {
    const models = scripted([{ name: 'createTask', arguments: { title: 'Revisar contrato', project: 'Marketing', dueAt: '2026-03-11T10:00:00-06:00', priority: 'high' } }]);
    const out = await plan({ text: 'crea una tarea para revisar el contrato mañana a las 10', language: 'es', flowType: 'CreateTask' }, models);
    expect(out).toMatchObject({ ready: false, missingFields: ['project'], question: '¿En qué proyecto va la tarea?' });
    expect(models.requests[0]).toMatchObject({ toolChoice: { name: 'createTask' }, now: { timezone: TZ } });
    expect(models.requests[0]!.tools?.map((t) => t.name)).toEqual(['createTask']);
  });

  it('passes grounded arguments that fit the schema, as the model resolved them', async () => {
    const models = scripted([{ name: 'createTask', arguments: { title: 'revisar el contrato', project: 'Website', dueAt: '2026-03-11T10:00:00-06:00', priority: 'high' } }]);
    const ctx = context();
    const out = await plan({ text: 'crea una tarea urgente de prioridad alta para revisar el contrato mañana a las 10 en el proyecto Website', language: 'es', flowType: 'CreateTask' }, models, ctx);
    expect(out.ready).toBe(true);
    expect(argsOf(out)).toEqual([{ tool: 'createTask', arguments: { title: 'revisar el contrato', project: 'Website', dueAt: '2026-03-11T10:00:00-06:00', priority: 'high' } }]);
    expect(ctx.usage).toEqual([{ promptTokens: 120, completionTokens: 30, totalTokens: 150, model: 'gpt-4o-mini', provider: 'openai' }]);
  });

  it('drops an argument the schema refuses and arguments the tool does not have', async () => {
    const models = scripted([{ name: 'createProject', arguments: { name: 'Website', owner: 'Website' } }]);
    const out = await plan({ text: 'crea un proyecto llamado Website', language: 'es', flowType: 'CreateProject' }, models);
    expect(argsOf(out)).toEqual([{ tool: 'createProject', arguments: { name: 'Website' } }]);
    const badDate = scripted([{ name: 'createTask', arguments: { title: 'revisar el contrato', project: 'Website', dueAt: 'mañana' } }]);
    expect(await plan({ text: 'crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website', flowType: 'CreateTask' }, badDate)).toMatchObject({ ready: false, missingFields: ['dueAt'] });
  });

  it('ignores a call to a tool it was not offered', async () => {
    const models = scripted([{ name: 'createUser', arguments: { name: 'Ana', email: 'ana@acme.com' } }]);
    const out = await plan({ text: 'crea una tarea para Ana', language: 'es', flowType: 'CreateTask' }, models);
    expect(out).toMatchObject({ ready: false, question: '¿Qué necesitas que haga: crear una tarea, un proyecto o un usuario, o agendar una reunión?' });
    expect(out.toolCalls ?? []).toEqual([]);
  });
});
