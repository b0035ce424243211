import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { daysUntil, nodeOutput, zonedInstant } from '../support/assistant-client.js';
import { AssistantSuite, MADRID, NEW_YORK, projectName, tag } from '../support/assistant-suite.js';

// The ERP assistant end to end (issue 5): the default erp-assistant flow over the public REST + SSE API,
// with every process real (registry, seven agents, orchestrator, NATS, Postgres) and the local LLM provider.
// Each case checks what a user could see (state, streamed reply) and what the ERP stored (rows in `erp`).
// This file: the routes, every tool, and missing fields; rules.e2e.test.ts: business rules, crash and retry, search.

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const suite = new AssistantSuite();
const talk = suite.talk.bind(suite);
const rows = suite.rows.bind(suite);
const projectRow = suite.projectRow.bind(suite);
const taskRows = suite.taskRows.bind(suite);
const eventRows = suite.eventRows.bind(suite);
const newProject = suite.newProject.bind(suite);
let admin: AssistantSuite['admin'];
let client: AssistantSuite['client'];

beforeAll(async () => {
  await suite.start(inject('natsUrl'), inject('postgresAdminUrl'));
  ({ admin, client } = suite);
});

afterAll(() => suite.stop());

describe('routes', () => {
  it.each([
    ['es', 'hola, ¿qué tal?', 'SMALL_TALK', /Muy bien, gracias/],
    ['en', 'thanks a lot!', 'SMALL_TALK', /You're welcome/],
    ['es', 'necesito ayuda con algo', 'NEED_MORE_CONTEXT', /Qué necesitas exactamente/],
    ['en', 'I need help with something', 'NEED_MORE_CONTEXT', /What exactly do you need/],
    ['es', 'asdf qwer', 'UNKNOWN', /No estoy seguro de haberte entendido/],
    ['en', 'purple monkey dishwasher', 'UNKNOWN', /I'm not sure I understood/],
  ])('%s: "%s" → %s, a short reply, no tool run', async (_lang, text, route, reply) => {
    const t = await (await talk(admin)).say(text, { locale: _lang as 'es' | 'en' });
    expect(t.state).toBe('DONE');
    expect(t.reply).toMatch(reply);
    const e = await admin.execution(t.executionId);
    expect(nodeOutput(e, 'router')).toMatchObject({ route });
    expect(e.nodes.find((n) => n.nodeId === 'tool-executor')?.state).toBe('skipped');
    expect(e.nodes.find((n) => n.nodeId === 'planner')?.state).toBe('skipped');
  });

  it('streams the reply as several chunks that arrive in sequence order (1, 2, 3, …), the last one final', async () => {
    const t = await (await talk(admin)).say('hola, ¿qué tal?');
    expect(t.chunks.length).toBeGreaterThan(3);
    // t.chunks is in arrival order (the client does not sort): a chunk late, early or twice fails here.
    expect(t.chunks.map((c) => c.seq)).toEqual(t.chunks.map((_, i) => i + 1));
    expect(t.chunks.at(-1)?.final).toBe(true);
  });
});

describe('tools', () => {
  it.each([
    ['es', (n: string) => `crea el proyecto ${n}`, /Listo: creé el proyecto/],
    ['en', (n: string) => `create the ${n} project`, /Done: I created the project/],
  ])('%s createProject: one row, its id quoted in the reply', async (_lang, say, reply) => {
    const name = projectName('Orion');
    const t = await (await talk(admin)).say(say(name));
    expect(t.state).toBe('DONE');
    expect(t.reply).toMatch(reply);
    const row = await projectRow(name);
    expect(t.reply).toContain(row!.id);
  });

  it.each([
    ['es', (n: string, e: string) => `crea el usuario ${n} con correo ${e}`, 'Ana García', /Listo: creé el usuario «Ana García»/],
    ['en', (n: string, e: string) => `create a user named ${n} with email ${e}`, 'Carl Smith', /Done: I created the user «Carl Smith»/],
  ])('%s createUser as admin: one row with the name and email said', async (_lang, say, name, reply) => {
    const email = `${tag()}@acme.test`;
    const t = await (await talk(admin)).say(say(name, email));
    expect(t.state).toBe('DONE');
    expect(t.reply).toMatch(reply);
    const users = await rows<{ id: string; name: string }>(`SELECT id, name FROM erp.users WHERE tenant_id = 'default' AND email = $1`, [email]);
    expect(users).toEqual([expect.objectContaining({ name })]);
    expect(t.reply).toContain(users[0]!.id);
  });

  it.each([
    ['es', 'crea el usuario Eva Luna con correo {e}', /No tienes permiso para crear usuarios \(requiere el rol admin\)/],
    ['en', 'create a user named Eve Moon with email {e}', /You are not allowed to create users \(it needs the role admin\)/],
  ])('%s createUser as a client: refused with the reason, nothing written, no tool run', async (_lang, text, reply) => {
    const email = `${tag()}@acme.test`;
    const t = await (await talk(client)).say(text.replace('{e}', email));
    expect(t.reply).toMatch(reply);
    expect(await rows(`SELECT 1 FROM erp.users WHERE email = $1`, [email])).toEqual([]);
    const e = await client.execution(t.executionId);
    expect(e.nodes.find((n) => n.nodeId === 'tool-executor')?.state).toBe('skipped');
  });

  it('es createTask: "mañana a las 10" in Europe/Madrid, the project resolved to its id', async () => {
    const p = await newProject();
    const title = `revisar el contrato ${tag()}`;
    const t = await (await talk(admin)).say(`crea una tarea para ${title} mañana a las 10 en el proyecto ${p.name}`);
    expect(t.state).toBe('DONE');
    const [task] = await taskRows(title);
    expect(task?.project_id).toBe(p.id);
    expect(task?.due_at.toISOString()).toBe(zonedInstant(MADRID, 1, 10).toISOString());
    expect(t.reply).toContain(task!.id);
    expect(t.reply).toContain(p.id);
    expect(t.reply).toMatch(/, 10:00\./);
  });

  it('en createTask: "tomorrow at 3pm" in America/New_York', async () => {
    const p = await newProject();
    const title = `call the bank ${tag()}`;
    const t = await (await talk(admin)).say(`create a task to ${title} tomorrow at 3pm in the ${p.name} project`, { timezone: NEW_YORK });
    expect(t.state).toBe('DONE');
    const [task] = await taskRows(title);
    expect(task?.project_id).toBe(p.id);
    expect(task?.due_at.toISOString()).toBe(zonedInstant(NEW_YORK, 1, 15).toISOString());
    expect(t.reply).toMatch(/due \w+ \d+, \d{4}, 15:00/);
  });

  it.each([
    ['es', 'crea una tarea para {t} el viernes a las 9 en el proyecto {p}', 9],
    ['en', 'create a task to {t} on friday at 4pm in the {p} project', 16],
  ])('%s createTask on a weekday: the next Friday at the hour said', async (_lang, text, hour) => {
    const p = await newProject();
    const title = `pagar ${tag()}`;
    const t = await (await talk(admin)).say(text.replace('{t}', title).replace('{p}', p.name));
    expect(t.state).toBe('DONE');
    const [task] = await taskRows(title);
    const days = daysUntil(MADRID, 5);
    const candidates = [days, days === 0 ? 7 : days].map((d) => zonedInstant(MADRID, d, hour).toISOString());
    expect(candidates).toContain(task?.due_at.toISOString());
  });

  it.each([
    ['es', '¿qué tareas hay en el proyecto {p}?', /Encontré 1 tareas:\n- /],
    ['en', 'show me the tasks of the {p} project', /I found 1 tasks:\n- /],
  ])('%s listTasks of a project: the task in it, and only that', async (_lang, text, reply) => {
    const p = await newProject();
    const title = `inventario ${tag()}`;
    const conv = await talk(admin);
    expect((await conv.say(`crea una tarea para ${title} mañana a las 12 en el proyecto ${p.name}`)).state).toBe('DONE');
    const t = await conv.say(text.replace('{p}', p.name));
    expect(t.state).toBe('DONE');
    expect(t.reply).toMatch(reply);
    expect(t.reply).toContain(title);
  });

  it('es calendar: create, list, move and cancel a meeting; the rows follow', async () => {
    const conv = await talk(admin);
    const created = await conv.say('agenda una reunión con Daniela mañana a las 16');
    expect(created.reply).toMatch(/Listo: creé el evento «reunión con Daniela»/);
    let events = await eventRows(conv.userId);
    expect(events.map((e) => [e.title, e.starts_at.toISOString(), e.ends_at.toISOString()])).toEqual([
      ['reunión con Daniela', zonedInstant(MADRID, 1, 16).toISOString(), zonedInstant(MADRID, 1, 17).toISOString()],
    ]);
    const listed = await conv.say('¿qué reuniones tengo?');
    expect(listed.reply).toMatch(/Encontré 1 eventos:\n- reunión con Daniela/);
    const moved = await conv.say('mueve la reunión con Daniela a pasado mañana a las 12');
    expect(moved.reply).toMatch(/Listo: actualicé el evento/);
    events = await eventRows(conv.userId);
    expect(events.map((e) => e.starts_at.toISOString())).toEqual([zonedInstant(MADRID, 2, 12).toISOString()]);
    const cancelled = await conv.say('cancela la reunión con Daniela');
    expect(cancelled.reply).toMatch(/Listo: eliminé el evento/);
    expect(await eventRows(conv.userId)).toEqual([]);
  });

  it('en calendar: schedule 30 minutes, move, list, delete; the rows follow', async () => {
    const conv = await talk(admin);
    const created = await conv.say('schedule a call with Bob tomorrow at 9am for 30 minutes', { timezone: NEW_YORK });
    expect(created.reply).toMatch(/Done: I created the event «call with Bob»/);
    let events = await eventRows(conv.userId);
    expect(events.map((e) => [e.starts_at.toISOString(), e.ends_at.toISOString()])).toEqual([[zonedInstant(NEW_YORK, 1, 9).toISOString(), zonedInstant(NEW_YORK, 1, 9, 30).toISOString()]]);
    const moved = await conv.say('move the call with Bob to tomorrow at 11am', { timezone: NEW_YORK });
    expect(moved.reply).toMatch(/Done: I updated the event/);
    events = await eventRows(conv.userId);
    expect(events.map((e) => e.starts_at.toISOString())).toEqual([zonedInstant(NEW_YORK, 1, 11).toISOString()]);
    const listed = await conv.say('what meetings do I have tomorrow?', { timezone: NEW_YORK });
    expect(listed.reply).toMatch(/I found 1 events:\n- call with Bob \(\w+ \d+, \d{4}, 11:00\)/);
    const deleted = await conv.say('delete the call with Bob', { timezone: NEW_YORK });
    expect(deleted.reply).toMatch(/Done: I deleted the event/);
    expect(await eventRows(conv.userId)).toEqual([]);
  });
});

describe('missing fields: one question, then the answer completes the request', () => {
  it('es "crea una tarea" → question → "revisar presupuesto" → question for the rest → answer → the task', async () => {
    const p = await newProject();
    const conv = await talk(admin);
    const q1 = await conv.say('crea una tarea');
    expect(q1.state).toBe('WAITING_INPUT');
    expect(q1.reply).toBe('¿Me indicas el título de la tarea, el proyecto y la fecha y hora límite?');
    const title = `revisar presupuesto ${tag()}`;
    const q2 = await conv.say(title);
    expect(q2.state).toBe('WAITING_INPUT');
    expect(q2.reply).toBe('¿Me indicas el proyecto y la fecha y hora límite?');
    const done = await conv.say(`en el proyecto ${p.name}, mañana a las 10`);
    expect(done.state).toBe('DONE');
    const [task] = await taskRows(title);
    expect(task).toMatchObject({ project_id: p.id });
    expect(task?.due_at.toISOString()).toBe(zonedInstant(MADRID, 1, 10).toISOString());
  });

  it('es a project and a task without its details: the project is made, the reply asks for the task, the answer makes it there (issue 16)', async () => {
    const name = projectName('Quorvex');
    const conv = await talk(admin);
    const first = await conv.say(`crea el proyecto ${name} y una tarea`);
    expect(first.state).toBe('DONE');
    expect(first.reply).toContain('¿Y la tarea? Dime su título y para cuándo es.');
    const project = await projectRow(name);
    expect(project).toBeDefined();
    const done = await conv.say('revisar los requisitos, el viernes');
    expect(done.state).toBe('DONE');
    expect(await rows(`SELECT title FROM erp.tasks WHERE project_id = $1`, [project?.id])).toEqual([{ title: 'revisar los requisitos' }]);
  });

  it('es the project alone, as a bare answer (the router reads it as UNKNOWN)', async () => {
    const p = await newProject();
    const conv = await talk(admin);
    const title = `revisar el contrato ${tag()}`;
    const q = await conv.say(`crea una tarea para ${title} mañana a las 10`);
    expect(q.reply).toBe('¿En qué proyecto va la tarea?');
    const done = await conv.say(p.name);
    expect(done.state).toBe('DONE');
    expect((await taskRows(title))[0]?.project_id).toBe(p.id);
  });

  it('en the project alone, as a bare answer', async () => {
    const p = await newProject();
    const conv = await talk(admin);
    const title = `review the budget ${tag()}`;
    const q = await conv.say(`create a task to ${title} tomorrow at 10`, { timezone: NEW_YORK });
    expect(q.reply).toBe('Which project is the task for?');
    const done = await conv.say(p.name, { timezone: NEW_YORK, locale: 'en' });
    expect(done.state).toBe('DONE');
    const [task] = await taskRows(title);
    expect(task?.due_at.toISOString()).toBe(zonedInstant(NEW_YORK, 1, 10).toISOString());
  });

  it('es a meeting on a day without an hour: "¿A qué hora?", then "a las 9" lands on that day (the next Friday)', async () => {
    const conv = await talk(admin);
    const title = `revisión del banco ${tag()}`;
    const q = await conv.say(`agenda la ${title} el viernes`);
    expect(q.reply).toBe('¿A qué hora? Tengo el día, pero me falta la hora.');
    const done = await conv.say('a las 9');
    expect(done.state).toBe('DONE');
    const days = daysUntil(MADRID, 5);
    expect((await eventRows(conv.userId)).map((e) => e.starts_at.toISOString())).toEqual([zonedInstant(MADRID, days === 0 ? 7 : days, 9).toISOString()]);
  });

  it('es a task due on a day without an hour: no question, due at the end of that day in Madrid (issue 16)', async () => {
    const p = await newProject();
    const title = `llamar al banco ${tag()}`;
    const t = await (await talk(admin)).say(`crea una tarea para ${title} el viernes en el proyecto ${p.name}`);
    expect(t.state).toBe('DONE');
    const days = daysUntil(MADRID, 5);
    expect((await taskRows(title))[0]?.due_at.toISOString()).toBe(new Date(zonedInstant(MADRID, days === 0 ? 7 : days, 23, 59).getTime() + 59_000).toISOString());
  });

  it('es createUser without an email → "¿Cuál es su correo electrónico?" → the address', async () => {
    const conv = await talk(admin);
    const q = await conv.say('crea el usuario Marta Díaz');
    expect(q.reply).toBe('¿Cuál es su correo electrónico?');
    const email = `marta.${tag()}@acme.test`;
    const done = await conv.say(email);
    expect(done.state).toBe('DONE');
    expect(await rows(`SELECT name FROM erp.users WHERE email = $1`, [email])).toEqual([{ name: 'Marta Díaz' }]);
  });

  it('en "create a project" → "What is the project called?" → the name', async () => {
    const conv = await talk(admin);
    const q = await conv.say('create a project', { locale: 'en' });
    expect(q.reply).toBe('What is the project called?');
    const name = projectName('Zephyr');
    const done = await conv.say(name, { locale: 'en' });
    expect(done.state).toBe('DONE');
    expect(await projectRow(name)).toBeDefined();
  });

  it('en a meeting without a time → "What day and time should I book it for?" → "tomorrow at 5pm"', async () => {
    const conv = await talk(admin);
    const q = await conv.say('schedule a meeting with the team', { timezone: NEW_YORK });
    expect(q.reply).toBe('What day and time should I book it for?');
    const done = await conv.say('tomorrow at 5pm', { timezone: NEW_YORK });
    expect(done.state).toBe('DONE');
    expect((await eventRows(conv.userId)).map((e) => [e.title, e.starts_at.toISOString()])).toEqual([['meeting with the team', zonedInstant(NEW_YORK, 1, 17).toISOString()]]);
  });

  it('en an answer that completes nothing after a question: the planner asks what to do, and waits', async () => {
    const conv = await talk(admin);
    await conv.say('I need help with something', { locale: 'en' });
    const t = await conv.say('purple monkey dishwasher', { locale: 'en' });
    expect(t.state).toBe('WAITING_INPUT');
    expect(t.reply).toBe('What should I do: create a task, a project or a user, or schedule a meeting?');
    expect(t.chunks.length).toBeGreaterThan(1);
  });

  it('es small talk after a question is answered as small talk', async () => {
    const conv = await talk(admin);
    await conv.say('crea una tarea');
    const t = await conv.say('gracias');
    expect(t.state).toBe('DONE');
    expect(t.reply).toMatch(/Con gusto/);
  });
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
