-- orchestrator.commit_steps(p jsonb): one group commit of executor steps (loaded by migration
-- 1763970000000-commit-steps.ts; existing databases ran this text once, so never edit it: change the function in a
-- new migration with a new .sql file).
--
-- What it guarantees, for every step of the batch:
-- - All or nothing, and every step of the batch in one transaction: a step's node starts, finishes, events, state
--   change and conversation reply are committed together or not at all.
-- - Fencing: a step whose lease token is no longer the execution's fencing token changes nothing ("lost"); so does a
--   step that honours cancels when a cancel was requested ("cancelled"). Only the replica holding the lease writes.
-- - A gap-free, never reused event log: a step's events get seq = base + k, base being max(seq) read under the
--   execution row's lock in a statement of its own (it sees every event committed before the lock was granted).
-- - No deadlock between batches: the executions are locked in id order.
-- - A node that succeeded or was skipped never runs again: starting it raises SQLSTATE 'SP002', which fails the whole
--   batch (the caller then retries its steps one by one, and only the faulty step fails).
-- - `last_seq` follows every state change (the outbox sweeper's `events_published < last_seq` relies on it); a
--   terminal state sets finished_at and clears the lease.
-- - A step that settles its execution (DONE, FAILED, CANCELLED, WAITING_INPUT) gets the execution's view, read in
--   the same transaction.
--
-- `p` is { steps, starts, finishes, events, states, replies, views }: arrays (`i` ties a row to its step), and whether
-- some step asks for a view:
--   steps:    { i, execution: uuid, token: fencing token, honourCancel: bool }
--   starts:   { i, node, input }                                     (a node starts: one more attempt)
--   finishes: { i, node, state: succeeded|failed|skipped, output, error, usage }
--   events:   { i, k, type, payload }        (k: 1, 2, … in the step's order; the event's seq is the base + k)
--   states:   { i, state, error, terminal, events, view }   (the step's last state, its last error, whether it
--                                                       ended the execution, how many events the step appends,
--                                                       and whether to return the execution's view)
--   replies:  { i, conversation: uuid, text }                        (the conversation's answer)
-- A step's starts are applied before its finishes (a node that runs in-process starts and finishes in one step).
-- Returns the steps in `i` order, each { i, status, cancelRequested, base, view? }: status "lost", "cancelled" or
-- "apply", with `base` the seq its events follow. The executor's side is StepWriter / StepCommits
-- (apps/orchestrator/src/engine/steps/).
      CREATE FUNCTION orchestrator.commit_steps(p jsonb) RETURNS jsonb
      LANGUAGE plpgsql AS $$
      DECLARE
        v_steps jsonb;
        v_refused bigint;
      BEGIN
        -- Lock the batch's executions in id order, and say what becomes of each step.
        WITH s AS MATERIALIZED (
          SELECT * FROM jsonb_to_recordset(p->'steps') AS x(i int, execution uuid, token bigint, "honourCancel" boolean)
        ), locked AS MATERIALIZED (
          SELECT id, fencing_token, cancel_requested, tenant_id FROM orchestrator.executions
          WHERE id = ANY (ARRAY(SELECT execution FROM s)) ORDER BY id FOR UPDATE
        )
        SELECT jsonb_agg(jsonb_build_object('i', s.i, 'execution', s.execution, 'tenant', l.tenant_id,
                 'cancelRequested', coalesce(l.cancel_requested, false),
                 'status', CASE WHEN l.id IS NULL OR l.fencing_token <> s.token THEN 'lost'
                                WHEN s."honourCancel" AND l.cancel_requested THEN 'cancelled' ELSE 'apply' END) ORDER BY s.i)
        INTO v_steps FROM s LEFT JOIN locked l ON l.id = s.execution;

        -- A new statement, so it sees every event committed before the locks were granted.
        SELECT jsonb_agg(a || CASE WHEN a->>'status' = 'apply'
                                THEN jsonb_build_object('base', (SELECT coalesce(max(seq), 0) FROM orchestrator.execution_events WHERE execution_id = (a->>'execution')::uuid))
                                ELSE '{}'::jsonb END ORDER BY (a->>'i')::int)
        INTO v_steps FROM jsonb_array_elements(v_steps) a;

        IF jsonb_array_length(p->'starts') > 0 THEN
          WITH st AS MATERIALIZED (
            SELECT (a->>'execution')::uuid AS execution, x.node, x.input
            FROM jsonb_to_recordset(p->'starts') AS x(i int, node text, input jsonb)
            JOIN jsonb_array_elements(v_steps) a ON (a->>'i')::int = x.i AND a->>'status' = 'apply'
          ), started AS (
            INSERT INTO orchestrator.node_runs (execution_id, node_id, state, attempts, input, started_at)
            SELECT execution, node, 'running', 1, input, now() FROM st
            ON CONFLICT (execution_id, node_id) DO UPDATE SET state = 'running', attempts = orchestrator.node_runs.attempts + 1, input = EXCLUDED.input, error = NULL
            WHERE orchestrator.node_runs.state NOT IN ('succeeded', 'skipped')
            RETURNING 1
          )
          SELECT (SELECT count(*) FROM st) - (SELECT count(*) FROM started) INTO v_refused;
          IF v_refused > 0 THEN
            RAISE EXCEPTION '% node(s) of the batch already finished', v_refused USING ERRCODE = 'SP002';
          END IF;
        END IF;

        IF jsonb_array_length(p->'finishes') > 0 THEN
          WITH fin AS MATERIALIZED (
            SELECT (a->>'execution')::uuid AS execution, x.node, x.state, x.output, x.error, x.usage
            FROM jsonb_to_recordset(p->'finishes') AS x(i int, node text, state text, output jsonb, error jsonb, usage jsonb)
            JOIN jsonb_array_elements(v_steps) a ON (a->>'i')::int = x.i AND a->>'status' = 'apply'
          ), updated AS (
            UPDATE orchestrator.node_runs n SET state = fin.state, output = fin.output, error = fin.error, usage = fin.usage, finished_at = now()
            FROM fin WHERE n.execution_id = fin.execution AND n.node_id = fin.node
            RETURNING n.execution_id, n.node_id
          )
          INSERT INTO orchestrator.node_runs (execution_id, node_id, state, output, error, usage, finished_at)
          SELECT fin.execution, fin.node, fin.state, fin.output, fin.error, fin.usage, now() FROM fin
          WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE u.execution_id = fin.execution AND u.node_id = fin.node);
        END IF;

        IF jsonb_array_length(p->'events') > 0 THEN
          INSERT INTO orchestrator.execution_events (execution_id, seq, tenant_id, type, payload)
          SELECT (a->>'execution')::uuid, (a->>'base')::bigint + x.k, a->>'tenant', x.type, x.payload
          FROM jsonb_to_recordset(p->'events') AS x(i int, k int, type text, payload jsonb)
          JOIN jsonb_array_elements(v_steps) a ON (a->>'i')::int = x.i AND a->>'status' = 'apply';
        END IF;

        IF jsonb_array_length(p->'states') > 0 THEN
          UPDATE orchestrator.executions e SET state = x.state, error = coalesce(x.error, e.error), last_seq = (a->>'base')::bigint + x.events, updated_at = now(),
            finished_at = CASE WHEN x.terminal THEN now() ELSE e.finished_at END,
            lease_owner = CASE WHEN x.terminal THEN NULL ELSE e.lease_owner END,
            lease_expires_at = CASE WHEN x.terminal THEN NULL ELSE e.lease_expires_at END
          FROM jsonb_to_recordset(p->'states') AS x(i int, state text, error jsonb, terminal boolean, events int)
          JOIN jsonb_array_elements(v_steps) a ON (a->>'i')::int = x.i AND a->>'status' = 'apply'
          WHERE e.id = (a->>'execution')::uuid;
        END IF;

        IF jsonb_array_length(p->'replies') > 0 THEN
          INSERT INTO orchestrator.messages (tenant_id, conversation_id, role, text, execution_id)
          SELECT a->>'tenant', x.conversation, 'assistant', x.text, (a->>'execution')::uuid
          FROM jsonb_to_recordset(p->'replies') AS x(i int, conversation uuid, text text)
          JOIN jsonb_array_elements(v_steps) a ON (a->>'i')::int = x.i AND a->>'status' = 'apply';
        END IF;

        -- A step that settles its execution (view: true) gets the execution as GET shows it, from this transaction.
        IF (p->>'views')::boolean THEN
          SELECT jsonb_agg(CASE WHEN v.i IS NULL THEN a ELSE a || jsonb_build_object('view', orchestrator.execution_view((a->>'execution')::uuid)) END
                           ORDER BY (a->>'i')::int)
          INTO v_steps
          FROM jsonb_array_elements(v_steps) a
          LEFT JOIN (SELECT x.i FROM jsonb_to_recordset(p->'states') AS x(i int, view boolean) WHERE x.view) v
            ON v.i = (a->>'i')::int AND a->>'status' = 'apply';
        END IF;
        RETURN v_steps;
      END $$
