import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { InvokeContext } from '@spine/agent-kit';
import { Clock } from '@spine/agent-kit';
import { PlannerInputSchema, ToolResultSchema } from '@spine/contracts';
import { createModelRouter, loadLlmConfig } from '@spine/llm';
import { toolCatalog } from '@spine/tool-catalog';
import { describe, expect, it } from 'vitest';
import { PlannerService } from './planner.service.js';

// Seed 000 "tool loop max 2 rounds": a task described, not named, is found in round 1 and completed in round 2.

const NOW = new Date('2026-03-10T15:00:00Z'); // Tuesday, 16:00 in Madrid
const TZ = 'Europe/Madrid';

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

const local = createModelRouter(loadLlmConfig({ LOCAL_EMBEDDER: 'hashed' }));
const ctx: InvokeContext = {
  executionId: 'e1', nodeId: 'planner', attempt: 1, tenantId: 'acme', context: {}, model: '', deadline: undefined, scope: undefined,
  signal: new AbortController().signal,
  reportUsage: () => undefined,
};

type Input = Omit<MessageInitShape<typeof PlannerInputSchema>, '$typeName'>;

function plan(input: Input) {
  const service = new PlannerService(local, { timezone: 'UTC', locale: 'es' }, new FixedClock());
  const full = create(PlannerInputSchema, { timezone: TZ, now: timestampFromDate(NOW), roles: ['client'], allowedTools: toolCatalog.map((t) => t.name), intent: 'complete_task', language: 'es', ...input });
  return service.plan(full, ctx);
}

const listed = (tasks: { taskId: string; title: string }[]) => [create(ToolResultSchema, { tool: 'listTasks', ok: true, result: { count: tasks.length, tasks } })];

describe('two tool rounds', () => {
  it('round 1: "marca como hecha mi tarea de hoy" looks up the caller\'s open tasks due today first, and asks for a second round', async () => {
    const out = await plan({ text: 'marca como hecha mi tarea de hoy' });
    expect(out).toMatchObject({ ready: true, followUp: true });
    const [call] = out.toolCalls ?? [];
    expect(call?.tool).toBe('listTasks');
    expect(call?.arguments).toMatchObject({ status: 'open', assignee: 'me' });
    expect(call?.arguments?.['dueFrom']).toBeDefined();
  });

  it('round 1: a task named by its title is completed at once, no second round', async () => {
    const out = await plan({ text: 'marca como completada la tarea preparar el inventario' });
    expect(out).toMatchObject({ ready: true, toolCalls: [{ tool: 'completeTask', arguments: { task: 'preparar el inventario' } }] });
    expect(out.followUp ?? false).toBe(false);
  });

  it('round 2: the one task found is completed by its id', async () => {
    const out = await plan({ text: 'marca como hecha mi tarea de hoy', round: 2, previousResults: listed([{ taskId: 't-1', title: 'enviar el acta' }]) });
    expect(out).toMatchObject({ ready: true, toolCalls: [{ tool: 'completeTask', arguments: { task: 't-1' } }] });
    expect(out.followUp ?? false).toBe(false);
  });

  it('round 2: several found, none named: one question naming them, nothing run', async () => {
    const out = await plan({ text: 'marca como hecha mi tarea de hoy', round: 2, previousResults: listed([{ taskId: 't-1', title: 'enviar el acta' }, { taskId: 't-2', title: 'llamar al banco' }]) });
    expect(out).toMatchObject({ ready: false, question: 'Encontré 2 tareas: ¿cuál marco como hecha, «enviar el acta» o «llamar al banco»?' });
    expect(out.toolCalls ?? []).toEqual([]);
  });

  it('round 2: none found: says so, nothing run', async () => {
    const out = await plan({ text: 'marca como hecha mi tarea de hoy', round: 2, previousResults: listed([]) });
    expect(out).toMatchObject({ ready: false, blockedReason: 'No encontré ninguna tarea abierta que encaje con lo que dices.' });
  });

  it('a third round is refused at the edge', async () => {
    await expect(plan({ text: 'marca como hecha mi tarea de hoy', round: 3 })).rejects.toThrow(/at most two tool rounds/);
  });
});
