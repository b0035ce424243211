import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AssistantClient, nodeOutput, zonedInstant } from '../support/assistant-client.js';
import { AssistantSuite, MADRID, projectName, tag } from '../support/assistant-suite.js';
import { replyProblems, turnLocale } from '../support/reply-check.js';

// Issue 16, seed 003 §2.2: attendees are users of the tenant whose calendars are checked; the tenant's working
// hours; refusals that name the clash and the next free slot in the user's local time and language; "my tasks
// today" means the caller's. Every process real, as in conversations.e2e.test.ts.

const suite = new AssistantSuite();
let admin: AssistantSuite['admin'];

beforeAll(async () => {
  await suite.start(inject('natsUrl'), inject('postgresAdminUrl'));
  ({ admin } = suite);
  // Every day 09:00–18:00: "mañana" is a working day whatever day the suite runs on.
  await suite.setWorkingHours({ startMinute: 9 * 60, endMinute: 18 * 60, days: [1, 2, 3, 4, 5, 6, 7] });
});

afterAll(() => suite.stop());

async function newUser(name: string): Promise<{ id: string; email: string }> {
  const email = `${name.split(' ')[0]!.toLowerCase()}.${tag()}@acme.test`;
  const [row] = await suite.rows<{ id: string }>(`INSERT INTO erp.users (tenant_id, name, email) VALUES ('default', $1, $2) RETURNING id::text AS id`, [name, email]);
  return { id: row!.id, email };
}

