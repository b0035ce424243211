import { fromJson, toJson, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate, ValueSchema } from '@bufbuild/protobuf/wkt';
import { SpineError, type DecideHumanTaskRequest, type HumanTaskSchema, type ListHumanTasksRequest } from '@spine/contracts';
import type { HumanDecision, HumanTask, InboxFilter } from '../inbox/human-task.model.js';
import type { DecisionBody } from '../inbox/inbox.service.js';
import type { Json } from '../store/execution.model.js';

const stamp = (at: string | null) => (at ? timestampFromDate(new Date(at)) : undefined);
const value = (json: Json | null) => (json === null ? undefined : fromJson(ValueSchema, json));
const DECISIONS: readonly string[] = ['approve', 'reject', 'edit'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_OLDER_THAN_MS = 365 * 86_400_000;

export function humanTaskOf(t: HumanTask): MessageInitShape<typeof HumanTaskSchema> {
  return {
    id: t.id,
    executionId: t.executionId,
    nodeId: t.nodeId,
    flowId: t.flowId,
    prompt: t.prompt,
    data: value(t.data),
    decisions: t.decisions,
    editSchema: value(t.editSchema),
    assigneeRole: t.assigneeRole,
    deadlineAt: stamp(t.deadlineAt),
    defaultAction: t.defaultAction,
    state: t.state,
    decision: t.decision ?? '',
    decidedData: value(t.decidedData),
    comment: t.comment ?? '',
    decidedBy: t.decidedBy ?? '',
    createdAt: stamp(t.createdAt),
    decidedAt: stamp(t.decidedAt),
  };
}

/** The same filters and bounds as GET /v1/inbox. */
export function inboxFilterOf(req: ListHumanTasksRequest): InboxFilter {
  const olderThanMs = Number(req.olderThanMs);
  if (olderThanMs < 0 || olderThanMs > MAX_OLDER_THAN_MS) throw SpineError.invalid(`older_than_ms must be between 0 and ${MAX_OLDER_THAN_MS}`, { field: 'older_than_ms' });
  if (req.limit < 0 || req.limit > 1_000) throw SpineError.invalid('limit must be between 1 and 1000', { field: 'limit' });
  if (req.executionId && !UUID.test(req.executionId)) throw SpineError.invalid('execution_id must be a UUID', { field: 'execution_id' });
  return {
    ...(req.flowId ? { flowId: req.flowId } : {}),
    ...(req.role ? { role: req.role } : {}),
    ...(olderThanMs ? { olderThanMs } : {}),
    ...(req.executionId ? { executionId: req.executionId } : {}),
    limit: req.limit || 100,
  };
}

export function taskIdOf(id: string): string {
  if (!UUID.test(id)) throw SpineError.notFound(`no task '${id}'`);
  return id;
}

export function decisionBodyOf(req: DecideHumanTaskRequest): DecisionBody {
  if (!DECISIONS.includes(req.decision)) throw SpineError.invalid('decision must be approve, reject or edit', { field: 'decision' });
  if (req.comment.length > 4_000) throw SpineError.invalid('comment is at most 4000 characters', { field: 'comment' });
  return {
    decision: req.decision as HumanDecision,
    ...(req.data ? { data: toJson(ValueSchema, req.data) as Json } : {}),
    ...(req.comment ? { comment: req.comment } : {}),
  };
}
