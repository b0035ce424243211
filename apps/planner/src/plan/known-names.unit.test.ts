import { ErrorCode } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { planMessages } from './plan.prompt.js';
import { planRequestOf } from './plan.request.js';
import { localPlanner, type PlannerTestInput } from './testing/planner.fixture.js';

const NOW = new Date('2026-03-10T15:00:00Z'); // Tuesday, 09:00 in Mexico City
const TZ = 'America/Mexico_City';
const KNOWN = { projects: ['Intranet', 'Website', 'Logística'], users: ['Ana García', 'Pedro López'], events: ['Budget meeting'] };

const { input, plan, callOf } = localPlanner({ now: NOW, timezone: TZ, knownNames: KNOWN });
type Input = PlannerTestInput;

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
