import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows } from '@spine/persistence';
import { DataSource } from 'typeorm';
import type { Decide, HumanTask, InboxFilter, OpenTask } from './human-task.model.js';

const COLUMNS = `id, tenant_id AS "tenantId", execution_id AS "executionId", node_id AS "nodeId", flow_id AS "flowId", prompt, data,
  decisions, edit_schema AS "editSchema", assignee_role AS "assigneeRole", deadline_at AS "deadlineAt", default_action AS "defaultAction",
  state, decision, decided_data AS "decidedData", comment, decided_by AS "decidedBy", created_at AS "createdAt", decided_at AS "decidedAt"`;

/** Human tasks in Postgres. Every state change is guarded by `state = 'open'`: the first writer wins, once. */
@Injectable()
export class HumanTasksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Opens the node's task, or returns the one already there (a resumed run); `opened` says which. */
  async open(t: OpenTask): Promise<{ task: HumanTask; opened: boolean }> {
    const inserted = await queryRows<HumanTask>(
      this.db,
      `INSERT INTO orchestrator.human_tasks (id, tenant_id, execution_id, node_id, flow_id, prompt, data, decisions, edit_schema, assignee_role, deadline_at, default_action)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $11::bigint IS NULL THEN NULL ELSE now() + $11::bigint * interval '1 millisecond' END, $12)
       ON CONFLICT (execution_id, node_id) DO NOTHING RETURNING ${COLUMNS}`,
      [t.id, t.tenantId, t.executionId, t.nodeId, t.flowId, t.prompt, JSON.stringify(t.data), t.decisions, t.editSchema === null ? null : JSON.stringify(t.editSchema), t.assigneeRole, t.deadlineMs, t.defaultAction],
    );
    if (inserted[0]) return { task: inserted[0], opened: true };
    const [existing] = await queryRows<HumanTask>(this.db, `SELECT ${COLUMNS} FROM orchestrator.human_tasks WHERE execution_id = $1 AND node_id = $2`, [t.executionId, t.nodeId]);
    return { task: existing!, opened: false };
  }

  async get(tenantId: string, id: string): Promise<HumanTask | undefined> {
    const [row] = await queryRows<HumanTask>(this.db, `SELECT ${COLUMNS} FROM orchestrator.human_tasks WHERE id = $1 AND tenant_id = $2`, [id, tenantId]);
    return row;
  }

  /** The tenant's open tasks, oldest first. */
  listOpen(tenantId: string, f: InboxFilter): Promise<HumanTask[]> {
    return queryRows<HumanTask>(
      this.db,
      `SELECT ${COLUMNS} FROM orchestrator.human_tasks
       WHERE tenant_id = $1 AND state = 'open' AND ($2::text IS NULL OR flow_id = $2) AND ($3::text IS NULL OR assignee_role = $3)
         AND ($4::bigint IS NULL OR created_at <= now() - $4::bigint * interval '1 millisecond') AND ($6::uuid IS NULL OR execution_id = $6::uuid)
       ORDER BY created_at LIMIT $5`,
      [tenantId, f.flowId ?? null, f.role ?? null, f.olderThanMs ?? null, f.limit, f.executionId ?? null],
    );
  }

  /** Records the decision if the task is still open; undefined when it was not (decided, expired or closed before). */
  async decide(tenantId: string, id: string, d: Decide): Promise<HumanTask | undefined> {
    const [row] = await queryRows<HumanTask>(
      this.db,
      `UPDATE orchestrator.human_tasks SET state = 'decided', decision = $3, decided_data = $4, comment = $5, decided_by = $6, decided_at = now()
       WHERE id = $1 AND tenant_id = $2 AND state = 'open' RETURNING ${COLUMNS}`,
      [id, tenantId, d.decision, d.data === undefined ? null : JSON.stringify(d.data), d.comment ?? null, d.decidedBy],
    );
    return row;
  }

  /** Expires every open task past its deadline with its default action (the database's clock decides). */
  expireDue(limit: number): Promise<HumanTask[]> {
    return queryRows<HumanTask>(
      this.db,
      `UPDATE orchestrator.human_tasks SET state = 'expired', decision = default_action, decided_by = 'deadline', decided_at = now()
       WHERE id IN (SELECT id FROM orchestrator.human_tasks WHERE state = 'open' AND deadline_at <= now() ORDER BY deadline_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}`,
      [limit],
    );
  }

  /** Tasks of these ids that are no longer open. */
  settled(ids: readonly string[]): Promise<HumanTask[]> {
    return queryRows<HumanTask>(this.db, `SELECT ${COLUMNS} FROM orchestrator.human_tasks WHERE id = ANY($1::uuid[]) AND state <> 'open'`, [ids]);
  }

  /** Closes the task if still open (its execution was cancelled or ended). */
  async close(id: string): Promise<void> {
    await this.db.query(`UPDATE orchestrator.human_tasks SET state = 'closed', decided_at = now() WHERE id = $1 AND state = 'open'`, [id]);
  }
}
