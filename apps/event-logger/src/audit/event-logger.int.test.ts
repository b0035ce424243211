import { create, toBinary, type JsonObject } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { bootstrapAgent, type RunningAgent } from '@spine/agent-kit';
import {
  AuditQuerySchema,
  AuditTrailSchema,
  ContextPackSchema,
  ErrorCode,
  ExecutionEventSchema,
  ExecutionState,
  RetrievalInputSchema,
  streams,
  subjects,
  type ExecutionEvent,
} from '@spine/contracts';
import { AgentClient, ProtoClient } from '@spine/messaging';
import { runMigrations } from '@spine/persistence';
import { createDatabase, freePort, SOURCE_NODE_ARGS, startService, waitFor } from '@spine/testing';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventLoggerAgent } from '../event-logger.agent.js';
import { loadConfig } from '../event-logger.config.js';
import { auditDataSource, EventLoggerModule } from '../event-logger.module.js';
import { AuditHandler } from './audit.handler.js';

const durable = `event-logger-test-${randomUUID().slice(0, 8)}`;
let logger: RunningAgent;
let nc: NatsConnection;
let js: JetStreamClient;
let agents: AgentClient;
let db: pg.Client;

beforeAll(async () => {
  const databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'audit');
  await runMigrations(auditDataSource(databaseUrl));
  const env = { NATS_URL: inject('natsUrl'), HTTP_PORT: '0', LOG_LEVEL: 'error', REGISTRY_TIMEOUT_MS: '200', DATABASE_URL: databaseUrl, EVENT_LOGGER_DURABLE: durable, SUMMARY_POLL_MS: '200', SUMMARY_UPSERT_TIMEOUT_MS: '2000' };
  logger = await bootstrapAgent({ agent: eventLoggerAgent, module: EventLoggerModule.with(loadConfig(env)), handler: AuditHandler, env, handleSignals: false });
  nc = await connect({ servers: inject('natsUrl') });
  js = jetstream(nc);
  agents = new AgentClient(new ProtoClient(nc, 10_000));
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await logger?.shutdown();
  // Best-effort cleanup: the consumer may never have been created.
  if (nc) await (await jetstreamManager(nc)).consumers.delete(streams.executionEvents.name, durable).catch(() => undefined);
  await nc?.close();
});

/** The real Cerebro (apps/retrieval), as its own process run from source. */
async function startRetrieval(): Promise<{ agent: { shutdown(): Promise<unknown> }; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'spine-event-logger-'));
  const port = await freePort();
  const service = await startService({
    name: 'retrieval',
    entry: fileURLToPath(new URL('../../../retrieval/src/main.ts', import.meta.url)),
    nodeArgs: [...SOURCE_NODE_ARGS],
    cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
    env: { NATS_URL: inject('natsUrl'), HTTP_PORT: String(port), LOG_LEVEL: 'error', REGISTRY_TIMEOUT_MS: '200', VECTOR_DIR: dir },
    readyUrl: `http://127.0.0.1:${port}/health/live`,
  });
  return { agent: { shutdown: () => service.stop(5_000) }, dir };
}

function event(tenant: string, execution: string, sequence: number, kind: ExecutionEvent['kind']): ExecutionEvent {
  return create(ExecutionEventSchema, { executionId: execution, tenantId: tenant, sequence: BigInt(sequence), at: timestampFromDate(new Date()), kind });
}

const state = (current: ExecutionState, memory?: { conversationId: string; userId: string }): ExecutionEvent['kind'] => ({
  case: 'stateChanged',
  value: { $typeName: 'spine.execution.v1.StateChanged', previous: ExecutionState.UNSPECIFIED, current, ...(memory ? { memory: { $typeName: 'spine.execution.v1.ExecutionMemory', ...memory } } : {}) },
});

/** The events of a successful "create a task" flow, as the orchestrator logs them: by default of a flow with memory, for u-ana. */
function successfulFlow(tenant: string, execution: string, memory: { conversationId: string; userId: string } | null = { conversationId: 'c-1', userId: 'u-ana' }): ExecutionEvent[] {
  const started = (nodeId: string, agent: string): ExecutionEvent['kind'] => ({ case: 'nodeStarted', value: { $typeName: 'spine.execution.v1.NodeStarted', nodeId, agent, attempt: 1 } });
  const completed = (nodeId: string, output: JsonObject): ExecutionEvent['kind'] => ({ case: 'nodeCompleted', value: { $typeName: 'spine.execution.v1.NodeCompleted', nodeId, output, durationMs: 5 } });
  const kinds: ExecutionEvent['kind'][] = [
    state(ExecutionState.RECEIVED),
    started('intake', 'intake'),
    completed('intake', { text: 'crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website', language: 'es', tenantId: tenant, userId: 'u-ana' }),
    started('planner', 'planner'),
    completed('planner', { flowType: 'CreateTask', ready: true }),
    started('tools', 'tool-executor'),
    completed('tools', { results: [{ tool: 'createTask', callIndex: 0, ok: true, result: { taskId: 'task-42', title: 'revisar el contrato', projectId: 'project-7', project: 'Website' } }] }),
    state(ExecutionState.DONE, memory ?? undefined),
  ];
  return kinds.map((k, i) => event(tenant, execution, i + 1, k));
}

