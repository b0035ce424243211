import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlFile } from './sql-file.js';

const SUBFLOWS_SQL = new URL('./1765200000000-subflows.sql', import.meta.url);

/**
 * Sub-flows: a child execution names its parent execution and node (one child per node), and carries the budget
 * carved out of its parent's (tokens, an absolute deadline). Parking: an execution that only waits (people, children)
 * gives its lease and executor slot back and is not claimed until what it waits on settles (see the .sql file).
 */
export class Subflows1765200000000 implements MigrationInterface {
  name = 'Subflows1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE orchestrator.executions
        ADD COLUMN parent_execution_id uuid,
        ADD COLUMN parent_node_id text,
        ADD COLUMN token_budget bigint,
        ADD COLUMN deadline_at timestamptz,
        ADD COLUMN parked boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE UNIQUE INDEX executions_parent_node_idx ON orchestrator.executions (parent_execution_id, parent_node_id) WHERE parent_execution_id IS NOT NULL`);
    await q.query(sqlFile(SUBFLOWS_SQL));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER child_execution_settled ON orchestrator.executions`);
    await q.query(`DROP TRIGGER human_task_settled ON orchestrator.human_tasks`);
    await q.query(`DROP FUNCTION orchestrator.wake_on_child_settled()`);
    await q.query(`DROP FUNCTION orchestrator.wake_on_task_settled()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION orchestrator.execution_view(p_id uuid) RETURNS jsonb
      LANGUAGE sql STABLE AS $$
        SELECT jsonb_build_object(
          'id', e.id, 'tenantId', e.tenant_id, 'flowId', e.flow_id, 'flowVersion', e.flow_version, 'conversationId', e.conversation_id,
          'state', e.state, 'input', e.input, 'error', e.error, 'cancelRequested', e.cancel_requested, 'fencingToken', e.fencing_token::text,
          'eventsPublished', e.events_published, 'createdAt', e.created_at, 'finishedAt', e.finished_at,
          'nodes', (
            SELECT coalesce(jsonb_agg(jsonb_build_object(
              'nodeId', n.node_id, 'state', n.state, 'attempts', n.attempts, 'input', n.input, 'output', n.output, 'error', n.error,
              'usage', n.usage, 'startedAt', n.started_at, 'finishedAt', n.finished_at) ORDER BY n.started_at NULLS LAST, n.node_id), '[]'::jsonb)
            FROM orchestrator.node_runs n WHERE n.execution_id = e.id))
        FROM orchestrator.executions e WHERE e.id = p_id
      $$`);
    await q.query(`DROP INDEX orchestrator.executions_parent_node_idx`);
    await q.query(`ALTER TABLE orchestrator.executions DROP COLUMN parent_execution_id, DROP COLUMN parent_node_id, DROP COLUMN token_budget, DROP COLUMN deadline_at, DROP COLUMN parked`);
  }
}
