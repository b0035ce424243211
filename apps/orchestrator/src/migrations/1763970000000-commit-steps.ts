import type { MigrationInterface, QueryRunner } from 'typeorm';
import { commitStepSql } from './1763960000000-commit-step.js';
import { sqlFile } from './sql-file.js';

const COMMIT_STEPS_SQL = new URL('./1763970000000-commit-steps.sql', import.meta.url);

/**
 * Group commit: the steps of many executions in one call, one transaction, one WAL flush (see StepCommits),
 * replacing commit_step. The work is set-based: each table is written once per batch, whatever the batch's size,
 * instead of a statement per op per step. And a step writes less (see up() for the two table changes):
 * - the execution row is only locked, not rewritten, by a step that changes no state. A step's first sequence
 *   number comes from the log itself (max(seq), one index probe under the row lock), and `last_seq` is brought up
 *   to date with the state changes, which every finished or paused execution ends with (the outbox sweeper's
 *   `events_published < last_seq` relies on that). Rewriting the row on every step cost a non-HOT update, its
 *   `updated_at` and `last_seq` being indexed.
 * - a node's finish updates the row of its start.
 *
 * commit_steps itself, what it takes and what it guarantees: 1763970000000-commit-steps.sql.
 */
export class CommitSteps1763970000000 implements MigrationInterface {
  name = 'CommitSteps1763970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION orchestrator.commit_step(uuid, bigint, jsonb, boolean)`);
    // Room on each page for a node's finish to update its start's row in place (a HOT update: no index write).
    await q.query(`ALTER TABLE orchestrator.node_runs SET (fillfactor = 70)`);
    // Events are written only by commit_steps, create and appendEvent, each under the execution row's lock, and
    // executions are never deleted: the per-row foreign-key check (16 per 7-node run) bought nothing.
    await q.query(`ALTER TABLE orchestrator.execution_events DROP CONSTRAINT execution_events_execution_id_fkey`);
    // An execution with its node runs, as the API shows it (less what the API hides): read by GET and by `wait`,
    // and returned by the commit that settles an execution, which spares `wait` a read.
    await q.query(`
      CREATE FUNCTION orchestrator.execution_view(p_id uuid) RETURNS jsonb
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
    await q.query(sqlFile(COMMIT_STEPS_SQL));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orchestrator.execution_events ADD CONSTRAINT execution_events_execution_id_fkey FOREIGN KEY (execution_id) REFERENCES orchestrator.executions (id)`);
    await q.query(`ALTER TABLE orchestrator.node_runs RESET (fillfactor)`);
    await q.query(`DROP FUNCTION orchestrator.commit_steps(jsonb)`);
    await q.query(`DROP FUNCTION orchestrator.execution_view(uuid)`);
    await q.query(commitStepSql());
  }
}
