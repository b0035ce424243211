import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows } from '@spine/persistence';
import { DataSource } from 'typeorm';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config.js';
import type { Lease } from './execution.model.js';
import { StepCommits, type StepOp, type StepResult } from './step-commits.js';

/**
 * Leases let several orchestrator replicas share executions. A claim bumps the execution's fencing token; every
 * write of a replica (commitStep) carries the token it holds, and is refused once another replica holds a newer one.
 * Lease expiry is compared in SQL: replica clocks drift, the database's now() does not.
 */
@Injectable()
export class LeasesRepository {
  private readonly steps: StepCommits;

  constructor(@InjectDataSource() private readonly db: DataSource, @Inject(ORCHESTRATOR_CONFIG) config: OrchestratorConfig) {
    this.steps = new StepCommits(db, { concurrency: config.COMMIT_CONCURRENCY, maxBatch: config.COMMIT_BATCH_MAX });
  }

  /** Up to `limit` runnable executions nobody holds (or whose lease expired), now held by `owner`. */
  async claim(owner: string, leaseMs: number, limit: number): Promise<Lease[]> {
    const rows = await queryRows<{ id: string; token: string }>(
      this.db,
      `UPDATE orchestrator.executions e
       SET lease_owner = $1, lease_expires_at = now() + make_interval(secs => $2 / 1000.0), fencing_token = e.fencing_token + 1
       FROM (
         SELECT id FROM orchestrator.executions
         WHERE finished_at IS NULL AND state <> 'WAITING_INPUT' AND NOT parked AND (lease_expires_at IS NULL OR lease_expires_at < now())
         ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED
       ) c
       WHERE e.id = c.id
       RETURNING e.id, e.fencing_token::text AS token`,
      [owner, leaseMs, limit],
    );
    return rows.map((r) => ({ executionId: r.id, owner, token: r.token }));
  }

  /** Extends a lease still held; false when it was lost (expired and claimed by another replica). */
  async renew(lease: Lease, leaseMs: number): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      `UPDATE orchestrator.executions SET lease_expires_at = now() + make_interval(secs => $3 / 1000.0)
       WHERE id = $1 AND fencing_token = $2::bigint AND finished_at IS NULL RETURNING id`,
      [lease.executionId, lease.token, leaseMs],
    );
    return rows.length > 0;
  }

  /** Applies one executor step (lease check + writes) atomically, grouped with other executions' steps under load. */
  commitStep(lease: Lease, ops: StepOp[], honourCancel: boolean): Promise<StepResult> {
    return this.steps.commit(lease, ops, honourCancel);
  }

  /**
   * Parks an execution this lease holds: it gives its lease up and is not claimed until what it waits on settles (the
   * triggers of migration 1765200000000 unpark it). 'cancelled' when a cancel was requested (the holder ends it instead),
   * 'lost' when the lease is no longer this one.
   */
  async park(lease: Lease): Promise<'parked' | 'cancelled' | 'lost'> {
    const [row] = await queryRows<{ parked: boolean; cancel: boolean }>(
      this.db,
      `WITH e AS (SELECT id, cancel_requested FROM orchestrator.executions WHERE id = $1 AND fencing_token = $2::bigint AND finished_at IS NULL FOR UPDATE),
       p AS (UPDATE orchestrator.executions x SET parked = true, lease_owner = NULL, lease_expires_at = NULL
             FROM e WHERE x.id = e.id AND NOT e.cancel_requested RETURNING x.id)
       SELECT EXISTS (SELECT 1 FROM p) AS parked, e.cancel_requested AS cancel FROM e`,
      [lease.executionId, lease.token],
    );
    if (!row) return 'lost';
    return row.parked ? 'parked' : 'cancelled';
  }

  /**
   * Unparks the execution when one of these waiting nodes' tasks or children settled before the park committed (the
   * triggers only see what settles after); true when it did, and the caller wakes the replicas.
   */
  async unparkIfSettled(executionId: string, nodeIds: readonly string[]): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      `UPDATE orchestrator.executions SET parked = false WHERE id = $1 AND parked AND (
         EXISTS (SELECT 1 FROM orchestrator.human_tasks t WHERE t.execution_id = $1 AND t.node_id = ANY($2::text[]) AND t.state <> 'open')
         OR EXISTS (SELECT 1 FROM orchestrator.executions c WHERE c.parent_execution_id = $1 AND c.parent_node_id = ANY($2::text[])
                    AND c.state IN ('DONE', 'FAILED', 'CANCELLED', 'WAITING_INPUT')))
       RETURNING id`,
      [executionId, nodeIds],
    );
    return rows.length > 0;
  }

  /** Gives the execution up now (shutdown): another replica may claim it at once. */
  async release(lease: Lease): Promise<void> {
    await this.db.query(`UPDATE orchestrator.executions SET lease_expires_at = now() WHERE id = $1 AND fencing_token = $2::bigint`, [lease.executionId, lease.token]);
  }
}
