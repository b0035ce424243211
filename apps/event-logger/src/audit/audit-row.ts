import { toJson, type JsonObject } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { ExecutionEventSchema, ExecutionState, SpineError, type ExecutionEvent } from '@spine/contracts';

/** One audit row: an ExecutionEvent, flattened for queries, with the event itself as JSON. */
export interface AuditRow {
  tenantId: string;
  executionId: string;
  sequence: number;
  at: Date;
  kind: 'state_changed' | 'node_started' | 'node_completed' | 'node_failed' | 'node_skipped';
  state: string;
  nodeId: string;
  agent: string;
  payload: JsonObject;
}

const KINDS = {
  stateChanged: 'state_changed',
  nodeStarted: 'node_started',
  nodeCompleted: 'node_completed',
  nodeFailed: 'node_failed',
  nodeSkipped: 'node_skipped',
} as const;

/**
 * Checks an event against the subject it came on (`spine.events.<tenant>.<execution>`) and flattens it.
 * A publisher cannot log into another tenant's trail by naming it in the payload only.
 */
export function auditRowOf(event: ExecutionEvent, subject: string): AuditRow {
  const [, , tenant, execution] = subject.split('.');
  if (!event.tenantId || event.tenantId !== tenant) throw SpineError.invalid(`event tenant ${JSON.stringify(event.tenantId)} does not match subject ${subject}`, { field: 'tenant_id' });
  if (!event.executionId || event.executionId !== execution) throw SpineError.invalid(`event execution ${JSON.stringify(event.executionId)} does not match subject ${subject}`, { field: 'execution_id' });
  if (event.sequence < 1n) throw SpineError.invalid('sequence starts at 1', { field: 'sequence' });
  if (event.kind.case === undefined) throw SpineError.invalid('event has no kind', { field: 'kind' });
  const { case: kase, value } = event.kind;
  return {
    tenantId: event.tenantId,
    executionId: event.executionId,
    sequence: Number(event.sequence),
    at: event.at ? timestampDate(event.at) : new Date(0),
    kind: KINDS[kase],
    state: kase === 'stateChanged' ? (ExecutionState[value.current] ?? '') : '',
    nodeId: kase === 'stateChanged' ? '' : value.nodeId,
    agent: kase === 'nodeStarted' ? value.agent : '',
    payload: toJson(ExecutionEventSchema, event) as JsonObject,
  };
}

export const isDone = (row: AuditRow): boolean => row.kind === 'state_changed' && row.state === 'DONE';

/** The user and conversation a DONE row's summary belongs to: set only when the flow declares `memory`. */
export function memoryOf(row: AuditRow): { conversationId: string; userId: string } | undefined {
  if (!isDone(row)) return undefined;
  const changed = row.payload['stateChanged'];
  const memory = changed !== null && typeof changed === 'object' && !Array.isArray(changed) ? changed['memory'] : undefined;
  if (memory === null || typeof memory !== 'object' || Array.isArray(memory)) return undefined;
  return { conversationId: typeof memory['conversationId'] === 'string' ? memory['conversationId'] : '', userId: typeof memory['userId'] === 'string' ? memory['userId'] : '' };
}
