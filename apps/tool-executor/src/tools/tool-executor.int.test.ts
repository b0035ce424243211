import type { JsonObject } from '@bufbuild/protobuf';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { bootstrapAgent, type RunningAgent } from '@spine/agent-kit';
import { ErrorCode, ToolCallsInputSchema, ToolCallsOutputSchema } from '@spine/contracts';
import { AgentClient, ProtoClient } from '@spine/messaging';
import { runMigrations } from '@spine/persistence';
import { createDatabase } from '@spine/testing';
import { toolCatalog } from '@spine/tool-catalog';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { toolExecutorAgent } from '../tool-executor.agent.js';
import { loadConfig } from '../tool-executor.config.js';
import { erpDataSource, ToolExecutorModule } from '../tool-executor.module.js';
import { ToolsHandler } from './tools.handler.js';

const ALL_TOOLS = toolCatalog.map((t) => t.name);
// Every date in this file is computed from one instant, so a run across midnight (UTC) cannot compute
// "tomorrow" once for the call and once more, a day later, for the assertion.
const NOW = Date.now();
const inDays = (days: number, hour = 10) => {
  const d = new Date(NOW + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};

interface Call {
  tool: string;
  arguments: JsonObject;
}

describe('tool-executor over NATS', () => {
  let agent: RunningAgent;
  let nc: NatsConnection;
  let agents: AgentClient;
  let db: pg.Client;

  beforeAll(async () => {
    const databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'erp');
    await runMigrations(erpDataSource(databaseUrl));
    const env = { NATS_URL: inject('natsUrl'), HTTP_PORT: '0', LOG_LEVEL: 'error', DATABASE_URL: databaseUrl, REGISTRY_TIMEOUT_MS: '200' };
    agent = await bootstrapAgent({ agent: toolExecutorAgent, module: ToolExecutorModule.with(loadConfig(env)), handler: ToolsHandler, env, handleSignals: false });
    nc = await connect({ servers: inject('natsUrl') });
    agents = new AgentClient(new ProtoClient(nc, 5_000));
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    // Any day and hour: the booking cases below do not depend on the weekday they run on (working hours: e2e).
    await db.query(`INSERT INTO erp.calendar_rules (tenant_id, work_start_minute, work_end_minute, work_days) VALUES ('acme', 0, 1440, '{1,2,3,4,5,6,7}')`);
  });

  afterAll(async () => {
    await db?.end();
    await nc?.close();
    await agent?.shutdown();
  });

  async function invoke(calls: Call[], o: { tenant?: string; roles?: string[]; allowedTools?: string[]; executionId?: string; nodeId?: string; userId?: string; attempt?: number } = {}) {
    const { error, output } = await agents.invoke(
      'tool-executor',
      { input: ToolCallsInputSchema, output: ToolCallsOutputSchema },
      { calls, userId: o.userId ?? 'u-ana', roles: o.roles ?? ['client'] },
      { executionId: o.executionId ?? randomUUID(), nodeId: o.nodeId ?? 'tools', tenantId: o.tenant ?? 'acme', attempt: o.attempt ?? 1, scope: { allowedTools: o.allowedTools ?? ALL_TOOLS } },
    );
    return { error, results: output?.results ?? [] };
  }

  const one = async (call: Call, o: Parameters<typeof invoke>[1] = {}) => {
    const { results, error } = await invoke([call], o);
    expect(error).toBeUndefined();
    return results[0]!;
  };
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);
  /** A project of the test's own (tests run in any order): its name, unique in the tenant. */
  const ownProject = async (prefix: string) => {
    const name = `${prefix} ${randomUUID().slice(0, 8)}`;
    expect((await one({ tool: 'createProject', arguments: { name } })).ok).toBe(true);
    return name;
  };

  it('creates a task in a project named by the user, with the project id the tool resolved', async () => {
    const project = await one({ tool: 'createProject', arguments: { name: 'Website' } });
    expect(project.ok).toBe(true);
    const task = await one({ tool: 'createTask', arguments: { title: 'Revisar el contrato', project: 'website', dueAt: inDays(1) } });
    expect(task).toMatchObject({ ok: true, result: { projectId: project.result!.projectId, project: 'Website', dueAt: inDays(1), priority: 'medium' } });
    const row = await db.query('SELECT project_id, due_at, created_by FROM erp.tasks WHERE id = $1', [task.result!.taskId]);
    expect(row.rows[0]).toMatchObject({ project_id: project.result!.projectId, created_by: 'u-ana' });
    expect(new Date(row.rows[0].due_at).toISOString()).toBe(inDays(1));
  });

  it('refuses a second project with the same name, naming the existing one (no id in the sentence)', async () => {
    await one({ tool: 'createProject', arguments: { name: 'Intranet' } });
    const second = await one({ tool: 'createProject', arguments: { name: 'INTRANET' } });
    expect(second).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS', field: 'name' } });
    expect(second.error!.message).toBe('ya existe un proyecto llamado «Intranet»');
  });

  it('answers an unknown project with the closest names as a suggestion and writes nothing', async () => {
    await one({ tool: 'createProject', arguments: { name: 'Mobile App' } });
    const before = await count('SELECT count(*) AS n FROM erp.tasks');
    const res = await one({ tool: 'createTask', arguments: { title: 'x', project: 'Zeus', dueAt: inDays(2) } });
    expect(res).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'project' } });
    expect(res.error!.suggestion).toContain('Mobile App');
    expect(await count('SELECT count(*) AS n FROM erp.tasks')).toBe(before);
  });

  it('refuses a due date in the past', async () => {
    const project = await ownProject('Late');
    const res = await one({ tool: 'createTask', arguments: { title: 'late', project, dueAt: inDays(-1) } });
    expect(res).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', field: 'dueAt' } });
    expect(res.error!.message).toMatch(/^la fecha límite \(.*\) ya pasó$/);
  });

  it('assigns only users of the tenant, found by email or name', async () => {
    const project = await ownProject('Assigned');
    const user = await one({ tool: 'createUser', arguments: { name: 'Daniela Ruiz', email: 'daniela@acme.test' } }, { roles: ['admin'] });
    const byEmail = await one({ tool: 'createTask', arguments: { title: 'a', project, dueAt: inDays(3), assignee: 'DANIELA@acme.test' } });
    expect(byEmail.result).toMatchObject({ assigneeId: user.result!.userId, assignee: 'Daniela Ruiz' });
    const unknown = await one({ tool: 'createTask', arguments: { title: 'b', project, dueAt: inDays(3), assignee: 'Danny Roe' } });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'assignee' } });
    expect(unknown.error!.suggestion).toContain('Daniela Ruiz');
    const otherTenant = await one({ tool: 'createTask', arguments: { title: 'c', project, dueAt: inDays(3) } }, { tenant: 'globex' });
    expect(otherTenant).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('runs a repeated call once: the second answer comes from the ledger', async () => {
    const executionId = randomUUID();
    const call = { tool: 'createTask', arguments: { title: 'idempotent', project: await ownProject('Ledger'), dueAt: inDays(4) } };
    // A retry is a new attempt of the node: agent-kit's replay cache (same attempt) does not answer it, the ledger does.
    const first = await one(call, { executionId });
    const again = await one(call, { executionId, attempt: 2 });
    expect(again).toMatchObject({ ok: true, replayed: true, result: { taskId: first.result!.taskId } });
    expect(first.replayed).toBe(false);
    expect(await count(`SELECT count(*) AS n FROM erp.tasks WHERE title = 'idempotent'`)).toBe(1);
  });

  it('runs concurrent attempts of one call once', async () => {
    const executionId = randomUUID();
    const call = { tool: 'createTask', arguments: { title: 'raced', project: await ownProject('Raced'), dueAt: inDays(4) } };
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => one(call, { executionId, attempt: i + 1 })));
    expect(new Set(results.map((r) => r.result!.taskId)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await count(`SELECT count(*) AS n FROM erp.tasks WHERE title = 'raced'`)).toBe(1);
  });

  describe('refuses the whole request with a coded error and writes nothing', () => {
    const refused = async (calls: Call[], o: Parameters<typeof invoke>[1]) => {
      const before = await count('SELECT (SELECT count(*) FROM erp.tasks) + (SELECT count(*) FROM erp.users) + (SELECT count(*) FROM erp.tool_calls) AS n');
      const { error, results } = await invoke(calls, o);
      expect(results).toEqual([]);
      expect(await count('SELECT (SELECT count(*) FROM erp.tasks) + (SELECT count(*) FROM erp.users) + (SELECT count(*) FROM erp.tool_calls) AS n')).toBe(before);
      return error!;
    };
    const task = { tool: 'createTask', arguments: { title: 't', project: 'Website', dueAt: inDays(5) } };

    it('a tool outside allowedTools, even after an allowed one', async () => {
      const error = await refused([{ tool: 'listTasks', arguments: {} }, task], { allowedTools: ['listTasks'] });
      expect(error).toMatchObject({ code: ErrorCode.PERMISSION_DENIED, details: { field: 'calls[1].tool', reason: 'scope' } });
    });

    it('a role without permission', async () => {
      const error = await refused([{ tool: 'createUser', arguments: { name: 'Eve', email: 'eve@acme.test' } }], { roles: ['client'] });
      expect(error).toMatchObject({ code: ErrorCode.PERMISSION_DENIED, details: { reason: 'role' } });
    });

    it.each([
      ['a missing argument', { title: 't', project: 'Website' }, 'dueAt'],
      ['an argument nobody declared', { ...task.arguments, projectId: 'p-1' }, 'projectId'],
      ['a date that is not a date', { ...task.arguments, dueAt: 'mañana' }, 'dueAt'],
      ['a priority outside the enum', { ...task.arguments, priority: 'urgent' }, 'priority'],
    ])('%s', async (_label, args, field) => {
      const error = await refused([{ tool: 'createTask', arguments: args }], {});
      expect(error.code).toBe(ErrorCode.INVALID_ARGUMENT);
      expect(error.details.problems).toContain(field);
    });

    it('an unknown tool', async () => {
      expect((await refused([{ tool: 'dropDatabase', arguments: {} }], {})).code).toBe(ErrorCode.INVALID_ARGUMENT);
    });
  });

  it('books calendar events without double booking, and finds events by title', async () => {
    const userId = `u-${randomUUID().slice(0, 6)}`;
    const first = await one({ tool: 'createCalendarEvent', arguments: { title: 'Reunión de Daniela', startsAt: inDays(2, 10) } }, { userId });
    expect(first.ok).toBe(true);
    const clash = await one({ tool: 'createCalendarEvent', arguments: { title: 'Demo', startsAt: inDays(2, 10).replace('10:00', '10:30') } }, { userId });
    expect(clash).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', field: 'startsAt' } });
    // The next free slot in the user's zone (UTC here) and language (Spanish by default), never an instant.
    expect(clash.error!.suggestion).toMatch(/^El siguiente hueco libre es el \p{L}+, \d+ de \p{L}+, 11:00\.$/u);
    const moved = await one({ tool: 'updateCalendarEvent', arguments: { event: 'reunión de daniela', startsAt: inDays(2, 15) } }, { userId });
    expect(moved).toMatchObject({ ok: true, result: { eventId: first.result!.eventId, startsAt: inDays(2, 15), endsAt: inDays(2, 16) } });
    const booked = await one({ tool: 'createCalendarEvent', arguments: { title: 'Demo', startsAt: inDays(2, 10), durationMinutes: 30 } }, { userId });
    expect(booked.ok).toBe(true);
    const listed = await one({ tool: 'listCalendarEvents', arguments: {} }, { userId });
    expect(listed.result).toMatchObject({ count: 2 });
    const deleted = await one({ tool: 'deleteCalendarEvent', arguments: { event: 'Demo' } }, { userId });
    expect(deleted).toMatchObject({ ok: true, result: { deleted: true, title: 'Demo' } });
    const missing = await one({ tool: 'deleteCalendarEvent', arguments: { event: 'Dem' } }, { userId });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(missing.error!.suggestion).toContain('Reunión de Daniela');
  });

  it('lists the tasks created since an instant', async () => {
    const project = await ownProject('Fresh');
    const since = new Date().toISOString();
    await one({ tool: 'createTask', arguments: { title: 'fresh one', project, dueAt: inDays(6) } });
    const listed = await one({ tool: 'listTasks', arguments: { createdSince: since } });
    expect(listed.result).toMatchObject({ count: 1, tasks: [{ title: 'fresh one', project }] });
  });

  it('lists the tasks created up to an instant (a window that closed: "what did I create yesterday")', async () => {
    const project = await ownProject('Closed window');
    await one({ tool: 'createTask', arguments: { title: 'made before', project, dueAt: inDays(6) } });
    const until = new Date().toISOString();
    await one({ tool: 'createTask', arguments: { title: 'made after', project, dueAt: inDays(6) } });
    const listed = await one({ tool: 'listTasks', arguments: { project, createdTo: until } });
    expect(listed.result).toMatchObject({ count: 1, tasks: [{ title: 'made before', project }] });
  });

  it('send_template (seed 000): renders the template with its variables and sends it once; refuses an unknown template or a missing variable', async () => {
    const executionId = randomUUID();
    const call = { tool: 'send_template', arguments: { templateId: 'complaint-acknowledgment', variables: { name: 'Ana' } } };
    const first = await one(call, { executionId, nodeId: 'send-template' });
    expect(first).toMatchObject({ ok: true, replayed: false, result: { templateId: 'complaint-acknowledgment', language: 'es', to: 'u-ana', text: expect.stringMatching(/^Hola Ana, hemos recibido tu queja/) } });
    const again = await one(call, { executionId, nodeId: 'send-template', attempt: 2 });
    expect(again).toMatchObject({ ok: true, replayed: true, result: { messageId: first.result!.messageId } });
    expect(await count(`SELECT count(*) AS n FROM erp.sent_messages WHERE id = $1 AND body LIKE 'Hola Ana,%'`, [first.result!.messageId])).toBe(1);

    const unknown = await one({ tool: 'send_template', arguments: { templateId: 'complaint-acknowledgement' } });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'templateId' } });
    expect(unknown.error!.suggestion).toContain('complaint-acknowledgment');
    const missing = await one({ tool: 'send_template', arguments: { templateId: 'complaint-acknowledgment', variables: {} } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field: 'variables.name' } });
    const badArgs = await invoke([{ tool: 'send_template', arguments: { templateId: 'complaint-acknowledgment', body: 'free text' } }]);
    expect(badArgs.error).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
  });

  it("looks up the names a message may mention: the tenant's projects, users and open tasks, the caller's events of now on, nothing of other tenants", async () => {
    const tenant = `names-${randomUUID().slice(0, 8)}`;
    await one({ tool: 'createProject', arguments: { name: 'Logística' } }, { tenant });
    await one({ tool: 'createUser', arguments: { name: 'Ana García', email: 'ana@names.test' } }, { tenant, roles: ['admin'] });
    await one({ tool: 'createCalendarEvent', arguments: { title: 'Comité', startsAt: inDays(1, 10) } }, { tenant, userId: 'u-ana' });
    await one({ tool: 'createCalendarEvent', arguments: { title: 'Demo de Luis', startsAt: inDays(1, 12) } }, { tenant, userId: 'u-luis' });
    await one({ tool: 'createTask', arguments: { title: 'revisar el stock', project: 'Logística', dueAt: inDays(2) } }, { tenant });
    const done = await one({ tool: 'createTask', arguments: { title: 'cerrar el mes', project: 'Logística', dueAt: inDays(2) } }, { tenant });
    await one({ tool: 'completeTask', arguments: { task: String((done.result as JsonObject)['taskId']) } }, { tenant });
    await one({ tool: 'createProject', arguments: { name: 'Ajeno' } }, { tenant: `${tenant}-other` });
    const { results, error } = await invoke([{ tool: 'lookupNames', arguments: {} }], { tenant, userId: 'u-ana' });
    expect(error).toBeUndefined();
    expect(results[0]).toMatchObject({ tool: 'lookupNames', ok: true, result: { projects: ['Logística'], users: ['Ana García'], events: ['Comité'], tasks: ['revisar el stock'] } });
    // Read-only: it leaves no ledger row, so a retried node simply looks again.
    expect(await count(`SELECT count(*) AS n FROM erp.tool_calls WHERE tenant_id = $1 AND tool = 'lookupNames'`, [tenant])).toBe(0);
  });
});