describe('calendar rules, in local time and the user language', () => {
  it("es an attendee's meeting at that hour: refused, naming whose and the next free slot in Madrid time; nothing booked", async () => {
    const ana = await newUser(`Anabel ${tag()}`);
    const first = (await suite.rows<{ name: string }>(`SELECT name FROM erp.users WHERE id::text = $1`, [ana.id]))[0]!.name;
    await suite.rows(`INSERT INTO erp.calendar_events (tenant_id, owner_id, title, starts_at, ends_at) VALUES ('default', $1, 'Comité', $2, $3)`, [ana.id, zonedInstant(MADRID, 1, 10), zonedInstant(MADRID, 1, 11)]);
    const conv = await suite.talk(admin);
    const t = await conv.say(`agenda una reunión con ${first} mañana a las 10`);
    expect(t.reply).toMatch(new RegExp(`^No pude completar el evento: coincide con «Comité» de ${first} \\(\\p{L}+, \\d+ de \\p{L}+, 10:00\\)\\. El siguiente hueco libre es el \\p{L}+, \\d+ de \\p{L}+, 11:00\\.$`, 'u'));
    expect(await suite.eventRows(conv.userId)).toEqual([]);
  });

  it('es with an attendee who is free: booked, the attendee stored', async () => {
    const luz = await newUser(`Luz ${tag()}`);
    const first = (await suite.rows<{ name: string }>(`SELECT name FROM erp.users WHERE id::text = $1`, [luz.id]))[0]!.name;
    const conv = await suite.talk(admin);
    const t = await conv.say(`agenda una reunión con ${first} mañana a las 12`);
    expect(t.state).toBe('DONE');
    const rows = await suite.rows<{ attendee_ids: string[] }>(`SELECT attendee_ids FROM erp.calendar_events WHERE owner_id = $1`, [conv.userId]);
    expect(rows).toEqual([{ attendee_ids: [luz.id] }]);
  });

  it('es outside working hours: refused with the hours and the next valid slot, 09:00 the next day', async () => {
    const conv = await suite.talk(admin);
    const t = await conv.say('agenda una reunión de cierre mañana a las 20');
    expect(t.reply).toMatch(/^No pude completar el evento: \p{L}+, \d+ de \p{L}+, 20:00 queda fuera del horario laboral \(09:00–18:00, días laborables\)\. El siguiente hueco libre es el \p{L}+, \d+ de \p{L}+, 09:00\.$/u);
    expect(await suite.eventRows(conv.userId)).toEqual([]);
  });

  it('en outside working hours: refused in English, New York time', async () => {
    const conv = await suite.talk(admin);
    const t = await conv.say('schedule a wrap-up meeting tomorrow at 8pm', { timezone: 'America/New_York', locale: 'en' });
    expect(t.reply).toMatch(/^I couldn't complete the event: \p{L}+, \p{L}+ \d+ at 20:00 is outside working hours \(09:00–18:00, working days\)\. The next free slot is \p{L}+, \p{L}+ \d+ at 09:00\.$/u);
  });
});

describe('"my tasks today" is the caller\'s', () => {
  it.each([
    ['es', 'mis tareas de hoy'],
    ['en', 'my tasks today'],
  ])('%s "%s": tasks assigned to the caller or made by them for nobody, due today; not others\' nor later ones', async (locale, text) => {
    const me = await newUser(`Lucas ${tag()}`);
    const other = await newUser(`Otra ${tag()}`);
    const project = projectName('Hoy');
    const [p] = await suite.rows<{ id: string }>(`INSERT INTO erp.projects (tenant_id, name) VALUES ('default', $1) RETURNING id::text AS id`, [project]);
    const t = tag();
    const tz = locale === 'en' ? 'America/New_York' : MADRID;
    const today = zonedInstant(tz, 0, 23, 30);
    const insert = (title: string, due: Date, assignee: string | null, createdBy: string) =>
      suite.rows(`INSERT INTO erp.tasks (tenant_id, project_id, title, due_at, assignee_id, created_by) VALUES ('default', $1, $2, $3, $4::uuid, $5)`, [p!.id, title, due, assignee, createdBy]);
    await insert(`mine ${t}`, today, me.id, 'someone-else');
    await insert(`made by me ${t}`, today, null, me.email);
    await insert(`theirs ${t}`, today, other.id, me.email);
    await insert(`mine later ${t}`, zonedInstant(tz, 3, 12), me.id, 'someone-else');
    // The conversation's user is the person: their email, as a person's credentials would name them.
    const conv = await suite.talk(admin, me.email);
    const turn = await conv.say(text, { timezone: tz, locale: locale as 'es' | 'en' });
    expect(turn.state).toBe('DONE');
    expect(turn.reply).toContain(`mine ${t}`);
    expect(turn.reply).toContain(`made by me ${t}`);
    expect(turn.reply).not.toContain(`theirs ${t}`);
    expect(turn.reply).not.toContain(`mine later ${t}`);
  });
});

/** A client key that authenticates a person (issue 16): their messages act for `userId`, whatever a body says. */
async function personClient(userId: string): Promise<AssistantClient> {
  const res = await admin.request('POST', '/v1/admin/api-keys', { name: `person ${tag()}`, role: 'client', userId });
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST /v1/admin/api-keys: ${res.status} ${JSON.stringify(res.body)}`);
  return new AssistantClient(suite.mesh.url, String(res.body['token']));
}

async function todaysTasks(tz: string) {
  const me = await newUser(`Marta ${tag()}`);
  const other = await newUser(`Otro ${tag()}`);
  const [p] = await suite.rows<{ id: string }>(`INSERT INTO erp.projects (tenant_id, name) VALUES ('default', $1) RETURNING id::text AS id`, [projectName('Dia')]);
  const t = tag();
  const insert = async (title: string, due: Date, assignee: string) =>
    (await suite.rows<{ id: string }>(`INSERT INTO erp.tasks (tenant_id, project_id, title, due_at, assignee_id, created_by) VALUES ('default', $1, $2, $3, $4::uuid, 'someone-else') RETURNING id::text AS id`, [p!.id, title, due, assignee]))[0]!.id;
  return {
    me,
    mine: { title: `enviar el acta ${t}`, id: await insert(`enviar el acta ${t}`, zonedInstant(tz, 0, 23, 30), me.id) },
    theirs: { title: `revisar cuentas ${t}`, id: await insert(`revisar cuentas ${t}`, zonedInstant(tz, 0, 23, 30), other.id) },
    later: { title: `preparar informe ${t}`, id: await insert(`preparar informe ${t}`, zonedInstant(tz, 3, 12), me.id) },
  };
}

const status = async (id: string) => (await suite.rows<{ status: string }>(`SELECT status FROM erp.tasks WHERE id::text = $1`, [id]))[0]?.status;

describe('a second tool round (seed 000 "tool loop max 2 rounds")', () => {
  it('es "marca como hecha mi tarea de hoy": round 1 finds the caller\'s one task due today, round 2 completes it; nothing else changes', async () => {
    const tasks = await todaysTasks(MADRID);
    const conv = await suite.talk(await personClient(tasks.me.email));
    const turn = await conv.say('marca como hecha mi tarea de hoy', { locale: 'es' });
    expect(turn.state).toBe('DONE');
    expect(await status(tasks.mine.id)).toBe('done');
    expect([await status(tasks.theirs.id), await status(tasks.later.id)]).toEqual(['open', 'open']);
    const e = await admin.execution(turn.executionId);
    expect(nodeOutput(e, 'planner')).toMatchObject({ followUp: true, toolCalls: [{ tool: 'listTasks' }] });
    expect(nodeOutput(e, 'planner-2')).toMatchObject({ ready: true, toolCalls: [{ tool: 'completeTask', arguments: { task: tasks.mine.id } }] });
    expect(nodeOutput(e, 'tool-executor-2')).toMatchObject({ results: [{ tool: 'completeTask', ok: true }] });
    // While the tools ran the user read what was going on (seed 004 §2F), then the reply, which carries no id.
    expect(turn.progress).toEqual(['Buscando tareas…', 'Marcando la tarea como hecha…']);
    expect(turn.reply).toContain(`«${tasks.mine.title}»`);
  });

  it('es "retrasa la daily una hora": round 1 lists the calendar, round 2 moves the daily from its own start; its length stays', async () => {
    const conv = await suite.talk(admin);
    const start = zonedInstant(MADRID, 1, 10);
    await suite.rows(`INSERT INTO erp.calendar_events (tenant_id, owner_id, title, starts_at, ends_at) VALUES ('default', $1, $2, $3, $4)`, [conv.userId, 'Daily', start, new Date(start.getTime() + 15 * 60_000)]);
    const turn = await conv.say('retrasa la daily una hora', { locale: 'es' });
    expect(turn.state).toBe('DONE');
    const e = await admin.execution(turn.executionId);
    expect(nodeOutput(e, 'planner')).toMatchObject({ followUp: true, toolCalls: [{ tool: 'listCalendarEvents' }] });
    expect(nodeOutput(e, 'planner-2')).toMatchObject({ ready: true, toolCalls: [{ tool: 'updateCalendarEvent' }] });
    const [row] = await suite.eventRows(conv.userId);
    expect([row?.starts_at.getTime(), row?.ends_at.getTime()]).toEqual([start.getTime() + 60 * 60_000, start.getTime() + 75 * 60_000]);
    expect(turn.reply).toContain('«Daily»');
  });

  it('a single round when the task is named: no second planner runs', async () => {
    const tasks = await todaysTasks(MADRID);
    const conv = await suite.talk(await personClient(tasks.me.email));
    const turn = await conv.say(`marca como completada la tarea ${tasks.later.title}`, { locale: 'es' });
    expect(turn.state).toBe('DONE');
    expect(await status(tasks.later.id)).toBe('done');
    const e = await admin.execution(turn.executionId);
    expect(nodeOutput(e, 'planner-2')).toBeUndefined();
    expect(turn.progress).toEqual(['Marcando la tarea como hecha…']);
  });
});

describe("a person's key: the user comes from the credentials, not the body", () => {
  it('"mis tareas de hoy" with a body naming someone else still lists the key\'s person\'s tasks', async () => {
    const tasks = await todaysTasks(MADRID);
    const client = await personClient(tasks.me.email);
    // The body claims another user; the key says who is asking.
    const conv = await suite.talk(client, `impostor-${tag()}`);
    const turn = await conv.say('mis tareas de hoy', { locale: 'es' });
    expect(turn.state).toBe('DONE');
    expect(turn.reply).toContain(tasks.mine.title);
    expect(turn.reply).not.toContain(tasks.theirs.title);
    expect(turn.reply).not.toContain(tasks.later.title);
    const e = await admin.execution(turn.executionId);
    expect(nodeOutput(e, 'intake')).toMatchObject({ userId: tasks.me.email });
  });
});

describe("the tenant's names (lookupNames): what the user wrote is read against them", () => {
  it('"tareas de <project in lower case>" filters by the project, never by an assignee of that name; the names node ran first', async () => {
    const name = projectName('Faro');
    const [p] = await suite.rows<{ id: string }>(`INSERT INTO erp.projects (tenant_id, name) VALUES ('default', $1) RETURNING id::text AS id`, [name]);
    const other = projectName('Otro');
    const [q] = await suite.rows<{ id: string }>(`INSERT INTO erp.projects (tenant_id, name) VALUES ('default', $1) RETURNING id::text AS id`, [other]);
    const t = tag();
    const due = zonedInstant(MADRID, 2, 12);
    for (const [project, title] of [[p!.id, `pintar el faro ${t}`], [q!.id, `otra cosa ${t}`]] as const) {
      await suite.rows(`INSERT INTO erp.tasks (tenant_id, project_id, title, due_at, created_by) VALUES ('default', $1, $2, $3, 'someone')`, [project, title, due]);
    }
    const conv = await suite.talk(admin);
    const turn = await conv.say(`tareas de ${name.toLowerCase()}`, { locale: 'es' });
    expect(turn.state).toBe('DONE');
    const e = await admin.execution(turn.executionId);
    const names = nodeOutput(e, 'names') as { results: { tool: string; result: { projects: string[] } }[] };
    expect(names.results[0]).toMatchObject({ tool: 'lookupNames' });
    expect(names.results[0]!.result.projects).toContain(name);
    expect(nodeOutput(e, 'planner')).toMatchObject({ ready: true, toolCalls: [{ tool: 'listTasks', arguments: { project: name.toLowerCase() } }] });
    expect(turn.reply).toContain(`pintar el faro ${t}`);
    expect(turn.reply).not.toContain(`otra cosa ${t}`);
    // The lookup is the flow's own: the user read no progress for it.
    expect(turn.progress).toEqual(['Buscando tareas…']);
  });
});

describe('replies', () => {
  it('no reply of this suite has an ISO instant, nor English in a Spanish reply', async () => {
    await suite.sampleTurns();
    const conv = await suite.talk(admin);
    await conv.say('agenda una reunión de cierre mañana a las 20');
    await conv.say('crea una tarea para revisar el contrato ayer en el proyecto Nadie');
    const problems = suite.turns.flatMap((x) => replyProblems(x.turn.reply, turnLocale(x.text, x.locale)));
    expect(problems).toEqual([]);
  });
});
