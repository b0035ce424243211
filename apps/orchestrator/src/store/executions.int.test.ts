import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ErrorCode } from '@spine/contracts';
import { appDataSourceOptions, runMigrations } from '@spine/persistence';
import { createDatabase, waitFor } from '@spine/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ORCHESTRATOR_CONFIG } from '../orchestrator.config.js';
import { orchestratorDataSource } from '../orchestrator.module.js';
import type { Lease } from './execution.model.js';
import { ExecutionsRepository } from './executions.repository.js';
import { LeasesRepository } from './leases.repository.js';
import type { StepOp } from './step-commits.js';

class ExecutionsTestModule {}

describe('executions: durable state, leases with fencing, append-only events', () => {
  let ctx: INestApplicationContext;
  let executions: ExecutionsRepository;
  let leases: LeasesRepository;

  const newExecution = async (tenantId = 'acme') => {
    return (await executions.db.transaction((tx) => executions.create(tx, { tenantId, flowId: 'support', flowVersion: 1, input: { text: 'hola' } })))!;
  };
  const drainClaims = async () => {
    while ((await leases.claim('sweeper', 60_000, 100)).length > 0);
  };

  beforeAll(async () => {
    const url = await createDatabase(inject('postgresAdminUrl'), 'exec');
    await runMigrations(orchestratorDataSource(url));
    ctx = await NestFactory.createApplicationContext(
      { module: ExecutionsTestModule, imports: [TypeOrmModule.forRoot(appDataSourceOptions(orchestratorDataSource(url)))], providers: [ExecutionsRepository, LeasesRepository, { provide: ORCHESTRATOR_CONFIG, useValue: { COMMIT_CONCURRENCY: 2, COMMIT_BATCH_MAX: 64 } }] },
      { logger: false },
    );
    executions = ctx.get(ExecutionsRepository);
    leases = ctx.get(LeasesRepository);
    for (const tenant of ['acme', 'globex']) await executions.saveFlowVersion(executions.db, tenant, 'support', 1, { nodes: [] });
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('creates an execution in RECEIVED with its first event, visible only to its tenant', async () => {
    const e = await newExecution();
    expect(e.state).toBe('RECEIVED');
    expect(await executions.eventsAfter('acme', e.id, 0)).toMatchObject([{ seq: 1, type: 'state_changed', payload: { previous: null, current: 'RECEIVED' } }]);
    expect(await executions.get('globex', e.id)).toBeUndefined();
    expect(await executions.eventsAfter('globex', e.id, 0)).toEqual([]);
  });

  it('pins the version asked for, or the latest, and creates nothing for a flow the tenant does not have', async () => {
    await executions.saveFlowVersion(executions.db, 'acme', 'pinned', 1, { nodes: [] });
    await executions.saveFlowVersion(executions.db, 'acme', 'pinned', 2, { nodes: [] });
    const create = (tenantId: string, flowVersion?: number) => executions.create(executions.db, { tenantId, flowId: 'pinned', ...(flowVersion ? { flowVersion } : {}), input: {} });
    expect((await create('acme'))?.flowVersion).toBe(2);
    expect((await create('acme', 1))?.flowVersion).toBe(1);
    const before = await executions.db.query(`SELECT count(*)::int AS n FROM orchestrator.executions`);
    expect(await create('acme', 3)).toBeUndefined();
    expect(await create('globex')).toBeUndefined();
    expect(await executions.db.query(`SELECT count(*)::int AS n FROM orchestrator.executions`)).toEqual(before);
  });

  it('hands each runnable execution to one replica only', async () => {
    await drainClaims();
    const created = await Promise.all(Array.from({ length: 10 }, () => newExecution()));
    const [a, b] = await Promise.all([leases.claim('replica-a', 60_000, 6), leases.claim('replica-b', 60_000, 6)]);
    const ids = [...a, ...b].map((l) => l.executionId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(created.map((e) => e.id).sort());
  });

  it('gives an expired lease to the next replica and fences off the old one', async () => {
    await drainClaims();
    const e = await newExecution();
    const [old] = (await leases.claim('replica-a', 50, 10)).filter((l) => l.executionId === e.id);
    await leases.commitStep(old!, [{ op: 'start', node: 'intake', input: { text: 'hola' } }], true);
    // The 50 ms lease expires by the database's clock: claim until replica-b gets it.
    const [next] = await waitFor(async () => {
      const mine = (await leases.claim('replica-b', 60_000, 10)).filter((l) => l.executionId === e.id);
      return mine.length > 0 && mine;
    }, { intervalMs: 20, what: `replica-b to claim ${e.id} once replica-a's lease expired` });
    expect(BigInt(next!.token)).toBeGreaterThan(BigInt(old!.token));
    const stale = await leases.commitStep(old!, [{ op: 'finish', node: 'intake', state: 'succeeded', output: { text: 'stale' } }], true).catch((err: unknown) => err);
    expect(stale).toMatchObject({ code: ErrorCode.FAILED_PRECONDITION, details: { reason: 'lease_lost' } });
    expect(await leases.renew(old!, 60_000)).toBe(false);
    expect((await executions.get('acme', e.id))!.nodes).toMatchObject([{ nodeId: 'intake', state: 'running', output: null }]);
    await leases.commitStep(next!, [{ op: 'finish', node: 'intake', state: 'succeeded', output: { text: 'hola' } }], true);
    const settled = (await executions.get('acme', e.id))!.nodes.filter((n) => n.state === 'succeeded' || n.state === 'skipped');
    expect(settled.map((n) => n.nodeId)).toEqual(['intake']);
  });

  it('never claims a finished execution, nor one waiting for input', async () => {
    await drainClaims();
    const done = await newExecution();
    const waiting = await newExecution();
    const claimed = await leases.claim('replica-a', 60_000, 10);
    const lease = (id: string) => claimed.find((l) => l.executionId === id)!;
    await leases.commitStep(lease(done.id), [{ op: 'state', from: 'RECEIVED', to: 'DONE' }], false);
    await leases.commitStep(lease(waiting.id), [{ op: 'state', from: 'RECEIVED', to: 'WAITING_INPUT' }], false);
    await sleep(10);
    const later = await leases.claim('replica-b', 60_000, 100);
    expect(later.map((l) => l.executionId)).not.toContain(done.id);
    expect(later.map((l) => l.executionId)).not.toContain(waiting.id);
    expect((await executions.get('acme', done.id))!.finishedAt).not.toBeNull();
  });

  it('keeps a gap-free, duplicate-free event sequence under concurrent writers', async () => {
    await drainClaims();
    const e = await newExecution();
    const seqs = await Promise.all(Array.from({ length: 20 }, (_, i) => executions.db.transaction((tx) => executions.appendEvent(tx, e.id, 'acme', 'node_started', { nodeId: `n${i}` }))));
    expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    const events = await executions.eventsAfter('acme', e.id, 5);
    expect(events.map((ev) => ev.seq)).toEqual(Array.from({ length: 16 }, (_, i) => i + 6));
  });

  it('refuses to change or delete an event', async () => {
    const e = await newExecution();
    await expect(executions.db.query(`UPDATE orchestrator.execution_events SET type = 'x' WHERE execution_id = $1`, [e.id])).rejects.toThrow(/append-only/);
    await expect(executions.db.query(`DELETE FROM orchestrator.execution_events WHERE execution_id = $1`, [e.id])).rejects.toThrow(/append-only/);
  });

  it('counts attempts and never restarts a node that succeeded', async () => {
    await drainClaims();
    const e = await newExecution();
    const [lease] = (await leases.claim('replica-a', 60_000, 10)).filter((l) => l.executionId === e.id) as [Lease];
    const start: StepOp[] = [{ op: 'start', node: 'planner', input: {} }];
    await leases.commitStep(lease, start, true);
    await leases.commitStep(lease, start, true);
    expect((await executions.get('acme', e.id))!.nodes).toMatchObject([{ nodeId: 'planner', state: 'running', attempts: 2 }]);
    await leases.commitStep(lease, [{ op: 'finish', node: 'planner', state: 'succeeded', output: { ready: true } }], true);
    await expect(leases.commitStep(lease, start, true)).rejects.toThrow(/already finished/);
    expect((await executions.get('acme', e.id))!.nodes).toMatchObject([{ nodeId: 'planner', state: 'succeeded', attempts: 2, output: { ready: true } }]);
  });
});
