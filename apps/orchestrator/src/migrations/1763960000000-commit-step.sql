-- orchestrator.commit_step(p_execution, p_token, p_ops, p_honour_cancel): one executor step in one statement, the
-- lease check and every write of the step, atomically. Created by migration 1763960000000-commit-step.ts, replaced by
-- commit_steps (1763970000000-commit-steps.sql), whose down() puts it back. Existing databases ran this text: never
-- edit it.
--
-- What it guarantees: a stale fencing token raises SQLSTATE 'SP001' (lease lost) and writes nothing; with
-- p_honour_cancel and a cancel requested, nothing is applied; otherwise every op is applied in order, in one
-- transaction, and each event gets the next gap-free seq of the execution's log.
--
-- `p_ops` is a JSON array of
--   { "op": "start",  "node": id, "input": json }
--   { "op": "finish", "node": id, "state": "succeeded|failed|skipped", "output"?, "error"?, "usage"? }
--   { "op": "event",  "type": text, "payload": json }
--   { "op": "state",  "from": state, "to": state, "error"? }              (also appends its state_changed event)
--   { "op": "reply",  "conversation": uuid, "text": text }
-- Returns { "cancelRequested": bool, "applied": bool, "seqs": [seq of each event, in order] }.
      CREATE FUNCTION orchestrator.commit_step(p_execution uuid, p_token bigint, p_ops jsonb, p_honour_cancel boolean) RETURNS jsonb
      LANGUAGE plpgsql AS $$
      DECLARE
        v_row orchestrator.executions%ROWTYPE;
        v_op jsonb;
        v_seq bigint;
        v_seqs jsonb := '[]'::jsonb;
        v_terminal boolean;
        v_type text;
        v_payload jsonb;
      BEGIN
        SELECT * INTO v_row FROM orchestrator.executions WHERE id = p_execution FOR UPDATE;
        IF NOT FOUND OR v_row.fencing_token <> p_token THEN
          RAISE EXCEPTION 'lease on % was lost to a newer claim', p_execution USING ERRCODE = 'SP001';
        END IF;
        IF p_honour_cancel AND v_row.cancel_requested THEN
          RETURN jsonb_build_object('cancelRequested', true, 'applied', false, 'seqs', v_seqs);
        END IF;
        v_seq := v_row.last_seq;
        FOR v_op IN SELECT value FROM jsonb_array_elements(p_ops) LOOP
          v_type := NULL;
          CASE v_op->>'op'
            WHEN 'start' THEN
              INSERT INTO orchestrator.node_runs (execution_id, node_id, state, attempts, input, started_at)
              VALUES (p_execution, v_op->>'node', 'running', 1, v_op->'input', now())
              ON CONFLICT (execution_id, node_id) DO UPDATE SET state = 'running', attempts = orchestrator.node_runs.attempts + 1, input = EXCLUDED.input, error = NULL
              WHERE orchestrator.node_runs.state NOT IN ('succeeded', 'skipped');
              IF NOT FOUND THEN
                RAISE EXCEPTION 'node % of % already finished', v_op->>'node', p_execution USING ERRCODE = 'SP002';
              END IF;
            WHEN 'finish' THEN
              INSERT INTO orchestrator.node_runs (execution_id, node_id, state, output, error, usage, finished_at)
              VALUES (p_execution, v_op->>'node', v_op->>'state', v_op->'output', v_op->'error', v_op->'usage', now())
              ON CONFLICT (execution_id, node_id) DO UPDATE SET state = EXCLUDED.state, output = EXCLUDED.output, error = EXCLUDED.error, usage = EXCLUDED.usage, finished_at = now();
            WHEN 'event' THEN
              v_type := v_op->>'type';
              v_payload := coalesce(v_op->'payload', '{}'::jsonb);
            WHEN 'state' THEN
              v_terminal := (v_op->>'to') IN ('DONE', 'FAILED', 'CANCELLED');
              UPDATE orchestrator.executions SET state = v_op->>'to', error = coalesce(v_op->'error', error), updated_at = now(),
                finished_at = CASE WHEN v_terminal THEN now() ELSE finished_at END,
                lease_owner = CASE WHEN v_terminal THEN NULL ELSE lease_owner END,
                lease_expires_at = CASE WHEN v_terminal THEN NULL ELSE lease_expires_at END
              WHERE id = p_execution;
              v_type := 'state_changed';
              v_payload := jsonb_build_object('previous', v_op->'from', 'current', v_op->'to');
            WHEN 'reply' THEN
              INSERT INTO orchestrator.messages (tenant_id, conversation_id, role, text, execution_id)
              VALUES (v_row.tenant_id, (v_op->>'conversation')::uuid, 'assistant', v_op->>'text', p_execution);
            ELSE
              RAISE EXCEPTION 'unknown op %', v_op->>'op' USING ERRCODE = 'SP003';
          END CASE;
          IF v_type IS NOT NULL THEN
            v_seq := v_seq + 1;
            INSERT INTO orchestrator.execution_events (execution_id, seq, tenant_id, type, payload) VALUES (p_execution, v_seq, v_row.tenant_id, v_type, v_payload);
            v_seqs := v_seqs || to_jsonb(v_seq);
          END IF;
        END LOOP;
        IF v_seq <> v_row.last_seq THEN
          UPDATE orchestrator.executions SET last_seq = v_seq, updated_at = now() WHERE id = p_execution;
        END IF;
        RETURN jsonb_build_object('cancelRequested', v_row.cancel_requested, 'applied', true, 'seqs', v_seqs);
      END $$
