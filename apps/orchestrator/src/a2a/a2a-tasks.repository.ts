import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows } from '@spine/persistence';
import { DataSource } from 'typeorm';
import type { ExecutionStateName } from '../store/execution.model.js';

/** Where a page of ListTasks resumes: after this status timestamp and id (newest first). */
export interface TaskCursor {
  at: string;
  id: string;
}

export interface TaskQuery {
  contextId?: string | undefined;
  /** Execution states that map to the requested task state. */
  states?: readonly ExecutionStateName[] | undefined;
  /** Only tasks whose status changed after this instant. */
  after?: Date | undefined;
  cursor?: TaskCursor | undefined;
  limit: number;
}

export interface TaskRef {
  /** The task's id: its first execution's. */
  id: string;
  /** The execution the task shows now. */
  executionId: string;
  contextId: string;
  /** The status timestamp the page is ordered by (finished, else created), ISO. */
  at: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The execution's status timestamp, as taskOf writes it. */
const STATUS_AT = `date_trunc('milliseconds', coalesce(x.finished_at, x.created_at))`;

/** A2A tasks (see the a2a-tasks migration), tenant- and flow-scoped. */
@Injectable()
export class A2aTasksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(tenantId: string, flowId: string, executionId: string, contextId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO orchestrator.a2a_tasks (execution_id, tenant_id, flow_id, context_id) VALUES ($1, $2, $3, $4) ON CONFLICT (execution_id) DO NOTHING`,
      [executionId, tenantId, flowId, contextId],
    );
  }

  /** The task's context and the execution it shows now (its first, or the latest a follow-up started). */
  async currentOf(tenantId: string, taskId: string): Promise<{ contextId: string; executionId: string } | undefined> {
    if (!UUID.test(taskId)) return undefined; // no task has that id (and Postgres would refuse it as a uuid)
    const rows = await queryRows<{ contextId: string; executionId: string }>(
      this.db,
      `SELECT context_id AS "contextId", coalesce(current_execution_id, execution_id) AS "executionId" FROM orchestrator.a2a_tasks WHERE tenant_id = $1 AND execution_id = $2::uuid`,
      [tenantId, taskId],
    );
    return rows[0];
  }

  /** A follow-up started `executionId` for the task: the task shows it from now on. */
  async advance(tenantId: string, taskId: string, executionId: string): Promise<void> {
    await this.db.query(`UPDATE orchestrator.a2a_tasks SET current_execution_id = $3 WHERE tenant_id = $1 AND execution_id = $2::uuid`, [tenantId, taskId, executionId]);
  }

  /** One page, newest status first, and how many tasks match in all. */
  async page(tenantId: string, flowId: string, q: TaskQuery): Promise<{ refs: TaskRef[]; total: number }> {
    const where = [`t.tenant_id = $1`, `t.flow_id = $2`];
    const params: unknown[] = [tenantId, flowId];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (q.contextId) add((n) => `t.context_id = ${n}`, q.contextId);
    if (q.states) add((n) => `x.state = ANY(${n}::text[])`, q.states);
    if (q.after) add((n) => `${STATUS_AT} > ${n}`, q.after);
    const filtered = where.join(' AND ');
    const total = await queryRows<{ n: number }>(this.db, `SELECT count(*)::int AS n FROM orchestrator.a2a_tasks t JOIN orchestrator.executions x ON x.id = coalesce(t.current_execution_id, t.execution_id) WHERE ${filtered}`, params);
    if (q.cursor) {
      params.push(q.cursor.at, q.cursor.id);
      where.push(`(${STATUS_AT}, t.execution_id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(q.limit);
    const refs = await queryRows<{ id: string; executionId: string; contextId: string; at: Date }>(
      this.db,
      `SELECT t.execution_id AS id, x.id AS "executionId", t.context_id AS "contextId", ${STATUS_AT} AS at FROM orchestrator.a2a_tasks t JOIN orchestrator.executions x ON x.id = coalesce(t.current_execution_id, t.execution_id)
       WHERE ${where.join(' AND ')} ORDER BY ${STATUS_AT} DESC, t.execution_id DESC LIMIT $${params.length}`,
      params,
    );
    return { refs: refs.map((r) => ({ id: r.id, executionId: r.executionId, contextId: r.contextId, at: new Date(r.at).toISOString() })), total: total[0]?.n ?? 0 };
  }
}