async function publish(e: ExecutionEvent, msgID = `${e.executionId}:${e.sequence}`): Promise<void> {
  await js.publish(subjects.executionEvents(e.tenantId, e.executionId), toBinary(ExecutionEventSchema, e), { msgID });
}

function audit(tenantId: string, executionId: string) {
  return agents.invoke('event-logger', { input: AuditQuerySchema, output: AuditTrailSchema }, { executionId }, { executionId: randomUUID(), nodeId: 'audit', tenantId });
}

async function summaryRow(tenant: string, execution: string) {
  const { rows } = await db.query<{ attempts: number; indexed: boolean; last_error: string }>(
    `SELECT attempts, indexed_at IS NOT NULL AS indexed, last_error FROM event_logger.summaries WHERE tenant_id = $1 AND execution_id = $2`,
    [tenant, execution],
  );
  return rows[0];
}

describe('event-logger: audit trail from JetStream', () => {
  it('logs published events as audit rows, in sequence order', async () => {
    const execution = randomUUID();
    for (const e of successfulFlow('acme', execution).slice(0, 5)) await publish(e);
    const trail = await waitFor(async () => {
      const { output } = await audit('acme', execution);
      return output && output.entries.length === 5 ? output : undefined;
    }, { what: 'five audit rows' });
    expect(trail.entries.map((e) => [Number(e.sequence), e.kind, e.state, e.nodeId])).toEqual([
      [1, 'state_changed', 'RECEIVED', ''],
      [2, 'node_started', '', 'intake'],
      [3, 'node_completed', '', 'intake'],
      [4, 'node_started', '', 'planner'],
      [5, 'node_completed', '', 'planner'],
    ]);
    expect(trail.summaryIndexed).toBe(false);
  });

  it('logs an event delivered twice once', async () => {
    const execution = randomUUID();
    const [first] = successfulFlow('acme', execution);
    // Distinct message ids: JetStream stores both, so the consumer sees the event twice.
    await publish(first!, 'copy-1');
    await publish(first!, 'copy-2');
    const second = event('acme', execution, 2, state(ExecutionState.TRIAGED));
    await publish(second);
    await waitFor(async () => (await db.query(`SELECT 1 FROM event_logger.audit_events WHERE execution_id = $1 AND sequence = 2`, [execution])).rowCount === 1, { what: 'the later event' });
    const { rows } = await db.query<{ sequence: string }>(`SELECT sequence FROM event_logger.audit_events WHERE execution_id = $1 ORDER BY sequence`, [execution]);
    expect(rows.map((r) => Number(r.sequence))).toEqual([1, 2]);
  });

  it("answers an audit query for the caller's tenant only", async () => {
    const execution = randomUUID();
    for (const e of successfulFlow('acme', execution).slice(0, 3)) await publish(e);
    await waitFor(async () => (await audit('acme', execution)).output?.entries.length === 3, { what: 'acme rows' });
    const other = await audit('globex', execution);
    expect(other.error).toBeUndefined();
    expect(other.output?.entries).toEqual([]);
  });

  it('refuses an event whose payload names another tenant than its subject', async () => {
    const execution = randomUUID();
    const forged = event('globex', execution, 1, state(ExecutionState.RECEIVED));
    await js.publish(subjects.executionEvents('acme', execution), toBinary(ExecutionEventSchema, forged));
    const genuine = event('acme', execution, 2, state(ExecutionState.TRIAGED));
    await publish(genuine);
    await waitFor(async () => (await audit('acme', execution)).output?.entries.length === 1, { what: 'the genuine event' });
    expect((await audit('globex', execution)).output?.entries).toEqual([]);
    expect((await audit('acme', execution)).output?.entries.map((e) => Number(e.sequence))).toEqual([2]);
  });

  it('refuses a malformed query with INVALID_ARGUMENT', async () => {
    expect((await audit('acme', 'not a valid id!')).error).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
  });
});

