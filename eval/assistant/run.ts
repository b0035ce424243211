// npm run eval:assistant: scores eval/assistant/*.jsonl against a running mesh (registry, the seven agents,
// orchestrator, NATS, Postgres), through the public API and the stored rows, as bench:assistant starts it.
// Route accuracy (router output), tool accuracy (the planner's call), argument exactness (the planner's call and
// the row the tool stored, against the expected arguments), question rate on missing fields (the planner asked
// for exactly those), invented arguments (arguments in a call the user never gave).
// Run: npm run eval:assistant [-- --only <id prefix>[,<prefix>…] --out <file.json>]
// LLM_PROVIDER=openai npm run eval:assistant: the planner and streamer use the openai provider against a scripted
// OpenAI-compatible server on localhost (scripted-openai.ts), the same cases.
import { startNats, startPostgres, waitFor } from '@spine/testing';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AssistantClient, type Execution, type Turn } from '../../tests/support/assistant-client.js';
import { AssistantMesh } from '../../tests/support/assistant.js';
import { matchName, toolSpec } from '@spine/tool-catalog';
import { loadCases, resolveInstant, type EvalCase, type SetupTask } from './cases.js';
import { startScriptedOpenAi } from './scripted-openai.js';

const { values: flags } = parseArgs({ options: { only: { type: 'string' }, out: { type: 'string' } } });
const TENANT = 'default';

/** The tenant's data every case may name: the candidates names are matched against. */
const PROJECTS = ['Intranet', 'Website', 'Apolo', 'Marketing 2027', 'Migración CRM', 'Logística', 'Ventas'];
const USERS = [
  ['Ana García', 'ana.garcia@acme.test'],
  ['Pedro López', 'pedro.lopez@acme.test'],
  ['John Smith', 'john.smith@acme.test'],
  ['María Fernández', 'maria.fernandez@acme.test'],
  ['Luis Martín', 'luis.martin@acme.test'],
  ['Sarah Connor', 'sarah.connor@acme.test'],
] as const;

