import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nodeOutput, zonedInstant } from '../support/assistant-client.js';
import { AssistantSuite, MADRID, projectName } from '../support/assistant-suite.js';

// Issue 16 §4: a task changed or deleted by a loose reference, through the public API, every process real (as in
// calendar.e2e.test.ts). Titles use fixed, distinct words per test (no random tag inside the words the assistant
// reads), so no test can name another's task.

const suite = new AssistantSuite();

beforeAll(async () => {
  await suite.start(inject('natsUrl'), inject('postgresAdminUrl'));
});

afterAll(() => suite.stop());

async function task(title: string, createdBy: string, due = zonedInstant(MADRID, 2, 23, 59)): Promise<string> {
  const [p] = await suite.rows<{ id: string }>(`INSERT INTO erp.projects (tenant_id, name) VALUES ('default', $1) RETURNING id::text AS id`, [projectName('Cambios')]);
  const [row] = await suite.rows<{ id: string }>(`INSERT INTO erp.tasks (tenant_id, project_id, title, due_at, created_by) VALUES ('default', $1, $2, $3, $4) RETURNING id::text AS id`, [p!.id, title, due, createdBy]);
  return row!.id;
}

const row = async (id: string) => (await suite.rows<{ title: string; due_at: Date; priority: string }>(`SELECT title, due_at, priority FROM erp.tasks WHERE id::text = $1`, [id]))[0];

/** Days from today (in `tz`) to the next `weekday` (0 Sunday … 6 Saturday), today excluded. */
function daysTo(weekday: number, tz: string): number {
  const today = new Date(new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date()) + 'T12:00:00Z').getUTCDay();
  return (weekday - today + 7) % 7 || 7;
}

describe('changing a task said loosely', () => {
  it('es "cambia la fecha de la tarea de los presupuestos al viernes": due that Friday at 23:59 in Madrid; the reply in Spanish, local date', async () => {
    const conv = await suite.talk(suite.admin);
    const id = await task('cuadrar los presupuestos del almacén', conv.userId);
    const turn = await conv.say('cambia la fecha de la tarea de los presupuestos al viernes', { locale: 'es' });
    expect(turn.state).toBe('DONE');
    expect((await row(id))?.due_at.getTime()).toBe(zonedInstant(MADRID, daysTo(5, MADRID), 23, 59, new Date()).getTime() + 59_000);
    expect(turn.reply).toMatch(/^Listo: actualicé la tarea «cuadrar los presupuestos del almacén» en el proyecto Cambios\w+ para el \d+ de \p{L}+ de \d{4}, 23:59\.\n/u);
    expect(turn.progress).toEqual(['Cambiando la tarea…']);
  });

  it('en "bump the priority of the kiosk task": high, nothing else changed', async () => {
    const conv = await suite.talk(suite.admin);
    const id = await task('repaint the kiosk signs', conv.userId);
    const before = await row(id);
    const turn = await conv.say('bump the priority of the kiosk task', { timezone: 'America/New_York', locale: 'en' });
    expect(turn.state).toBe('DONE');
    expect(await row(id)).toEqual({ ...before, priority: 'high' });
    expect(turn.reply).toMatch(/^Done: I updated the task «repaint the kiosk signs»/);
  });

  it('es two tasks fit: one question naming what is missing, nothing changed', async () => {
    const conv = await suite.talk(suite.admin);
    const a = await task('auditar las básculas del muelle norte', conv.userId);
    const b = await task('auditar las básculas del muelle sur', conv.userId);
    const turn = await conv.say('borra la tarea de las básculas', { locale: 'es' });
    expect(turn.reply).toBe('¿Qué tarea borro? Dime su título.');
    expect([await row(a), await row(b)].every(Boolean)).toBe(true);
  });
});

describe('deleting a task', () => {
  it('en the creator deletes it: gone, in one round', async () => {
    const conv = await suite.talk(suite.client);
    const id = await task('label the spare pallets', conv.userId);
    const turn = await conv.say('delete the spare pallets task', { timezone: 'America/New_York', locale: 'en' });
    expect(turn.state).toBe('DONE');
    expect(await row(id)).toBeUndefined();
    const e = await suite.admin.execution(turn.executionId);
    expect(nodeOutput(e, 'tool-executor')).toMatchObject({ results: [{ tool: 'deleteTask', ok: true }] });
    expect(turn.reply).toMatch(/^Done: I deleted the task «label the spare pallets»/);
  });

  it("es someone else's task, asked by a client: refused in Spanish, the task kept", async () => {
    const conv = await suite.talk(suite.client);
    const id = await task('archivar los albaranes de octubre', 'otra-persona');
    const turn = await conv.say('elimina la tarea de los albaranes', { locale: 'es' });
    expect(turn.reply).toBe('No pude completar la tarea: la tarea «archivar los albaranes de octubre» la creó otra persona. Pide a quien la creó o a un administrador que la borre.');
    expect(await row(id)).toBeDefined();
  });
});
