import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows, type SqlRunner } from '@spine/persistence';
import { DataSource } from 'typeorm';
import { detailOf, TERMINAL, type EventRow, type ExecutionDetail, type ExecutionRow, type ExecutionStateName, type ExecutionViewJson, type Json } from './execution.model.js';

const EXECUTION = `id, tenant_id AS "tenantId", flow_id AS "flowId", flow_version AS "flowVersion", conversation_id AS "conversationId", state, input, error,
  cancel_requested AS "cancelRequested", fencing_token::text AS "fencingToken", events_published::int AS "eventsPublished", created_at AS "createdAt", finished_at AS "finishedAt",
  parent_execution_id AS "parentExecutionId", parent_node_id AS "parentNodeId", token_budget::text AS "tokenBudget", deadline_at AS "deadlineAt"`;

/** What a cancel request found: no such execution, one that already ended, one a replica holds, or one now CANCELLED. */
export type CancelRequest =
  | { kind: 'missing' }
  | { kind: 'ended'; state: ExecutionStateName }
  | { kind: 'held'; state: ExecutionStateName }
  /** Cancelled here; `children`: its child executions still running, for the caller to cancel in turn. */
  | { kind: 'cancelled'; from: ExecutionStateName; children: string[] };

export interface NewExecution {
  tenantId: string;
  flowId: string;
  /** The version to pin; the flow's latest when undefined. */
  flowVersion?: number;
  input: Json;
  conversationId?: string;
}

/** Executions, their node runs and their append-only event log. Writes take the caller's transaction. */
@Injectable()
export class ExecutionsRepository {
  constructor(@InjectDataSource() readonly db: DataSource) {}

  async saveFlowVersion(db: SqlRunner, tenantId: string, id: string, version: number, definition: Json): Promise<void> {
    await db.query(`INSERT INTO orchestrator.flows (tenant_id, id, version, definition) VALUES ($1, $2, $3, $4)`, [tenantId, id, version, JSON.stringify(definition)]);
  }

  /**
   * A new execution in RECEIVED, with its first event, in the caller's transaction; undefined when the tenant has
   * no such flow (or version). The version is pinned in the same statement: the one asked for, or the latest. With
   * `owner`, the execution is born claimed by that replica (fencing token 1), so it starts without a claim round.
   */
  async create(db: SqlRunner, e: NewExecution, owner?: { replica: string; leaseMs: number }): Promise<ExecutionRow | undefined> {
    // The row and its first event in one statement.
    const rows = await queryRows<ExecutionRow>(
      db,
      `WITH pinned AS (
         SELECT max(version) AS version FROM orchestrator.flows WHERE tenant_id = $1 AND id = $2 AND ($3::int IS NULL OR version = $3::int)
       ), created AS (
         INSERT INTO orchestrator.executions (tenant_id, flow_id, flow_version, conversation_id, state, input, lease_owner, lease_expires_at, fencing_token, last_seq)
         SELECT $1, $2, version, $4, 'RECEIVED', $5, $6, CASE WHEN $6::text IS NULL THEN NULL ELSE now() + make_interval(secs => $7 / 1000.0) END, CASE WHEN $6::text IS NULL THEN 0 ELSE 1 END, 1
         FROM pinned WHERE version IS NOT NULL
         RETURNING *
       ), first_event AS (
         INSERT INTO orchestrator.execution_events (execution_id, seq, tenant_id, type, payload)
         SELECT id, 1, tenant_id, 'state_changed', '{"previous": null, "current": "RECEIVED"}'::jsonb FROM created
       )
       SELECT ${EXECUTION} FROM created`,
      [e.tenantId, e.flowId, e.flowVersion ?? null, e.conversationId ?? null, JSON.stringify(e.input), owner?.replica ?? null, owner?.leaseMs ?? 0],
    );
    return rows[0];
  }

  /**
   * `create` in a transaction of its own with `extra` (more to store with the row, e.g. the conversation's message),
   * or alone as one atomic statement when there is nothing more.
   */
  async createWith(e: NewExecution, owner: { replica: string; leaseMs: number } | undefined, extra?: (tx: SqlRunner, row: ExecutionRow) => Promise<void>): Promise<ExecutionRow | undefined> {
    if (!extra) return this.create(this.db, e, owner);
    return this.db.transaction(async (tx) => {
      const row = await this.create(tx, e, owner);
      if (row) await extra(tx, row);
      return row;
    });
  }

