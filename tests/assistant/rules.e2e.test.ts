import { waitFor } from '@spine/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nodeOutput } from '../support/assistant-client.js';
import { AssistantSuite, tag } from '../support/assistant-suite.js';

// The ERP assistant end to end (issue 5): the default erp-assistant flow over the public REST + SSE API,
// with every process real (registry, seven agents, orchestrator, NATS, Postgres) and the local LLM provider.
// Each case checks what a user could see (state, streamed reply) and what the ERP stored (rows in `erp`).
// This file: business rules, a tool call repeated after a crash or a retry, tasks created today, an event found by search.

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const suite = new AssistantSuite();
const talk = suite.talk.bind(suite);
const rows = suite.rows.bind(suite);
const taskRows = suite.taskRows.bind(suite);
const eventRows = suite.eventRows.bind(suite);
const newProject = suite.newProject.bind(suite);
let admin: AssistantSuite['admin'];

// A short node timeout so the retry case below does not wait the default 30 s.
beforeAll(async () => {
  await suite.start(inject('natsUrl'), inject('postgresAdminUrl'), { NODE_TIMEOUT_MS: '4000', RETRY_INITIAL_MS: '50' });
  ({ admin } = suite);
});

afterAll(() => suite.stop());

describe('business rules: the tool refuses, the reply gives its reason and suggestion, nothing is written', () => {
  it('es due date in the past', async () => {
    const p = await newProject();
    const title = `pagar facturas ${tag()}`;
    const t = await (await talk(admin)).say(`crea una tarea para ${title} ayer a las 10 en el proyecto ${p.name}`);
    expect(t.state).toBe('DONE');
    expect(t.reply).toMatch(/No pude completar la tarea: la fecha límite \(.*, 10:00\) ya pasó\. Elige una fecha a partir de ahora\./);
    expect(await taskRows(title)).toEqual([]);
  });

  it('en unknown assignee', async () => {
    const p = await newProject();
    const title = `review the budget ${tag()}`;
    const t = await (await talk(admin)).say(`create a task for Zoe to ${title} tomorrow at 10 in the ${p.name} project`);
    expect(t.reply).toMatch(/I couldn't complete the task: I can't find "Zoe" among the company's users\. (An admin can add them\.|Users of the company: )/);
    expect(await taskRows(title)).toEqual([]);
  });

  it('es unknown project: refused, the closest names as the suggestion', async () => {
    await newProject();
    const title = `subir la web ${tag()}`;
    const unknown = `Zeus${tag()}`;
    const t = await (await talk(admin)).say(`crea una tarea para ${title} mañana a las 10 en el proyecto ${unknown}`);
    expect(t.reply).toContain(`no existe el proyecto «${unknown}»`);
    expect(t.reply).toContain('Proyectos existentes: ');
    expect(await taskRows(title)).toEqual([]);
  });

  it('es a project name with a typo and no accents is the one project it is close to (smart tool, issue 16)', async () => {
    const p = await newProject();
    const title = `subir la web ${tag()}`;
    const typo = p.name.slice(0, -1).toLowerCase();
    const t = await (await talk(admin)).say(`crea una tarea para ${title} mañana a las 10 en el proyecto ${typo}`);
    expect(t.state).toBe('DONE');
    expect((await taskRows(title))[0]?.project_id).toBe(p.id);
  });

  it('es double booking: the second meeting is refused with the next free slot; one row', async () => {
    const conv = await talk(admin);
    expect((await conv.say('agenda una reunión con Daniela mañana a las 16')).state).toBe('DONE');
    const t = await conv.say('agenda una reunión de revisión mañana a las 16');
    // Local time in the user's language, no instant (issue 16).
    expect(t.reply).toMatch(/^No pude completar el evento: coincide con «reunión con Daniela» \(\p{L}+, \d+ de \p{L}+, 16:00\)\. El siguiente hueco libre es el \p{L}+, \d+ de \p{L}+, 17:00\.$/u);
    expect(t.reply).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(await eventRows(conv.userId)).toHaveLength(1);
  });

  it.each([
    ['es', 'crea el proyecto {p}', /^No pude completar el proyecto: ya existe un proyecto llamado «\w+»\. Usa ese proyecto o elige otro nombre\.$/],
    ['en', 'create the {p} project', /^I couldn't complete the project: a project named "\w+" already exists\. Use that project or choose another name\.$/],
  ])('%s duplicate project name: refused in the user language, no id in the sentence', async (_lang, text, reply) => {
    const p = await newProject();
    const t = await (await talk(admin)).say(text.replace('{p}', p.name));
    expect(t.reply).toMatch(reply);
    expect(t.reply).not.toContain(p.id);
    expect(await rows(`SELECT 1 FROM erp.projects WHERE lower(name) = lower($1)`, [p.name])).toHaveLength(1);
  });
});

describe('a tool call repeated after a crash or a retry writes one row', () => {
  it('kill -9 of the tool-executor mid-call: the orchestrator retries on a new instance, one task', async () => {
    const p = await newProject();
    const title = `migrar la base ${tag()}`;
    const conv = await talk(admin);
    const held = await suite.blockTasks();
    const executionId = await admin.send(conv.id, `crea una tarea para ${title} mañana a las 11 en el proyecto ${p.name}`);
    await held.waiting(1);
    await suite.mesh.crash('tool-executor');
    await suite.mesh.restart('tool-executor');
    await held.release();
    const e = await admin.settled(executionId, 30_000);
    expect(e.state).toBe('DONE');
    const tasks = await taskRows(title);
    expect(tasks).toHaveLength(1);
    expect(JSON.stringify(nodeOutput(e, 'streamer'))).toContain(tasks[0]!.id);
    const events = (await admin.request('GET', `/v1/executions/${executionId}/events`)).body['events'] as { type: string; payload: { nodeId?: string; willRetry?: boolean } }[];
    expect(events.some((ev) => ev.type === 'node_failed' && ev.payload.nodeId === 'tool-executor' && ev.payload.willRetry)).toBe(true);
  });

  it('a retry after a timeout while the first attempt is still running: both attempts answer, one task', async () => {
    const p = await newProject();
    const title = `ordenar archivos ${tag()}`;
    const conv = await talk(admin);
    const held = await suite.blockTasks();
    const executionId = await admin.send(conv.id, `crea una tarea para ${title} mañana a las 12 en el proyecto ${p.name}`);
    await held.waiting(1);
    // NODE_TIMEOUT_MS is 4 s: the orchestrator gives up on attempt 1 and sends attempt 2, which blocks too.
    await held.waiting(2);
    await held.release();
    const e = await admin.settled(executionId, 30_000);
    expect(e.state).toBe('DONE');
    expect(await taskRows(title)).toHaveLength(1);
    const ledger = await rows<{ n: string }>(`SELECT count(*)::text AS n FROM erp.tool_calls WHERE idempotency_key LIKE $1`, [`${executionId}:%`]);
    expect(ledger).toEqual([{ n: '1' }]);
  }, 60_000);
});

// "What tasks did I create today?" is no search: the planner calls listTasks with createdSince set to the start of
// today. A task created on another day, due sooner than today's, shows whether that filter held.
describe('tasks created today: listTasks with createdSince', () => {
  /** A task created through the assistant, then dated two days back in the ERP. */
  async function createdTwoDaysAgo(conv: Awaited<ReturnType<typeof talk>>, text: string, title: string): Promise<void> {
    expect((await conv.say(text)).state).toBe('DONE');
    expect(await rows(`UPDATE erp.tasks SET created_at = now() - interval '2 days' WHERE tenant_id = 'default' AND title = $1 RETURNING id`, [title])).toHaveLength(1);
  }

  async function expectListedSinceToday(executionId: string): Promise<void> {
    const e = await admin.execution(executionId);
    expect(nodeOutput(e, 'planner')).toMatchObject({ toolCalls: [{ tool: 'listTasks', arguments: { createdSince: expect.any(String) } }] });
    const since = new Date((nodeOutput(e, 'planner') as { toolCalls: { arguments: { createdSince: string } }[] }).toolCalls[0]!.arguments.createdSince);
    expect(since.getTime()).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - since.getTime()).toBeLessThan(25 * 3_600_000); // the start of today, not of another day
  }

  it('es "¿qué tareas creé hoy?" lists the task created today, not one created two days ago', async () => {
    const p = await newProject();
    const conv = await talk(admin);
    const title = `preparar la demo ${tag()}`;
    const older = `archivar actas ${tag()}`;
    // Due in 2 and 3 hours: listed before every other task of the suite (all due tomorrow or later), so within the first 10.
    await createdTwoDaysAgo(conv, `crea una tarea para ${older} en 2 horas en el proyecto ${p.name}`, older);
    expect((await conv.say(`crea una tarea para ${title} en 3 horas en el proyecto ${p.name}`)).state).toBe('DONE');
    const t = await conv.say('¿qué tareas creé hoy?');
    expect(t.state).toBe('DONE');
    expect(t.reply).toMatch(/Encontré \d+ tareas:/);
    expect(t.reply).toContain(title);
    expect(t.reply).not.toContain(older);
    await expectListedSinceToday(t.executionId);
  });

  it('en "what tasks did I create today?" lists it too, and not the older one', async () => {
    const p = await newProject();
    const conv = await talk(admin);
    const title = `write the report ${tag()}`;
    const older = `sort the invoices ${tag()}`;
    await createdTwoDaysAgo(conv, `create a task to ${older} in 2 hours in the ${p.name} project`, older);
    expect((await conv.say(`create a task to ${title} in 3 hours in the ${p.name} project`)).state).toBe('DONE');
    const t = await conv.say('what tasks did I create today?');
    expect(t.reply).toMatch(/I found \d+ tasks:/);
    expect(t.reply).toContain(title);
    expect(t.reply).not.toContain(older);
    await expectListedSinceToday(t.executionId);
  });
});

describe('an event logged, then found by search', () => {
  it('the event-logger audits the execution and upserts its summary to Cerebro, where a later search finds it', async () => {
    const p = await newProject();
    const conv = await talk(admin);
    const title = `auditar proveedores ${tag()}`;
    const created = await conv.say(`crea una tarea para ${title} mañana a las 10 en el proyecto ${p.name}`);
    expect(created.state).toBe('DONE');
    await waitFor(async () => (await rows(`SELECT 1 FROM event_logger.audit_events WHERE execution_id = $1`, [created.executionId])).length > 0, { timeoutMs: 10_000, what: 'audit rows' });
    await waitFor(async () => (await rows(`SELECT 1 FROM event_logger.summaries WHERE execution_id = $1 AND indexed_at IS NOT NULL`, [created.executionId])).length > 0, {
      timeoutMs: 20_000,
      intervalMs: 250,
      what: 'the summary indexed in Cerebro',
    });
    // Naming the task: with the suites shuffled, any number of other summaries of today may rank above a bare
    // "what did I create today?"; the search must find this one by what it was about.
    const t = await conv.say(`¿qué tareas creé hoy? la de ${title}`);
    const retrieval = nodeOutput(await admin.execution(t.executionId), 'retrieval') as { snippets?: { text: string }[] } | undefined;
    expect(JSON.stringify(retrieval?.snippets ?? [])).toContain(title);
  }, 45_000);
});

describe('tools are the truth', () => {
  it('no reply states a result no tool returned: every id quoted comes from a tool result, every "done" from an ok result', async () => {
    // Its own turns, so it checks something even when it runs first; then every turn the file has had so far.
    const before = suite.turns.length;
    await suite.sampleTurns();
    expect(suite.turns.length - before).toBeGreaterThanOrEqual(7);
    for (const { text, turn, as } of suite.turns) {
      const e = await as.execution(turn.executionId);
      const tools = JSON.stringify(nodeOutput(e, 'tool-executor') ?? {});
      for (const id of turn.reply.match(UUID) ?? []) expect(tools, `"${text}" → ${turn.reply}`).toContain(id);
      if (/Listo: |Done: |Encontré|I found/.test(turn.reply)) expect(tools, `"${text}" → ${turn.reply}`).toContain('"ok":true');
      if (!nodeOutput(e, 'tool-executor')) expect(turn.reply, text).not.toMatch(/Listo: |Done: |creé|I created/);
    }
  });
});
