import type { MigrationInterface, QueryRunner } from 'typeorm';
import { commitStepSql } from './1763960000000-commit-step.js';

/**
 * Group commit: the steps of many executions in one statement, one transaction, one WAL flush (see StepCommits),
 * replacing commit_step. It also writes less per step (and see up() for the two table changes):
 * - the events of the whole batch are one INSERT;
 * - the execution row is only locked, not rewritten, by a step that changes no state. A step's first sequence
 *   number comes from the log itself (max(seq), one index probe under the row lock), and `last_seq` is brought up
 *   to date with the state changes, which every finished or paused execution ends with (the outbox sweeper's
 *   `events_published < last_seq` relies on that). Rewriting the row on every step cost a non-HOT update, its
 *   `updated_at` and `last_seq` being indexed.
 *
 * `steps` is a JSON array of { "execution": uuid, "token": fencing token, "ops": [...], "honourCancel": bool }, with
 * ops as commit_step took them:
 *   { "op": "start",  "node": id, "input": json }
 *   { "op": "finish", "node": id, "state": "succeeded|failed|skipped", "output"?, "error"?, "usage"? }
 *   { "op": "event",  "type": text, "payload": json }
 *   { "op": "state",  "from": state, "to": state, "error"? }              (also appends its state_changed event)
 *   { "op": "reply",  "conversation": uuid, "text": text }
 * Returns one result per step, in the steps' order: { "applied": bool, "cancelRequested": bool, "seqs": [seq of
 * each event] }, or { "lost": true } when the step's fencing token is stale (that step changes nothing; the others
 * are applied). With `honourCancel` and a cancel requested, nothing of that step is applied. Rows are locked in id
 * order, so two batches never wait on each other in a cycle. Starting a node that already finished raises
 * SQLSTATE 'SP002' and fails the whole batch (the caller retries its steps one by one).
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
    await q.query(`
      CREATE FUNCTION orchestrator.commit_steps(p_steps jsonb) RETURNS jsonb
      LANGUAGE plpgsql AS $$
      DECLARE
        v_step record;
        v_id uuid;
        v_row orchestrator.executions%ROWTYPE;
        v_op jsonb;
        v_seq bigint;
        v_seqs jsonb;
        v_state text;
        v_error jsonb;
        v_terminal boolean;
        v_type text;
        v_payload jsonb;
        v_results jsonb[] := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(p_steps)]);
        e_execution uuid[] := '{}';
        e_seq bigint[] := '{}';
        e_tenant text[] := '{}';
        e_type text[] := '{}';
        e_payload jsonb[] := '{}';
      BEGIN
        FOR v_step IN SELECT value AS s, ordinality AS i FROM jsonb_array_elements(p_steps) WITH ORDINALITY ORDER BY value->>'execution' LOOP
          v_id := (v_step.s->>'execution')::uuid;
          SELECT * INTO v_row FROM orchestrator.executions WHERE id = v_id FOR UPDATE;
          IF NOT FOUND OR v_row.fencing_token <> (v_step.s->>'token')::bigint THEN
            v_results[v_step.i] := '{"lost": true}'::jsonb;
            CONTINUE;
          END IF;
          IF (v_step.s->>'honourCancel')::boolean AND v_row.cancel_requested THEN
            v_results[v_step.i] := '{"cancelRequested": true, "applied": false, "seqs": []}'::jsonb;
            CONTINUE;
          END IF;
          SELECT coalesce(max(seq), 0) INTO v_seq FROM orchestrator.execution_events WHERE execution_id = v_id;
          v_seqs := '[]'::jsonb;
          v_state := NULL;
          v_error := NULL;
          v_terminal := false;
          FOR v_op IN SELECT value FROM jsonb_array_elements(v_step.s->'ops') LOOP
            v_type := NULL;
            CASE v_op->>'op'
              WHEN 'start' THEN
                INSERT INTO orchestrator.node_runs (execution_id, node_id, state, attempts, input, started_at)
                VALUES (v_id, v_op->>'node', 'running', 1, v_op->'input', now())
                ON CONFLICT (execution_id, node_id) DO UPDATE SET state = 'running', attempts = orchestrator.node_runs.attempts + 1, input = EXCLUDED.input, error = NULL
                WHERE orchestrator.node_runs.state NOT IN ('succeeded', 'skipped');
                IF NOT FOUND THEN
                  RAISE EXCEPTION 'node % of % already finished', v_op->>'node', v_id USING ERRCODE = 'SP002';
                END IF;
              WHEN 'finish' THEN
                -- Usually the row of the node's start (a plain UPDATE, HOT with node_runs' fillfactor); a node
                -- skipped or failed before it started has none yet.
                UPDATE orchestrator.node_runs SET state = v_op->>'state', output = v_op->'output', error = v_op->'error', usage = v_op->'usage', finished_at = now()
                WHERE execution_id = v_id AND node_id = v_op->>'node';
                IF NOT FOUND THEN
                  INSERT INTO orchestrator.node_runs (execution_id, node_id, state, output, error, usage, finished_at)
                  VALUES (v_id, v_op->>'node', v_op->>'state', v_op->'output', v_op->'error', v_op->'usage', now());
                END IF;
              WHEN 'event' THEN
                v_type := v_op->>'type';
                v_payload := coalesce(v_op->'payload', '{}'::jsonb);
              WHEN 'state' THEN
                v_state := v_op->>'to';
                v_error := coalesce(v_op->'error', v_error);
                v_terminal := v_terminal OR v_state IN ('DONE', 'FAILED', 'CANCELLED');
                v_type := 'state_changed';
                v_payload := jsonb_build_object('previous', v_op->'from', 'current', v_op->'to');
              WHEN 'reply' THEN
                INSERT INTO orchestrator.messages (tenant_id, conversation_id, role, text, execution_id)
                VALUES (v_row.tenant_id, (v_op->>'conversation')::uuid, 'assistant', v_op->>'text', v_id);
              ELSE
                RAISE EXCEPTION 'unknown op %', v_op->>'op' USING ERRCODE = 'SP003';
            END CASE;
            IF v_type IS NOT NULL THEN
              v_seq := v_seq + 1;
              e_execution := e_execution || v_id;
              e_seq := e_seq || v_seq;
              e_tenant := e_tenant || v_row.tenant_id;
              e_type := e_type || v_type;
              e_payload := e_payload || v_payload;
              v_seqs := v_seqs || to_jsonb(v_seq);
            END IF;
          END LOOP;
          IF v_state IS NOT NULL THEN
            UPDATE orchestrator.executions SET state = v_state, error = coalesce(v_error, error), last_seq = v_seq, updated_at = now(),
              finished_at = CASE WHEN v_terminal THEN now() ELSE finished_at END,
              lease_owner = CASE WHEN v_terminal THEN NULL ELSE lease_owner END,
              lease_expires_at = CASE WHEN v_terminal THEN NULL ELSE lease_expires_at END
            WHERE id = v_id;
          END IF;
          v_results[v_step.i] := jsonb_build_object('cancelRequested', v_row.cancel_requested, 'applied', true, 'seqs', v_seqs);
        END LOOP;
        INSERT INTO orchestrator.execution_events (execution_id, seq, tenant_id, type, payload)
        SELECT * FROM unnest(e_execution, e_seq, e_tenant, e_type, e_payload);
        RETURN to_jsonb(v_results);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orchestrator.execution_events ADD CONSTRAINT execution_events_execution_id_fkey FOREIGN KEY (execution_id) REFERENCES orchestrator.executions (id)`);
    await q.query(`ALTER TABLE orchestrator.node_runs RESET (fillfactor)`);
    await q.query(`DROP FUNCTION orchestrator.commit_steps(jsonb)`);
    await q.query(commitStepSql);
  }
}