interface Outcome {
  id: string;
  file: string;
  say: string;
  reply: string;
  state: string;
  routeOk: boolean;
  toolOk?: boolean;
  argsOk?: boolean;
  askOk?: boolean;
  invented: string[];
  problems: string[];
  actual: { route?: string; tool?: string; args?: Record<string, unknown>; missing?: string[] };
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/^[\s"'«“¿¡]+|[\s"'»”?!.,]+$/g, '')
    .replace(/\s+/g, ' ');
const lower = (s: string) =>
  s
    .toLowerCase()
    .replace(/^[\s"'«“¿¡]+|[\s"'»”?!.,]+$/g, '')
    .replace(/\s+/g, ' ');
const FLOW_OF: Record<string, string> = {
  createTask: 'CreateTask',
  completeTask: 'CreateTask',
  updateTask: 'CreateTask',
  deleteTask: 'CreateTask',
  listTasks: 'CreateTask',
  createProject: 'CreateProject',
  createUser: 'CreateUser',
  createCalendarEvent: 'ScheduleMeeting',
  updateCalendarEvent: 'ScheduleMeeting',
  deleteCalendarEvent: 'ScheduleMeeting',
  listCalendarEvents: 'ScheduleMeeting',
};
/**
 * A name said is right when it is the expected one, or when the tool would take it for the expected one: the tools
 * match names against the tenant's data (`matchName`: "Ana" → Ana García when she is the only Ana).
 */
const TENANT_NAMES = [...PROJECTS, ...USERS.map(([name]) => name)];
const canonical = (said: string) => matchName(TENANT_NAMES, said) ?? said;
const sameName = (actual: string, expected: string) => fold(actual) === fold(expected) || fold(canonical(actual)) === fold(expected);
const INSTANT_KEYS = new Set(['dueAt', 'startsAt', 'from', 'to', 'createdSince', 'createdTo', 'dueFrom', 'dueTo']);
const NAME_KEYS = new Set(['project', 'assignee', 'createdBy', 'event', 'task']);
const minute = (d: Date) => Math.floor(d.getTime() / 60_000);

function nodeOf(e: Execution, id: string) {
  return e.nodes.find((n) => n.nodeId === id);
}

/** Where an expected and an actual argument differ, or undefined when they agree. */
function differs(key: string, expected: unknown, actual: unknown, c: EvalCase, now: Date): string | undefined {
  if (actual === undefined) return `${key} missing (expected ${JSON.stringify(expected)})`;
  if (INSTANT_KEYS.has(key)) {
    const want = resolveInstant(String(expected), now, c.tz);
    const got = new Date(String(actual));
    return Number.isNaN(got.getTime()) || minute(got) !== minute(want) ? `${key} ${String(actual)} ≠ ${want.toISOString()} (${String(expected)})` : undefined;
  }
  if (Array.isArray(expected)) {
    const got = (Array.isArray(actual) ? actual : [actual]).map((x) => fold(canonical(String(x)))).sort();
    const want = expected.map((x) => fold(String(x))).sort();
    return JSON.stringify(got) === JSON.stringify(want) ? undefined : `${key} ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`;
  }
  if (typeof expected === 'number') return Number(actual) === expected ? undefined : `${key} ${JSON.stringify(actual)} ≠ ${expected}`;
  const same = NAME_KEYS.has(key) ? sameName(String(actual), String(expected)) : lower(String(actual)) === lower(String(expected));
  return same ? undefined : `${key} ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`;
}

class Evaluation {
  private admin!: AssistantClient;
  private client!: AssistantClient;
  private userIds = new Map<string, string>();
  /** The tasks the running case set up, by id: updateTask and deleteTask are scored on what became of them. */
  private setupTasks = new Map<string, SetupTask>();

  constructor(private readonly mesh: AssistantMesh) {}

  async prepare(): Promise<void> {
    this.admin = new AssistantClient(this.mesh.url, await this.mesh.createKey('admin'));
    this.client = new AssistantClient(this.mesh.url, await this.mesh.createKey('client'));
    for (const name of PROJECTS) await this.mesh.sql(`INSERT INTO erp.projects (tenant_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [TENANT, name]);
    for (const [name, email] of USERS) {
      const [row] = await this.mesh.sql<{ id: string }>(`INSERT INTO erp.users (tenant_id, name, email) VALUES ($1, $2, $3) RETURNING id`, [TENANT, name, email]);
      this.userIds.set(name, row!.id);
    }
    // The router loads its model in the background: the first message waits for it.
    await waitFor(async () => (await this.admin.say(await this.admin.conversation('eval-warmup'), 'hola')).state === 'DONE', { intervalMs: 500, timeoutMs: 120_000, what: 'a first reply' });
  }

  async run(c: EvalCase): Promise<Outcome> {
    const as = c.as === 'client' ? this.client : this.admin;
    const userId = `eval-${c.id}-${randomBytes(3).toString('hex')}`;
    const [{ now: dbNow }] = (await this.mesh.sql<{ now: Date }>(`SELECT now() AS now`)) as [{ now: Date }];
    const now = new Date();
    // An event set up for the case may be named by its id (the planner's second round resolves "lo de mañana" to it).
    const setupIds = new Map<string, string>();
    for (const e of c.setup) setupIds.set(await this.insertEvent(userId, e.title, resolveInstant(e.start, now, c.tz), e.minutes), e.title);
    for (const e of c.attendeeBusy) await this.insertEvent(this.userIds.get(e.user) ?? e.user, e.title, resolveInstant(e.start, now, c.tz), e.minutes);
    const setupTasks = new Map<string, SetupTask>();
    for (const t of c.setupTasks) {
      const [row] = await this.mesh.sql<{ id: string }>(
        `INSERT INTO erp.tasks (tenant_id, project_id, title, due_at, created_by) SELECT $1, id, $3, $4, $5 FROM erp.projects WHERE tenant_id = $1 AND name = $2 RETURNING id`,
        [TENANT, t.project, t.title, resolveInstant(t.due, now, c.tz), t.createdBy ? this.userIds.get(t.createdBy) : userId],
      );
      setupTasks.set(row!.id, t);
    }
    this.setupTasks = setupTasks;
    const conversation = await as.conversation(userId);
    const turns: Turn[] = [];
    for (const text of c.turns) turns.push(await as.say(conversation, text, { timezone: c.tz, locale: c.lang, timeoutMs: 90_000 }));
    const first = await as.execution(turns[0]!.executionId);
    const last = turns.length > 1 ? await as.execution(turns.at(-1)!.executionId) : first;
    const outcome = await this.score(c, userId, first, last, turns.at(-1)!, now, dbNow, setupIds);
    await this.cleanUp(userId, dbNow);
    return outcome;
  }

  private async insertEvent(owner: string, title: string, start: Date, minutes: number): Promise<string> {
    const [row] = await this.mesh.sql<{ id: string }>(`INSERT INTO erp.calendar_events (tenant_id, owner_id, title, starts_at, ends_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [TENANT, owner, title, start, new Date(start.getTime() + minutes * 60_000)]);
    return row!.id;
  }

  /** What a case stored or set up goes, so the next case starts from the fixtures alone (no stray overlaps). */
  private async cleanUp(userId: string, since: Date): Promise<void> {
    await this.mesh.sql(`DELETE FROM erp.calendar_events WHERE tenant_id = $1 AND (owner_id = $2 OR created_at >= $3)`, [TENANT, userId, since]);
    await this.mesh.sql(`DELETE FROM erp.tasks WHERE tenant_id = $1 AND (created_by = $2 OR created_at >= $3)`, [TENANT, userId, since]);
  }

  private async score(c: EvalCase, userId: string, first: Execution, last: Execution, turn: Turn, now: Date, since: Date, setupIds: ReadonlyMap<string, string> = new Map()): Promise<Outcome> {
    const route = String((nodeOf(first, 'router')?.output ?? {})['route'] ?? '');
    // A plan that asked for a second tool round (a lookup first) is scored by what its second round called.
    const round1 = nodeOf(last, 'planner')?.output ?? undefined;
    const planner = (round1?.['followUp'] === true ? nodeOf(last, 'planner-2')?.output : undefined) ?? round1;
    const calls = (planner?.['toolCalls'] as { tool: string; arguments: Record<string, unknown> }[] | undefined) ?? [];
    const call = calls[0];
    const missing = (planner?.['missingFields'] as string[] | undefined) ?? [];
    const o: Outcome = {
      id: c.id,
      file: c.file,
      say: c.turns.join(' ⏎ '),
      reply: turn.reply,
      state: turn.state,
      routeOk: route === c.route,
      invented: [],
      problems: [],
      actual: { route, ...(call ? { tool: call.tool, args: call.arguments } : {}), ...(missing.length ? { missing } : {}) },
    };
    if (!o.routeOk) o.problems.push(`route ${route} ≠ ${c.route}`);
    // A question names no tool: the flow type and the fields asked for tell which one it would be.
    const asking = !call && planner?.['ready'] === false && missing.length > 0;
    const askedTool = (tool: string | undefined) => {
      if (!asking || tool === undefined || ![FLOW_OF[tool], 'Other'].includes(String(planner?.['flowType']))) return false;
      // A field the tool asks for by name (updateTask's new due date) counts as well as a required one.
      const required = [...((toolSpec(tool)?.parameters['required'] as string[] | undefined) ?? []), ...Object.keys(toolSpec(tool)?.fields ?? {})];
      return missing.every((f) => required.includes(f));
    };
    if (c.ask) {
      const asked = planner?.['ready'] === false && !call;
      o.askOk = asked && JSON.stringify([...missing].sort()) === JSON.stringify([...c.ask].sort());
      o.toolOk = call ? call.tool === c.tool : askedTool(c.tool);
      if (!asked) {
        o.problems.push(`no question (called ${call?.tool ?? 'nothing'})`);
        // Whatever was planned for a field the user never gave is invented.
        if (call) o.invented.push(...c.ask.filter((f) => call.arguments[f] !== undefined));
      } else if (!o.askOk) o.problems.push(`asked for ${JSON.stringify(missing)} ≠ ${JSON.stringify(c.ask)}`);
      return o;
    }
    if (c.tool === undefined) {
      // No tool expected: a small talk route, or a request refused before any tool runs or by the tool's own rule
      // (a task that does not exist, someone else's task): nothing the last round ran came back done.
      const executor = nodeOf(last, 'tool-executor-2')?.state === 'succeeded' ? nodeOf(last, 'tool-executor-2') : nodeOf(last, 'tool-executor');
      const results = (executor?.output?.['results'] as { ok?: boolean }[] | undefined) ?? [];
      const ran = executor?.state === 'succeeded' && (results.length === 0 || results.some((r) => r.ok === true));
      if (call && c.refused && ran) o.problems.push(`ran ${call.tool}`);
      if (c.refused) o.toolOk = !ran;
      return o;
    }
    o.toolOk = call ? call.tool === c.tool : askedTool(c.tool);
    if (!o.toolOk || !call) {
      o.problems.push(call ? `tool ${call.tool} ≠ ${c.tool}` : `no tool (asked for ${JSON.stringify(missing)})`);
      o.argsOk = false;
      return o;
    }
    const expected = c.args ?? {};
    // The id of an event the case set up names that event as well as its title does; a task id, its task's title.
    const named = call!.arguments['event'];
    const byEvent = typeof named === 'string' && setupIds.has(named) ? { ...call!.arguments, event: setupIds.get(named) } : call!.arguments;
    const args = await this.titlesOf(byEvent);
    o.invented = Object.keys(args).filter((k) => expected[k] === undefined);
    for (const k of o.invented) o.problems.push(`invented ${k}=${JSON.stringify(args[k])}`);
    for (const [k, v] of Object.entries(expected)) {
      const d = differs(k, v, args[k], c, now);
      if (d) o.problems.push(d);
    }
    const stored = await this.stored(c, userId, since, now);
    if (stored) o.problems.push(stored);
    o.argsOk = o.problems.length === 0 || (o.problems.length === 1 && !o.routeOk);
    return o;
  }

  /**
   * A task or event the plan names by its id (a second round resolved "la tarea que vence el viernes" to it) is the row of
   * that title: the tool takes the id for it, as it takes a name for the tenant's project.
   */
  private async titlesOf(args: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.titleOf(await this.titleOf(args, 'task', 'erp.tasks'), 'event', 'erp.calendar_events');
  }

  /** `args[key]` given as the id of a row of `table` (a task, or an event booked in an earlier turn): its title. */
  private async titleOf(args: Record<string, unknown>, key: 'task' | 'event', table: 'erp.tasks' | 'erp.calendar_events'): Promise<Record<string, unknown>> {
    const id = args[key];
    if (typeof id !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return args;
    const [row] = await this.mesh.sql<{ title: string }>(`SELECT title FROM ${table} WHERE tenant_id = $1 AND id = $2`, [TENANT, id]);
    return row ? { ...args, [key]: row.title } : args;
  }

  /** The rows the case's tool wrote, checked against the expected arguments; a refusal stores nothing. */
  private async stored(c: EvalCase, userId: string, since: Date, now: Date): Promise<string | undefined> {
    const a = c.args ?? {};
    if (c.tool === 'createTask') {
      const rows = await this.mesh.sql<{ title: string; project: string; due_at: Date; assignee: string | null; priority: string }>(
        `SELECT t.title, p.name AS project, t.due_at, u.name AS assignee, t.priority FROM erp.tasks t JOIN erp.projects p ON p.id = t.project_id LEFT JOIN erp.users u ON u.id = t.assignee_id WHERE t.tenant_id = $1 AND t.created_at >= $2 AND t.created_by = $3`,
        [TENANT, since, userId],
      );
      if (c.refused) return rows.length ? `stored a task, expected a refusal` : undefined;
      const [row] = rows;
      if (!row) return 'no task stored';
      const want = { title: a['title'], project: a['project'], dueAt: a['dueAt'], ...(a['assignee'] ? { assignee: a['assignee'] } : {}) };
      const got = { title: row.title, project: row.project, dueAt: row.due_at.toISOString(), ...(row.assignee ? { assignee: row.assignee } : {}) };
      const bad = Object.entries(want).map(([k, v]) => differs(k, v, got[k as keyof typeof got], c, now)).find(Boolean);
      if (bad) return `stored ${bad}`;
      if (!a['assignee'] && row.assignee) return `stored assignee ${row.assignee}, none said`;
      if (row.priority !== ((a['priority'] as string | undefined) ?? 'medium')) return `stored priority ${row.priority}`;
      return undefined;
    }
    if (c.tool === 'updateTask' || c.tool === 'deleteTask') return this.changedTask(c, now);
    if (c.tool === 'createCalendarEvent') {
      const rows = await this.mesh.sql<{ title: string; starts_at: Date; ends_at: Date }>(`SELECT title, starts_at, ends_at FROM erp.calendar_events WHERE tenant_id = $1 AND owner_id = $2 AND created_at >= $3`, [TENANT, userId, since]);
      const fresh = rows.filter((r) => !c.setup.some((s) => s.title === r.title));
      if (c.refused) return fresh.length ? 'stored an event, expected a refusal' : undefined;
      const [row] = fresh;
      if (!row) return 'no event stored';
      const bad = differs('title', a['title'], row.title, c, now) ?? differs('startsAt', a['startsAt'], row.starts_at.toISOString(), c, now);
      if (bad) return `stored ${bad}`;
      const minutes = (row.ends_at.getTime() - row.starts_at.getTime()) / 60_000;
      if (minutes !== ((a['durationMinutes'] as number | undefined) ?? 60)) return `stored ${minutes} minutes`;
      return undefined;
    }
    if (c.tool === 'createProject') {
      const rows = await this.mesh.sql(`SELECT 1 FROM erp.projects WHERE tenant_id = $1 AND name = $2 AND created_at >= $3`, [TENANT, a['name'], since]);
      return c.refused ? (rows.length ? 'stored a project, expected a refusal' : undefined) : rows.length ? undefined : 'no project stored';
    }
    if (c.tool === 'createUser') {
      const rows = await this.mesh.sql<{ name: string }>(`SELECT name FROM erp.users WHERE tenant_id = $1 AND lower(email) = lower($2)`, [TENANT, a['email']]);
      if (c.refused) return rows.length ? 'stored a user, expected a refusal' : undefined;
      return rows[0]?.name === a['name'] ? undefined : `stored user ${JSON.stringify(rows[0]?.name)}`;
    }
    return undefined;
  }

  /**
   * What updateTask or deleteTask did to the tasks the case set up: the named one changed as expected (or is gone),
   * every other field and every other task as set up; a refusal leaves them all as they were.
   */
  private async changedTask(c: EvalCase, now: Date): Promise<string | undefined> {
    const a = c.args ?? {};
    const rows = await this.mesh.sql<{ id: string; title: string; due_at: Date; assignee: string | null; priority: string }>(
      `SELECT t.id, t.title, t.due_at, u.name AS assignee, t.priority FROM erp.tasks t LEFT JOIN erp.users u ON u.id = t.assignee_id WHERE t.tenant_id = $1 AND t.id = ANY($2)`,
      [TENANT, [...this.setupTasks.keys()]],
    );
    for (const [id, t] of this.setupTasks) {
      const row = rows.find((r) => r.id === id);
      const target = !c.refused && fold(t.title) === fold(String(a['task'] ?? ''));
      if (c.tool === 'deleteTask' && target) {
        if (row) return `task ${JSON.stringify(t.title)} not deleted`;
        continue;
      }
      if (!row) return `task ${JSON.stringify(t.title)} deleted`;
      const want: Record<string, unknown> = { title: t.title, dueAt: t.due, priority: 'medium', ...(target ? a : {}) };
      const got: Record<string, unknown> = { title: row.title, dueAt: row.due_at.toISOString(), priority: row.priority, ...(row.assignee ? { assignee: row.assignee } : {}) };
      const bad = ['title', 'dueAt', 'priority', 'assignee'].map((k) => (want[k] === undefined ? (got[k] === undefined ? undefined : `${k} ${JSON.stringify(got[k])}, none said`) : differs(k, want[k], got[k], c, now))).find(Boolean);
      if (bad) return `stored ${bad} (${JSON.stringify(t.title)})`;
    }
    return undefined;
  }
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} % (${n}/${d})` : 'n/a');

function report(outcomes: Outcome[], provider: string): string {
  const count = (f: (o: Outcome) => boolean | undefined) => outcomes.filter((o) => f(o) !== undefined);
  const ok = (xs: Outcome[], f: (o: Outcome) => boolean | undefined) => xs.filter((o) => f(o) === true).length;
  const tool = count((o) => o.toolOk);
  const args = count((o) => o.argsOk);
  const ask = count((o) => o.askOk);
  const invented = outcomes.reduce((n, o) => n + o.invented.length, 0);
  const lines = [
    `provider ${provider}, ${outcomes.length} cases`,
    `route accuracy      ${pct(ok(outcomes, (o) => o.routeOk), outcomes.length)}`,
    `tool accuracy       ${pct(ok(tool, (o) => o.toolOk), tool.length)}`,
    `argument exactness  ${pct(ok(args, (o) => o.argsOk), args.length)}`,
    `questions on missing fields ${pct(ok(ask, (o) => o.askOk), ask.length)}`,
    `invented arguments  ${invented}`,
  ];
  const byFile = new Map<string, Outcome[]>();
  for (const o of outcomes) byFile.set(o.file, [...(byFile.get(o.file) ?? []), o]);
  for (const [file, xs] of byFile) lines.push(`  ${file}: ${xs.filter((o) => o.problems.length === 0).length}/${xs.length} fully right`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const provider = process.env['LLM_PROVIDER'] ?? 'local';
  const tag = randomBytes(3).toString('hex');
  const cases = loadCases(import.meta.dirname, tag).filter((c) => !flags.only || flags.only.split(',').some((p) => c.id.startsWith(p)));
  const [nats, postgres] = await Promise.all([startNats(), startPostgres()]);
  const scripted = provider === 'openai' ? await startScriptedOpenAi() : undefined;
  let mesh: AssistantMesh | undefined;
  try {
    mesh = await AssistantMesh.start(nats.url, await postgres.createDatabase('postgres'), {
      orchestratorEnv: { RATE_LIMIT_PER_SECOND: '1000000', RATE_LIMIT_BURST: '1000000' },
      logLevel: 'error',
      // The agents that talk to a model; retrieval keeps its local embeddings (the vectors are stored by it).
      ...(scripted
        ? { serviceEnv: (app: string): Record<string, string> => (['router', 'planner', 'streamer'].includes(app) ? { LLM_DEFAULT_MODEL: 'openai', OPENAI_API_KEY: 'scripted', OPENAI_BASE_URL: scripted.url, LLM_RETRY_ATTEMPTS: '1' } : {}) }
        : {}),
    });
    const evaluation = new Evaluation(mesh);
    await evaluation.prepare();
    const outcomes: Outcome[] = [];
    for (const c of cases) {
      try {
        outcomes.push(await evaluation.run(c));
      } catch (err) {
        outcomes.push({ id: c.id, file: c.file, say: c.turns.join(' ⏎ '), reply: '', state: 'ERROR', routeOk: false, toolOk: false, ...(c.ask ? { askOk: false } : { argsOk: false }), invented: [], problems: [(err as Error).message], actual: {} });
      }
      const o = outcomes.at(-1)!;
      if (o.problems.length) console.log(`✗ ${o.id} "${o.say}": ${o.problems.join('; ')}`);
    }
    console.log(`\n${report(outcomes, provider)}`);
    if (flags.out) await writeFile(flags.out, JSON.stringify(outcomes, null, 2));
  } finally {
    await mesh?.stop();
    await scripted?.stop();
    await Promise.allSettled([nats.stop(), postgres.stop()]);
  }
}

main().catch((err: Error) => {
  console.error(`eval:assistant: ${err.stack ?? err.message}`);
  process.exit(1);
});
