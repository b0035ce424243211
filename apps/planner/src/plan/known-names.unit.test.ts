import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Clock, type InvokeContext } from '@spine/agent-kit';
import { ErrorCode, PlannerInputSchema } from '@spine/contracts';
import { createModelRouter, loadLlmConfig } from '@spine/llm';
import { toolCatalog } from '@spine/tool-catalog';
import { describe, expect, it } from 'vitest';
import { planMessages } from './plan.prompt.js';
import { planRequestOf } from './plan.request.js';
import { PlannerService } from './planner.service.js';

const NOW = new Date('2026-03-10T15:00:00Z'); // Tuesday, 09:00 in Mexico City
const TZ = 'America/Mexico_City';
const KNOWN = { projects: ['Intranet', 'Website', 'Logística'], users: ['Ana García', 'Pedro López'], events: ['Budget meeting'] };

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

const local = createModelRouter(loadLlmConfig({ LOCAL_EMBEDDER: 'hashed' }));
const ctx: InvokeContext = { executionId: 'e1', nodeId: 'planner', attempt: 1, tenantId: 'acme', context: {}, model: '', deadline: undefined, scope: undefined, signal: new AbortController().signal, reportUsage: () => undefined };
type Input = Omit<MessageInitShape<typeof PlannerInputSchema>, '$typeName'>;
const input = (o: Input) => create(PlannerInputSchema, { timezone: TZ, now: timestampFromDate(NOW), roles: ['client'], allowedTools: toolCatalog.map((t) => t.name), knownNames: KNOWN, ...o });
const plan = (o: Input) => new PlannerService(local, { timezone: 'UTC', locale: 'es' }, new FixedClock()).plan(input(o), ctx);
const callOf = (out: Awaited<ReturnType<typeof plan>>) => out.toolCalls?.map((c) => ({ tool: c.tool, arguments: c.arguments }));

describe('planner with the tenant names (lookupNames)', () => {
  it('reads "tareas de website" as the project and "tareas de ana" as the person', async () => {
    expect(callOf(await plan({ text: 'lista las tareas de website', language: 'es' }))).toEqual([{ tool: 'listTasks', arguments: { project: 'website' } }]);
    expect(callOf(await plan({ text: 'muéstrame las tareas de ana', language: 'es' }))).toEqual([{ tool: 'listTasks', arguments: { assignee: 'ana' } }]);
  });

  it('finds a lower-case project in the middle of a request, in the user\'s words', async () => {
    const out = await plan({ text: 'crea una tarea para preparar la nomina en logistica el viernes a las 10', language: 'es', flowType: 'CreateTask' });
    expect(callOf(out)).toEqual([{ tool: 'createTask', arguments: { title: 'preparar la nomina', project: 'logistica', dueAt: '2026-03-13T10:00:00-06:00' } }]);
  });

  it('never takes a known name the user did not say', async () => {
    const out = await plan({ text: 'crea una tarea para revisar el contrato mañana a las 10', language: 'es', flowType: 'CreateTask' });
    expect(out).toMatchObject({ ready: false, missingFields: ['project'] });
  });

  it('gives a model the names, bounded, with the rule that they only tell which words name what', () => {
    const system = planMessages(planRequestOf(input({ text: 'tareas de website' }), { timezone: TZ, locale: 'es', now: NOW, scopeTools: [] }))[0]!.content;
    expect(system).toContain(`The tenant's projects: "Intranet", "Website", "Logística".`);
    expect(system).toContain('never add one the user did not say');
  });

  it('refuses an oversized list with INVALID_ARGUMENT naming the field', () => {
    const many = Array.from({ length: 501 }, (_, i) => `P${i}`);
    const refuse = (knownNames: Input['knownNames']) => () => planRequestOf(input({ text: 'hola', knownNames }), { timezone: TZ, locale: 'es', now: NOW, scopeTools: [] });
    expect(refuse({ projects: many })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT, details: expect.objectContaining({ field: 'input.known_names.projects' }) }));
    expect(refuse({ users: ['x'.repeat(255)] })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
  });
});
