import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows } from '@spine/persistence';
import { DataSource } from 'typeorm';
import type { Json } from '../store/execution.model.js';

export interface NewChild {
  tenantId: string;
  flowId: string;
  flowVersion: number;
  input: Json;
  parentExecutionId: string;
  parentNodeId: string;
  /** Tokens the child may use (what its parent has left); null: no token budget. */
  tokenBudget: number | null;
  /** The parent's absolute deadline in epoch ms; null: none. */
  deadlineMs: number | null;
}

/** Child executions of `flow` nodes: one per (parent execution, node), whoever asks first creates it. */
@Injectable()
export class SubflowsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The node's child execution, created unclaimed in RECEIVED (any replica claims it) unless it exists already (a
   * resumed parent finds the child it started); undefined when the tenant has no such flow version.
   */
  async createChild(c: NewChild): Promise<{ id: string; created: boolean } | undefined> {
    const created = await queryRows<{ id: string }>(
      this.db,
      `WITH created AS (
         INSERT INTO orchestrator.executions (tenant_id, flow_id, flow_version, state, input, fencing_token, last_seq,
                                              parent_execution_id, parent_node_id, token_budget, deadline_at)
         SELECT f.tenant_id, f.id, f.version, 'RECEIVED', $4, 0, 1, $5, $6, $7,
                CASE WHEN $8::bigint IS NULL THEN NULL ELSE to_timestamp($8::bigint / 1000.0) END
         FROM orchestrator.flows f WHERE f.tenant_id = $1 AND f.id = $2 AND f.version = $3
         ON CONFLICT (parent_execution_id, parent_node_id) WHERE parent_execution_id IS NOT NULL DO NOTHING
         RETURNING id, tenant_id
       ), first_event AS (
         INSERT INTO orchestrator.execution_events (execution_id, seq, tenant_id, type, payload)
         SELECT id, 1, tenant_id, 'state_changed', '{"previous": null, "current": "RECEIVED"}'::jsonb FROM created
       )
       SELECT id FROM created`,
      [c.tenantId, c.flowId, c.flowVersion, JSON.stringify(c.input), c.parentExecutionId, c.parentNodeId, c.tokenBudget, c.deadlineMs],
    );
    if (created[0]) return { id: created[0].id, created: true };
    const id = await this.childOf(c.parentExecutionId, c.parentNodeId);
    return id === undefined ? undefined : { id, created: false };
  }

  async childOf(parentExecutionId: string, parentNodeId: string): Promise<string | undefined> {
    const [row] = await queryRows<{ id: string }>(
      this.db,
      `SELECT id FROM orchestrator.executions WHERE parent_execution_id = $1 AND parent_node_id = $2`,
      [parentExecutionId, parentNodeId],
    );
    return row?.id;
  }

  /** Of these children, those that settled (DONE, FAILED, CANCELLED, WAITING_INPUT). */
  async settled(ids: readonly string[]): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      `SELECT id FROM orchestrator.executions WHERE id = ANY($1::uuid[]) AND state IN ('DONE', 'FAILED', 'CANCELLED', 'WAITING_INPUT')`,
      [ids],
    );
    return rows.map((r) => r.id);
  }
}