  /**
   * Records a cancel request under the row lock. An execution a replica holds is left to it (`held`: signal it); one
   * nobody holds (waiting for input, or its replica died) is cancelled here, its fencing token bumped so that a late
   * holder's writes are refused. An execution that already ended is not touched.
   */
  requestCancel(tenantId: string, id: string): Promise<CancelRequest> {
    return this.db.transaction(async (tx): Promise<CancelRequest> => {
      const rows = await queryRows<{ state: ExecutionStateName; held: boolean }>(
        tx,
        `SELECT state, (lease_expires_at IS NOT NULL AND lease_expires_at > now() AND state <> 'WAITING_INPUT') AS held
         FROM orchestrator.executions WHERE tenant_id = $1 AND id = $2::uuid FOR UPDATE`,
        [tenantId, id],
      );
      const row = rows[0];
      if (!row) return { kind: 'missing' };
      if (TERMINAL.includes(row.state)) return { kind: 'ended', state: row.state };
      await tx.query(`UPDATE orchestrator.executions SET cancel_requested = true, updated_at = now() WHERE id = $1`, [id]);
      if (row.held) return { kind: 'held', state: row.state };
      // Nobody holds it (parked on people or children, or its replica died): it ends here, with no slot needed, and
      // what it waited on goes with it: its open tasks close here, its running children are the caller's to cancel.
      await tx.query(`UPDATE orchestrator.executions SET fencing_token = fencing_token + 1, parked = false WHERE id = $1`, [id]);
      await this.setState(tx, id, tenantId, row.state, 'CANCELLED');
      await tx.query(`UPDATE orchestrator.human_tasks SET state = 'closed', decided_at = now() WHERE execution_id = $1 AND state = 'open'`, [id]);
      const children = await queryRows<{ id: string }>(tx, `SELECT id FROM orchestrator.executions WHERE parent_execution_id = $1 AND finished_at IS NULL`, [id]);
      return { kind: 'cancelled', from: row.state, children: children.map((c) => c.id) };
    });
  }

  /** Tenant-scoped: another tenant's execution is simply not found. The row and its node runs in one query. */
  async get(tenantId: string, id: string): Promise<ExecutionDetail | undefined> {
    const rows = await queryRows<{ v: ExecutionViewJson }>(
      this.db,
      `SELECT orchestrator.execution_view(id) AS v FROM orchestrator.executions WHERE tenant_id = $1 AND id = $2::uuid`,
      [tenantId, id],
    );
    return rows[0] ? detailOf(rows[0].v) : undefined;
  }

  /** Any tenant's execution with its node runs: for the executor, which has claimed it. */
  async detail(id: string): Promise<ExecutionDetail | undefined> {
    const rows = await queryRows<{ v: ExecutionViewJson | null }>(this.db, `SELECT orchestrator.execution_view($1::uuid) AS v`, [id]);
    return rows[0]?.v ? detailOf(rows[0].v) : undefined;
  }

  /**
   * The next event of the execution's log, in the caller's transaction: the row lock first, then the number after the log's last one (a new
   * statement, so it sees every write committed before the lock was granted). Gap-free and never taken twice.
   */
  async appendEvent(db: SqlRunner, executionId: string, tenantId: string, type: string, payload: Json): Promise<number> {
    await db.query(`SELECT 1 FROM orchestrator.executions WHERE id = $1 FOR UPDATE`, [executionId]);
    const rows = await queryRows<{ seq: string }>(
      db,
      `WITH appended AS (
         INSERT INTO orchestrator.execution_events (execution_id, seq, tenant_id, type, payload)
         SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4 FROM orchestrator.execution_events WHERE execution_id = $1
         RETURNING seq
       ), counted AS (UPDATE orchestrator.executions SET last_seq = (SELECT seq FROM appended) WHERE id = $1)
       SELECT seq::text AS seq FROM appended`,
      [executionId, tenantId, type, JSON.stringify(payload)],
    );
    return Number(rows[0]!.seq);
  }

  async eventsAfter(tenantId: string, executionId: string, afterSeq: number, limit = 500): Promise<EventRow[]> {
    const rows = await queryRows<EventRow & { seq: string }>(
      this.db,
      `SELECT seq::text AS seq, type, payload, at FROM orchestrator.execution_events WHERE tenant_id = $1 AND execution_id = $2::uuid AND seq > $3 ORDER BY execution_events.seq LIMIT $4`,
      [tenantId, executionId, afterSeq, limit],
    );
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  async setState(db: SqlRunner, executionId: string, tenantId: string, from: ExecutionStateName, to: ExecutionStateName, error: Json | null = null): Promise<number> {
    const terminal = TERMINAL.includes(to);
    await db.query(
      `UPDATE orchestrator.executions SET state = $2, error = coalesce($3, error), updated_at = now(), finished_at = CASE WHEN $4 THEN now() ELSE finished_at END,
         lease_owner = CASE WHEN $4 THEN NULL ELSE lease_owner END, lease_expires_at = CASE WHEN $4 THEN NULL ELSE lease_expires_at END
       WHERE id = $1`,
      [executionId, to, error === null ? null : JSON.stringify(error), terminal],
    );
    return this.appendEvent(db, executionId, tenantId, 'state_changed', { previous: from, current: to });
  }
}
