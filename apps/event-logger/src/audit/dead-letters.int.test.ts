import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { bootstrapAgent, type RunningAgent } from '@spine/agent-kit';
import { ExecutionEventSchema, ExecutionState, streams, subjects, SpineError, ErrorCode, type ExecutionEvent } from '@spine/contracts';
import { listDeadLetters, replayDeadLetter } from '@spine/messaging';
import { runMigrations } from '@spine/persistence';
import { createDatabase, waitFor } from '@spine/testing';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventLoggerAgent } from '../event-logger.agent.js';
import { loadConfig } from '../event-logger.config.js';
import { auditDataSource, EventLoggerModule } from '../event-logger.module.js';
import { AuditHandler } from './audit.handler.js';

// A poison message (one the audit cannot write, however often it is delivered) used to be redelivered forever
// (max_deliver -1). Now it is retried a bounded number of times, then moved to DEAD_LETTERS, from where it replays.
describe('event-logger: poison events go to DEAD_LETTERS and replay from there', () => {
  const durable = `event-logger-dl-${randomUUID().slice(0, 8)}`;
  const tenant = `dl-${randomUUID().slice(0, 8)}`;
  let logger: RunningAgent;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let db: pg.Client;
  let baseline: { failed: number; malformed: number };

  const stateEvent = (execution: string, sequence: number): ExecutionEvent =>
    create(ExecutionEventSchema, {
      executionId: execution, tenantId: tenant, sequence: BigInt(sequence), at: timestampFromDate(new Date()),
      kind: { case: 'stateChanged', value: { $typeName: 'spine.execution.v1.StateChanged', previous: ExecutionState.UNSPECIFIED, current: ExecutionState.RECEIVED } },
    });
  const publish = (subject: string, data: Uint8Array) => js.publish(subject, data, { msgID: randomUUID() });
  const logged = async (execution: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event_logger.audit_events WHERE tenant_id = $1 AND execution_id = $2`, [tenant, execution])).rows[0]!.n;
  /** Publishes an event the audit refuses until `fix()`, and waits until it is dead-lettered. */
  const poisoned = async () => {
    const execution = `poison-${randomUUID().slice(0, 8)}`;
    await db.query(`INSERT INTO event_logger.refused VALUES ($1)`, [execution]);
    await publish(subjects.executionEvents(tenant, execution), toBinary(ExecutionEventSchema, stateEvent(execution, 1)));
    const letter = await waitFor(async () => (await listDeadLetters(jsm, tenant, { limit: 100 })).find((d) => d.subject === subjects.executionEvents(tenant, execution)), {
      what: `${execution} dead-lettered`, timeoutMs: 120_000,
    });
    return { execution, letter, fix: () => db.query(`DELETE FROM event_logger.refused WHERE execution_id = $1`, [execution]) };
  };
  const metric = async () => {
    const text = await (await fetch(`${logger.httpUrl}/metrics`)).text();
    const line = (reason: string) => text.split('\n').find((l) => l.startsWith('spine_dead_letters_total{') && l.includes(`consumer="${durable}"`) && l.includes(`reason="${reason}"`));
    return { failed: Number(line('failed')?.split(' ').at(-1) ?? 0), malformed: Number(line('malformed')?.split(' ').at(-1) ?? 0) };
  };

  beforeAll(async () => {
    const databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'audit');
    await runMigrations(auditDataSource(databaseUrl));
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    // A fault the audit cannot get past by retrying: the table refuses the executions listed in `refused` (each test
    // lists its own, and deletes the row to "fix" the fault).
    await db.query(`CREATE TABLE event_logger.refused (execution_id text PRIMARY KEY)`);
    await db.query(`CREATE FUNCTION event_logger.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF EXISTS (SELECT 1 FROM event_logger.refused r WHERE r.execution_id = NEW.execution_id) THEN
        RAISE EXCEPTION 'audit refuses %', NEW.execution_id; END IF; RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER refuse_poison BEFORE INSERT ON event_logger.audit_events FOR EACH ROW EXECUTE FUNCTION event_logger.refuse_poison()`);
    const env = {
      NATS_URL: inject('natsUrl'), HTTP_PORT: '0', LOG_LEVEL: 'fatal', REGISTRY_TIMEOUT_MS: '200', DATABASE_URL: databaseUrl, EVENT_LOGGER_DURABLE: durable,
      EVENT_MAX_DELIVER: '3', EVENT_RETRY_BASE_MS: '20', EVENT_RETRY_MAX_MS: '100', SUMMARY_POLL_MS: '60000',
    };
    logger = await bootstrapAgent({ agent: eventLoggerAgent, module: EventLoggerModule.with(loadConfig(env)), handler: AuditHandler, env, handleSignals: false });
    nc = await connect({ servers: inject('natsUrl') });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    // The new durable consumer starts with whatever earlier suites left in the stream (and they may still publish):
    // what is checked below is this file's own tenant, and the counter only as going up.
    baseline = await metric();
  });

  afterAll(async () => {
    await logger?.shutdown();
    if (jsm) await jsm.consumers.delete(streams.executionEvents.name, durable).catch(() => undefined); // best effort: the test's own consumer
    await db?.end();
    await nc?.close();
  });

  it('retries a failing event MAX_DELIVER times, then dead-letters it while the next events go on being logged', async () => {
    const fine = `fine-${randomUUID().slice(0, 8)}`;
    const [{ execution: poison, letter }] = await Promise.all([
      poisoned(),
      publish(subjects.executionEvents(tenant, fine), toBinary(ExecutionEventSchema, stateEvent(fine, 1))),
    ]);
    await waitFor(async () => (await logged(fine)) === 1, { what: 'the healthy event logged', timeoutMs: 120_000 });
    expect((await listDeadLetters(jsm, tenant, { limit: 100 })).filter((d) => d.subject === letter.subject)).toHaveLength(1);
    expect(letter).toMatchObject({ consumer: durable, deliveries: 3, stream: streams.executionEvents.name, reason: expect.stringMatching(/not logged after 3 deliveries: .*audit refuses/) });
    expect(await logged(poison)).toBe(0);
    expect((await metric()).failed - baseline.failed).toBeGreaterThanOrEqual(1);
  });

  it('dead-letters an event that cannot be decoded at once', async () => {
    const garbage = `garbage-${randomUUID().slice(0, 8)}`;
    await publish(subjects.executionEvents(tenant, garbage), new TextEncoder().encode('this is not protobuf \u00ff\u00fe'));
    const letter = await waitFor(async () => (await listDeadLetters(jsm, tenant, { limit: 100 })).find((d) => d.subject.endsWith(garbage)), { what: 'the garbage dead-lettered', timeoutMs: 120_000 });
    expect(letter).toMatchObject({ deliveries: 1, reason: expect.stringMatching(/^malformed event/) });
    expect((await metric()).malformed - baseline.malformed).toBeGreaterThanOrEqual(1);
  });

  it('replays a dead letter once the fault is fixed: it is logged and leaves DEAD_LETTERS; another tenant cannot replay it', async () => {
    const { execution, letter, fix } = await poisoned();

    const other = await replayDeadLetter(nc, jsm, 'another-tenant', letter.seq).then(() => undefined, (e: unknown) => e);
    expect(other).toBeInstanceOf(SpineError);
    expect((other as SpineError).code).toBe(ErrorCode.NOT_FOUND);

    await fix();
    await replayDeadLetter(nc, jsm, tenant, letter.seq);
    await waitFor(async () => (await logged(execution)) === 1, { what: 'the replayed event logged', timeoutMs: 120_000 });
    expect((await listDeadLetters(jsm, tenant, { limit: 100 })).map((d) => d.seq)).not.toContain(letter.seq);
  });

  it('pages the list with afterSeq and limit', async () => {
    const junk = Array.from({ length: 4 }, (_, i) => subjects.executionEvents(tenant, `junk-${i}-${randomUUID().slice(0, 4)}`));
    for (const subject of junk) await publish(subject, new Uint8Array([0xff, 0xff, 0xff]));
    await waitFor(async () => {
      const subjectsListed = new Set((await listDeadLetters(jsm, tenant, { limit: 100 })).map((d) => d.subject));
      return junk.every((s) => subjectsListed.has(s));
    }, { what: 'four dead letters', timeoutMs: 120_000 });
    const all = await listDeadLetters(jsm, tenant, { limit: 100 });
    const first = await listDeadLetters(jsm, tenant, { limit: 2 });
    const rest = await listDeadLetters(jsm, tenant, { afterSeq: first.at(-1)!.seq, limit: 100 });
    expect([...first, ...rest].map((d) => d.seq)).toEqual(all.map((d) => d.seq));
    expect(await listDeadLetters(jsm, `nobody-${randomUUID().slice(0, 8)}`, { limit: 10 })).toEqual([]);
  });
});
