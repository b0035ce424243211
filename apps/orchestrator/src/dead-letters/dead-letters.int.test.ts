import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { streams, subjects } from '@spine/contracts';
import { DeadLetterHeader, ensureStream, publishOnce } from '@spine/messaging';
import { runMigrations } from '@spine/persistence';
import { createDatabase } from '@spine/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { startOrchestrator, type RunningOrchestrator } from '../orchestrator.app.js';
import { loadConfig } from '../orchestrator.config.js';
import { orchestratorDataSource } from '../orchestrator.module.js';

type Body = Record<string, unknown>;

describe('GET /v1/admin/dead-letters and replay', () => {
  const tenant = `dlapi-${randomUUID().slice(0, 8)}`;
  const execution = randomUUID();
  let orchestrator: RunningOrchestrator;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let admin: string;
  let client: string;
  let otherAdmin: string;

  const call = async (path: string, token: string, method = 'GET') => {
    const res = await fetch(`${orchestrator.httpUrl}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Body };
  };

  /** What the event-logger writes when it gives up on an event. */
  const deadLetter = async (payload: string) => {
    const h = headers();
    h.set(DeadLetterHeader.Subject, subjects.executionEvents(tenant, execution));
    h.set(DeadLetterHeader.Stream, streams.executionEvents.name);
    h.set(DeadLetterHeader.StreamSeq, '41');
    h.set(DeadLetterHeader.Consumer, 'event-logger');
    h.set(DeadLetterHeader.Reason, 'not logged after 8 deliveries: boom');
    h.set(DeadLetterHeader.Deliveries, '8');
    return (await publishOnce(nc, subjects.deadLetter(tenant, 'event-logger'), new TextEncoder().encode(payload), randomUUID(), h)).seq;
  };

  beforeAll(async () => {
    const databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'orch');
    await runMigrations(orchestratorDataSource(databaseUrl));
    orchestrator = await startOrchestrator(loadConfig({ NATS_URL: inject('natsUrl'), DATABASE_URL: databaseUrl, HTTP_PORT: '0', LOG_LEVEL: 'fatal' }));
    const keys = orchestrator.app.get(ApiKeysService);
    admin = (await keys.create(tenant, 'admin', 'a')).token;
    client = (await keys.create(tenant, 'client', 'c')).token;
    otherAdmin = (await keys.create(`${tenant}-other`, 'admin', 'o')).token;
    nc = await connect({ servers: inject('natsUrl') });
    jsm = await jetstreamManager(nc);
    await ensureStream(jsm, streams.deadLetters);
    await ensureStream(jsm, streams.executionEvents);
  });

  afterAll(async () => {
    await orchestrator?.close();
    await nc?.close();
  });

  it("lists the tenant's dead letters to its admins only", async () => {
    const seq = await deadLetter('payload-1');
    const listed = await call('/v1/admin/dead-letters', admin);
    expect(listed.status).toBe(200);
    expect(listed.body['deadLetters']).toEqual([
      expect.objectContaining({ seq, consumer: 'event-logger', subject: subjects.executionEvents(tenant, execution), streamSeq: 41, deliveries: 8, reason: 'not logged after 8 deliveries: boom', data: Buffer.from('payload-1').toString('base64') }),
    ]);
    expect((await call('/v1/admin/dead-letters', client)).status).toBe(403);
    expect((await call('/v1/admin/dead-letters', otherAdmin)).body['deadLetters']).toEqual([]);
    expect((await call('/v1/admin/dead-letters?limit=1000', admin)).status).toBe(400);
  });

  it('replays one where it came from and removes it; another tenant gets 404', async () => {
    const seq = await deadLetter('payload-2');
    expect((await call(`/v1/admin/dead-letters/${seq}/replay`, otherAdmin, 'POST')).status).toBe(404);
    const before = (await jsm.streams.info(streams.executionEvents.name)).state.last_seq;
    const replayed = await call(`/v1/admin/dead-letters/${seq}/replay`, admin, 'POST');
    expect(replayed).toMatchObject({ status: 200, body: { replayed: { seq } } });
    const stored = await jsm.streams.getMessage(streams.executionEvents.name, { last_by_subj: subjects.executionEvents(tenant, execution) });
    expect(stored?.seq).toBeGreaterThan(before);
    expect(new TextDecoder().decode(stored!.data)).toBe('payload-2');
    const left = (await call('/v1/admin/dead-letters', admin)).body['deadLetters'] as Body[];
    expect(left.map((d) => d['seq'])).not.toContain(seq);
    expect((await call(`/v1/admin/dead-letters/${seq}/replay`, admin, 'POST')).status).toBe(404);
  });
});
