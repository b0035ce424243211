-- Sub-flows and free waiting (loaded by migration 1765200000000-subflows.ts; existing databases ran this text once,
-- so never edit it: change these functions in a new migration with a new .sql file).
--
-- What it guarantees:
-- - A parked execution (it waits only on people or child executions, and holds no lease nor executor slot) is made
--   claimable again in the same transaction that settles what it waits on: a human task leaving 'open' (decided,
--   expired, closed), or a child execution reaching DONE, FAILED, CANCELLED or WAITING_INPUT. No path that settles
--   one can forget the wake-up. The executor's NATS hint only makes the claim sooner.
-- - execution_view shows the parent of a child execution and the children of a parent.

CREATE FUNCTION orchestrator.wake_on_task_settled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE orchestrator.executions SET parked = false WHERE id = NEW.execution_id AND parked;
  RETURN NULL;
END $$;

CREATE TRIGGER human_task_settled AFTER UPDATE OF state ON orchestrator.human_tasks
  FOR EACH ROW WHEN (OLD.state = 'open' AND NEW.state <> 'open') EXECUTE FUNCTION orchestrator.wake_on_task_settled();

CREATE FUNCTION orchestrator.wake_on_child_settled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE orchestrator.executions SET parked = false WHERE id = NEW.parent_execution_id AND parked;
  RETURN NULL;
END $$;

CREATE TRIGGER child_execution_settled AFTER UPDATE OF state ON orchestrator.executions
  FOR EACH ROW WHEN (NEW.parent_execution_id IS NOT NULL AND OLD.state IS DISTINCT FROM NEW.state
                     AND NEW.state IN ('DONE', 'FAILED', 'CANCELLED', 'WAITING_INPUT'))
  EXECUTE FUNCTION orchestrator.wake_on_child_settled();

CREATE OR REPLACE FUNCTION orchestrator.execution_view(p_id uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', e.id, 'tenantId', e.tenant_id, 'flowId', e.flow_id, 'flowVersion', e.flow_version, 'conversationId', e.conversation_id,
    'state', e.state, 'input', e.input, 'error', e.error, 'cancelRequested', e.cancel_requested, 'fencingToken', e.fencing_token::text,
    'eventsPublished', e.events_published, 'createdAt', e.created_at, 'finishedAt', e.finished_at,
    'parentExecutionId', e.parent_execution_id, 'parentNodeId', e.parent_node_id,
    'tokenBudget', e.token_budget, 'deadlineAt', e.deadline_at,
    'children', (
      SELECT coalesce(jsonb_agg(jsonb_build_object('executionId', c.id, 'nodeId', c.parent_node_id, 'flowId', c.flow_id,
                                                   'flowVersion', c.flow_version, 'state', c.state) ORDER BY c.created_at), '[]'::jsonb)
      FROM orchestrator.executions c WHERE c.parent_execution_id = e.id),
    'nodes', (
      SELECT coalesce(jsonb_agg(jsonb_build_object(
        'nodeId', n.node_id, 'state', n.state, 'attempts', n.attempts, 'input', n.input, 'output', n.output, 'error', n.error,
        'usage', n.usage, 'startedAt', n.started_at, 'finishedAt', n.finished_at) ORDER BY n.started_at NULLS LAST, n.node_id), '[]'::jsonb)
      FROM orchestrator.node_runs n WHERE n.execution_id = e.id))
  FROM orchestrator.executions e WHERE e.id = p_id
$$;
