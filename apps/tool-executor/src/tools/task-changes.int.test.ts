import type { JsonObject } from '@bufbuild/protobuf';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { bootstrapAgent, type RunningAgent } from '@spine/agent-kit';
import { ToolCallsInputSchema, ToolCallsOutputSchema } from '@spine/contracts';
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
// One instant for every date of the file: a run across midnight computes "in two days" once.
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
interface Options {
  roles?: string[];
  executionId?: string;
  userId?: string;
  attempt?: number;
  language?: string;
}

describe('updateTask and deleteTask over NATS', () => {
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
  });

  afterAll(async () => {
    await db?.end();
    await nc?.close();
    await agent?.shutdown();
  });

  async function one(call: Call, o: Options = {}) {
    const { error, output } = await agents.invoke(
      'tool-executor',
      { input: ToolCallsInputSchema, output: ToolCallsOutputSchema },
      { calls: [call], userId: o.userId ?? 'u-ana', roles: o.roles ?? ['client'], language: o.language ?? 'es', timezone: 'Europe/Madrid' },
      { executionId: o.executionId ?? randomUUID(), nodeId: 'tools', tenantId: 'acme', attempt: o.attempt ?? 1, scope: { allowedTools: ALL_TOOLS } },
    );
    expect(error).toBeUndefined();
    return output!.results[0]!;
  }

  /** A task of the test's own, in a project of its own (tests run in any order): its title and id. */
  async function ownTask(title: string, o: Options = {}) {
    const suffix = randomUUID().slice(0, 8);
    expect((await one({ tool: 'createProject', arguments: { name: `Cambios ${suffix}` } })).ok).toBe(true);
    const created = await one({ tool: 'createTask', arguments: { title: `${title} ${suffix}`, project: `Cambios ${suffix}`, dueAt: inDays(2) } }, o);
    expect(created.ok).toBe(true);
    return { title: `${title} ${suffix}`, id: String(created.result!['taskId']) };
  }
  const row = async (id: string) =>
    (await db.query(`SELECT t.title, t.due_at, t.priority, t.status, u.name AS assignee FROM erp.tasks t LEFT JOIN erp.users u ON u.id = t.assignee_id WHERE t.id = $1`, [id])).rows[0] as
      | { title: string; due_at: Date; priority: string; status: string; assignee: string | null }
      | undefined;

  it('changes only the fields given, on a task named by a loose title, and says so in the result', async () => {
    await one({ tool: 'createUser', arguments: { name: 'Pedro Quiroga', email: `pedro.${randomUUID().slice(0, 6)}@acme.test` } }, { roles: ['admin'] });
    const task = await ownTask('enviar las facturas de noviembre');
    const res = await one({ tool: 'updateTask', arguments: { task: task.title.toUpperCase(), dueAt: inDays(5, 22), assignee: 'Pedro Quiroga', priority: 'high' } });
    expect(res).toMatchObject({ ok: true, result: { taskId: task.id, title: task.title, dueAt: inDays(5, 22), priority: 'high', assignee: 'Pedro Quiroga', changed: ['dueAt', 'assignee', 'priority'] } });
    expect(await row(task.id)).toMatchObject({ title: task.title, priority: 'high', assignee: 'Pedro Quiroga', status: 'open' });
    expect(new Date((await row(task.id))!.due_at).toISOString()).toBe(inDays(5, 22));

    const renamed = await one({ tool: 'updateTask', arguments: { task: task.id, title: '  cobrar las facturas  ' } });
    expect(renamed).toMatchObject({ ok: true, result: { title: 'cobrar las facturas', priority: 'high', changed: ['title'] } });
    expect(await row(task.id)).toMatchObject({ title: 'cobrar las facturas', priority: 'high', assignee: 'Pedro Quiroga' });
  });

  it('refuses a past due date, an assignee outside the tenant, an unknown task, a done task and a call that changes nothing, storing nothing', async () => {
    const task = await ownTask('revisar el contrato');
    const before = await row(task.id);
    const past = await one({ tool: 'updateTask', arguments: { task: task.title, dueAt: inDays(-1) } });
    expect(past).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', field: 'dueAt' } });
    expect(past.error!.message).toMatch(/^la fecha límite \(.*\) ya pasó$/);
    expect(past.error!.message).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    const stranger = await one({ tool: 'updateTask', arguments: { task: task.title, assignee: 'Zebedeo Nadie', priority: 'low' } });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'assignee' } });
    const unknown = await one({ tool: 'updateTask', arguments: { task: 'pintar la fachada xq', priority: 'low' } }, { language: 'en' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'task', message: `I can't find the task "pintar la fachada xq"` } });
    const nothing = await one({ tool: 'updateTask', arguments: { task: task.title } });
    expect(nothing).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field: 'task' } });
    expect(await row(task.id)).toEqual(before);

    expect((await one({ tool: 'completeTask', arguments: { task: task.id } })).ok).toBe(true);
    const done = await one({ tool: 'updateTask', arguments: { task: task.id, priority: 'high' } });
    expect(done).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', field: 'task' } });
    expect((await row(task.id))!.priority).toBe('medium');
  });

  it('runs a repeated updateTask or deleteTask once: the retry answers from the ledger', async () => {
    const task = await ownTask('idempotente');
    const executionId = randomUUID();
    const call = { tool: 'updateTask', arguments: { task: task.title, priority: 'low' } };
    const first = await one(call, { executionId });
    // The same call changed meanwhile would now be refused (renamed): a replay must not run it again.
    await db.query(`UPDATE erp.tasks SET title = 'otro título', priority = 'high' WHERE id = $1`, [task.id]);
    const again = await one(call, { executionId, attempt: 2 });
    expect(again).toMatchObject({ ok: true, replayed: true, result: { taskId: first.result!['taskId'], priority: 'low' } });
    expect((await row(task.id))!.priority).toBe('high');

    const gone = await ownTask('borrable');
    const del = { tool: 'deleteTask', arguments: { task: gone.title } };
    const deleteId = randomUUID();
    expect(await one(del, { executionId: deleteId })).toMatchObject({ ok: true, replayed: false, result: { taskId: gone.id, deleted: true } });
    expect(await one(del, { executionId: deleteId, attempt: 2 })).toMatchObject({ ok: true, replayed: true, result: { taskId: gone.id } });
    expect(await row(gone.id)).toBeUndefined();
  });

  it("deletes a task its creator or an admin names; refuses someone else's task to anyone else, and an unknown one", async () => {
    const mine = await ownTask('probar el backup');
    expect(await one({ tool: 'deleteTask', arguments: { task: mine.title } })).toMatchObject({ ok: true, result: { title: mine.title, deleted: true } });
    expect(await row(mine.id)).toBeUndefined();

    const theirs = await ownTask('revisar nóminas', { userId: 'u-pedro' });
    const refused = await one({ tool: 'deleteTask', arguments: { task: theirs.title } }, { userId: 'u-ana', language: 'en' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION', field: 'task', message: `the task "${theirs.title}" was created by someone else` } });
    expect(await row(theirs.id)).toBeDefined();
    expect(await one({ tool: 'deleteTask', arguments: { task: theirs.id } }, { userId: 'u-ana', roles: ['admin'] })).toMatchObject({ ok: true });
    expect(await row(theirs.id)).toBeUndefined();

    const unknown = await one({ tool: 'deleteTask', arguments: { task: 'una tarea que no existe qz' } });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'task' } });
  });
});