describe('event-logger: Cerebro summaries of DONE executions', () => {
  it('keeps the summary pending while Cerebro is down and upserts it once Cerebro is back', async () => {
    const tenant = `down-${randomUUID().slice(0, 8)}`;
    const execution = randomUUID();
    for (const e of successfulFlow(tenant, execution)) await publish(e);
    // The audit trail does not wait for Cerebro.
    await waitFor(async () => (await audit(tenant, execution)).output?.entries.length === 8, { what: 'the audit trail' });
    await waitFor(async () => ((await summaryRow(tenant, execution))?.attempts ?? 0) >= 1, { what: 'a failed upsert attempt' });
    expect(await summaryRow(tenant, execution)).toMatchObject({ indexed: false });
    const cerebro = await startRetrieval();
    try {
      await waitFor(async () => (await summaryRow(tenant, execution))?.indexed, { what: 'the summary indexed' });
      const { output } = await agents.invoke('retrieval', { input: RetrievalInputSchema, output: ContextPackSchema }, { query: 'tarea revisar el contrato', filter: { kind: 'summary' }, userId: 'u-ana' }, { executionId: randomUUID(), nodeId: 'q', tenantId: tenant });
      expect(output?.snippets.map((s) => s.documentId)).toContain(`summary-${execution}`);
    } finally {
      await cerebro.agent.shutdown();
      await rm(cerebro.dir, { recursive: true, force: true });
    }
  });

  describe('with Cerebro up', () => {
    let cerebro: Awaited<ReturnType<typeof startRetrieval>>;
    beforeAll(async () => {
      cerebro = await startRetrieval();
    });
    afterAll(async () => {
      await cerebro?.agent.shutdown();
      if (cerebro) await rm(cerebro.dir, { recursive: true, force: true });
    });

    const search = (tenantId: string, query: string, filter: Record<string, string> = {}, userId = 'u-ana') =>
      agents.invoke('retrieval', { input: RetrievalInputSchema, output: ContextPackSchema }, { query, limit: 5, filter, userId }, { executionId: randomUUID(), nodeId: 'q', tenantId });

    it('makes a DONE execution findable: "¿qué tareas creé hoy?" finds its summary with the tool result ids', async () => {
      const tenant = `t-${randomUUID().slice(0, 8)}`;
      const execution = randomUUID();
      expect((await agents.invoke('retrieval', { input: RetrievalInputSchema, output: ContextPackSchema }, { ingestPack: 'erp-starter' }, { executionId: randomUUID(), nodeId: 'i', tenantId: tenant })).error).toBeUndefined();
      const flow = successfulFlow(tenant, execution);
      for (const e of flow) await publish(e);
      await waitFor(async () => (await audit(tenant, execution)).output?.summaryIndexed, { what: 'summaryIndexed' });
      // The summary's date is the DONE event's: taken from that event, not from the clock now (a run may cross midnight).
      const doneDate = timestampDate(flow.at(-1)!.at!).toISOString().slice(0, 10);
      const { output } = await search(tenant, '¿qué tareas creé hoy?');
      const hit = output?.snippets.find((s) => s.documentId === `summary-${execution}`);
      expect(hit).toBeDefined();
      expect(hit).toMatchObject({ kind: 'summary', language: 'es', metadata: { executionId: execution, flowType: 'CreateTask', tools: 'createTask', ids: 'taskId=task-42,projectId=project-7', date: doneDate, conversationId: 'c-1', userId: 'u-ana' } });
      expect(hit!.text).toContain('Tarea creada «revisar el contrato» en el proyecto Website');
      // Another tenant's Cerebro never sees it.
      const other = await search('acme', '¿qué tareas creé hoy?', { kind: 'summary' });
      expect(other.output?.snippets.map((s) => s.documentId)).not.toContain(`summary-${execution}`);
    });

    it("is found for its user only: another user of the same tenant, or a search naming no user, does not see it", async () => {
      const tenant = `t-${randomUUID().slice(0, 8)}`;
      const execution = randomUUID();
      for (const e of successfulFlow(tenant, execution)) await publish(e);
      await waitFor(async () => (await audit(tenant, execution)).output?.summaryIndexed, { what: 'summaryIndexed' });
      const ids = async (userId: string) => (await search(tenant, '¿qué hice hoy? tarea revisar el contrato', {}, userId)).output?.snippets.map((s) => s.documentId);
      expect(await ids('u-ana')).toContain(`summary-${execution}`);
      expect(await ids('u-bob')).not.toContain(`summary-${execution}`);
      expect(await ids('')).not.toContain(`summary-${execution}`);
    });

    it('writes no summary for a flow without memory', async () => {
      const tenant = `t-${randomUUID().slice(0, 8)}`;
      const execution = randomUUID();
      for (const e of successfulFlow(tenant, execution, null)) await publish(e);
      await waitFor(async () => (await audit(tenant, execution)).output?.entries.length === 8, { what: 'the audit trail, DONE included' });
      expect(await summaryRow(tenant, execution)).toBeUndefined();
    });

    it('does not summarise an execution that has not reached DONE', async () => {
      const tenant = `t-${randomUUID().slice(0, 8)}`;
      const execution = randomUUID();
      for (const e of successfulFlow(tenant, execution).slice(0, 7)) await publish(e);
      await waitFor(async () => (await audit(tenant, execution)).output?.entries.length === 7, { what: 'seven rows' });
      expect(await summaryRow(tenant, execution)).toBeUndefined();
    });
  });
});
