import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ErrorCode } from '@spine/contracts';
import { appDataSourceOptions, runMigrations, type SqlRunner } from '@spine/persistence';
import { createDatabase } from '@spine/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { orchestratorDataSource } from '../orchestrator.module.js';
import type { Lease } from './execution.model.js';
import { ExecutionsRepository } from './executions.repository.js';
import { LeasesRepository } from './leases.repository.js';
import { StepCommits, type StepOp } from './step-commits.js';

class StepCommitsTestModule {}

describe('step commits: the steps of many executions in one statement, each with its own outcome', () => {
  let ctx: INestApplicationContext;
  let executions: ExecutionsRepository;
  let leases: LeasesRepository;
  /** The real database, counting the statements sent to it. */
  let statements = 0;
  let counted: SqlRunner;

  const started = async (n: number): Promise<Lease[]> => {
    const ids = new Set<string>();
    for (let i = 0; i < n; i++) ids.add((await executions.db.transaction((tx) => executions.create(tx, { tenantId: 'acme', flowId: 'f', flowVersion: 1, input: {} })))!.id);
    const held: Lease[] = [];
    while (held.length < n) held.push(...(await leases.claim('replica-a', 60_000, 100)).filter((l) => ids.has(l.executionId)));
    return held;
  };
  const startOps = (node: string): StepOp[] => [
    { op: 'start', node, input: { text: node } },
    { op: 'event', type: 'node_started', payload: { nodeId: node } },
  ];
  const finishOps = (node: string): StepOp[] => [
    { op: 'finish', node, state: 'succeeded', output: { ok: true } },
    { op: 'event', type: 'node_completed', payload: { nodeId: node } },
  ];

  beforeAll(async () => {
    const url = await createDatabase(inject('postgresAdminUrl'), 'steps');
    await runMigrations(orchestratorDataSource(url));
    ctx = await NestFactory.createApplicationContext(
      { module: StepCommitsTestModule, imports: [TypeOrmModule.forRoot(appDataSourceOptions(orchestratorDataSource(url)))], providers: [ExecutionsRepository] },
      { logger: false },
    );
    executions = ctx.get(ExecutionsRepository);
    counted = { query: (sql, params) => (statements++, executions.db.query(sql, params)) };
    leases = new LeasesRepository(executions.db, { COMMIT_CONCURRENCY: 1, COMMIT_BATCH_MAX: 64 } as never);
    await executions.saveFlowVersion(executions.db, 'acme', 'f', 1, { nodes: [] });
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('sends the steps that queue up behind a commit in flight as one statement, and gives each its own outcome', async () => {
    const held = await started(20);
    const commits = new StepCommits(counted, { concurrency: 1, maxBatch: 64 });
    // Step i appends i % 3 + 1 events, so an outcome given to the wrong step shows.
    const opsOf = (i: number): StepOp[] => [...startOps('a'), ...Array.from({ length: i % 3 }, (_, k) => ({ op: 'event' as const, type: 'note', payload: { k } }))];
    statements = 0;
    const results = await Promise.all(held.map((lease, i) => commits.commit(lease, opsOf(i), true)));
    expect(statements).toBe(2);
    results.forEach((r, i) => expect(r).toEqual({ applied: true, cancelRequested: false, seqs: Array.from({ length: (i % 3) + 1 }, (_, k) => k + 2) }));
    for (const [i, lease] of held.entries()) {
      expect((await executions.eventsAfter('acme', lease.executionId, 0)).map((e) => `${e.seq}:${e.type}`)).toEqual(['1:state_changed', '2:node_started', ...(i % 3 > 0 ? ['3:note'] : []), ...(i % 3 > 1 ? ['4:note'] : [])]);
    }
  });

  it('numbers events from the log, and brings last_seq up to date with each state change (the outbox sweeper reads it)', async () => {
    const [lease] = await started(1);
    const commits = new StepCommits(counted, { concurrency: 1, maxBatch: 64 });
    expect((await commits.commit(lease!, startOps('a'), true)).view).toBeUndefined();
    await commits.commit(lease!, finishOps('a'), true);
    const done = await commits.commit(lease!, [{ op: 'state', from: 'RECEIVED', to: 'DONE' }], false);
    expect(done.seqs).toEqual([4]);
    // The commit that settles an execution returns it as GET reads it; the others do not.
    expect(done.view).toEqual(await executions.get('acme', lease!.executionId));
    expect(done.view).toMatchObject({ state: 'DONE', nodes: [{ nodeId: 'a', state: 'succeeded', output: { ok: true } }] });
    expect(done.view!.finishedAt).toBeInstanceOf(Date);
    const [row] = await executions.db.query(`SELECT last_seq::int AS "lastSeq", state, finished_at IS NOT NULL AS finished, lease_owner AS owner FROM orchestrator.executions WHERE id = $1`, [lease!.executionId]);
    expect(row).toEqual({ lastSeq: 4, state: 'DONE', finished: true, owner: null });
    // After the execution ended, an event appended outside the executor continues the same sequence.
    expect(await executions.db.transaction((tx) => executions.appendEvent(tx, lease!.executionId, 'acme', 'note', {}))).toBe(5);
  });

  it('keeps batches to their maximum size', async () => {
    const held = await started(10);
    const commits = new StepCommits(counted, { concurrency: 1, maxBatch: 3 });
    statements = 0;
    await Promise.all(held.map((lease) => commits.commit(lease, startOps('a'), true)));
    // The first goes alone, the nine that queued behind it go three by three.
    expect(statements).toBe(4);
  });

  it('fails only the step whose lease is stale, and changes nothing of its execution', async () => {
    const held = await started(3);
    const stale = { ...held[1]!, token: String(BigInt(held[1]!.token) - 1n) };
    const commits = new StepCommits(counted, { concurrency: 1, maxBatch: 64 });
    const blocker = commits.commit(held[0]!, startOps('a'), true);
    const outcomes = await Promise.allSettled([commits.commit(stale, startOps('a'), true), commits.commit(held[2]!, startOps('a'), true), blocker]);
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: { code: ErrorCode.FAILED_PRECONDITION, details: { reason: 'lease_lost' } } });
    expect(outcomes[1]).toMatchObject({ status: 'fulfilled', value: { applied: true, seqs: [2] } });
    expect(await executions.eventsAfter('acme', held[1]!.executionId, 0)).toHaveLength(1);
    expect((await executions.get('acme', held[1]!.executionId))!.nodes).toEqual([]);
  });

  it('retries a failed batch step by step, so one bad step fails alone', async () => {
    const held = await started(3);
    const commits = new StepCommits(counted, { concurrency: 1, maxBatch: 64 });
    await commits.commit(held[1]!, [...startOps('a'), ...finishOps('a')], true);
    const blocker = commits.commit(held[0]!, startOps('a'), true);
    // Starting a node that already succeeded is refused by the database (SP002).
    const outcomes = await Promise.allSettled([commits.commit(held[1]!, startOps('a'), true), commits.commit(held[2]!, startOps('a'), true), blocker]);
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: { code: 'SP002' } });
    expect(outcomes[1]).toMatchObject({ status: 'fulfilled', value: { applied: true } });
    expect(outcomes[2]).toMatchObject({ status: 'fulfilled', value: { applied: true } });
    expect((await executions.eventsAfter('acme', held[1]!.executionId, 0)).map((e) => e.type)).toEqual(['state_changed', 'node_started', 'node_completed']);
  });

  it('does not send the steps again when the answer was lost (the batch may have been committed): they fail, applied once', async () => {
    const held = await started(3);
    // The statement runs; its answer never arrives, as when the connection drops after the commit.
    const lossy: SqlRunner = { query: async (sql, params) => (await executions.db.query(sql, params), Promise.reject(new Error('Connection terminated unexpectedly'))) };
    const commits = new StepCommits(lossy, { concurrency: 1, maxBatch: 64 });
    const outcomes = await Promise.allSettled(held.map((lease) => commits.commit(lease, startOps('a'), true)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const lease of held) {
      expect((await executions.eventsAfter('acme', lease.executionId, 0)).map((e) => e.type)).toEqual(['state_changed', 'node_started']);
      expect((await executions.get('acme', lease.executionId))!.nodes).toMatchObject([{ nodeId: 'a', attempts: 1 }]);
    }
  });

  it('applies nothing of a step when a cancel was requested and the step honours it', async () => {
    const [lease] = await started(1);
    await executions.db.query(`UPDATE orchestrator.executions SET cancel_requested = true WHERE id = $1`, [lease!.executionId]);
    const commits = new StepCommits(counted, { concurrency: 1, maxBatch: 64 });
    expect(await commits.commit(lease!, startOps('a'), true)).toEqual({ applied: false, cancelRequested: true, seqs: [] });
    expect(await commits.commit(lease!, [{ op: 'state', from: 'RECEIVED', to: 'CANCELLED' }], false)).toMatchObject({ applied: true, cancelRequested: true });
  });

  it('finishes a node that started (its row is updated) and one that never did (a skipped node gets a row)', async () => {
    const [lease] = await started(1);
    const commits = new StepCommits(counted, { concurrency: 1, maxBatch: 64 });
    await commits.commit(lease!, startOps('a'), true);
    await commits.commit(lease!, [...finishOps('a'), { op: 'finish', node: 'b', state: 'skipped' }], true);
    const nodes = (await executions.get('acme', lease!.executionId))!.nodes;
    expect(nodes.map((n) => ({ nodeId: n.nodeId, state: n.state, attempts: n.attempts, output: n.output, started: n.startedAt !== null }))).toEqual([
      { nodeId: 'a', state: 'succeeded', attempts: 1, output: { ok: true }, started: true },
      { nodeId: 'b', state: 'skipped', attempts: 0, output: null, started: false },
    ]);
  });

  it('is what LeasesRepository.commitStep uses, batched as its config says', async () => {
    const held = await started(5);
    // A repository over the counting runner, with batches of 2: the first step alone, then the four queued behind it two by two.
    const batching = new LeasesRepository(counted as never, { COMMIT_CONCURRENCY: 1, COMMIT_BATCH_MAX: 2 } as never);
    statements = 0;
    const results = await Promise.all(held.map((lease) => batching.commitStep(lease, startOps('a'), true)));
    expect(statements).toBe(3);
    for (const r of results) expect(r).toEqual({ applied: true, cancelRequested: false, seqs: [2] });
  });
});
