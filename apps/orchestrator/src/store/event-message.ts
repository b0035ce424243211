import { create, fromJson, type JsonObject } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { errorCodeOf, ErrorSchema, ExecutionEventSchema, ExecutionState, spineRegistry, UsageSchema, type ExecutionEvent } from '@spine/contracts';
import type { EventRow, Json } from './execution.model.js';

const STATE = (name: unknown) => ExecutionState[name as keyof typeof ExecutionState] ?? ExecutionState.UNSPECIFIED;

/** A committed event row as the protobuf ExecutionEvent published on JetStream and sent over gRPC. */
export function executionEventOf(executionId: string, tenantId: string, event: Pick<EventRow, 'seq' | 'type' | 'payload' | 'at'>): ExecutionEvent {
  const p = (event.payload ?? {}) as Record<string, Json>;
  const base = { executionId, tenantId, sequence: BigInt(event.seq), at: timestampFromDate(new Date(event.at)) };
  const nodeId = String(p['nodeId'] ?? '');
  switch (event.type) {
    case 'state_changed':
      return create(ExecutionEventSchema, {
        ...base,
        kind: { case: 'stateChanged', value: { previous: STATE(p['previous']), current: STATE(p['current']), ...(isObject(p['memory']) ? { memory: { conversationId: String(p['memory']['conversationId'] ?? ''), userId: String(p['memory']['userId'] ?? '') } } : {}) } },
      });
    case 'node_started':
      return create(ExecutionEventSchema, { ...base, kind: { case: 'nodeStarted', value: { nodeId, agent: String(p['agent'] ?? ''), attempt: Number(p['attempt'] ?? 1) } } });
    case 'node_completed':
      return create(ExecutionEventSchema, {
        ...base,
        kind: {
          case: 'nodeCompleted',
          value: {
            nodeId,
            output: structOf(p['output']),
            durationMs: Number(p['durationMs'] ?? 0),
            ...(isObject(p['usage']) ? { usage: fromJson(UsageSchema, p['usage'], { registry: spineRegistry, ignoreUnknownFields: true }) } : {}),
          },
        },
      });
    case 'node_failed': {
      const error = isObject(p['error']) ? p['error'] : {};
      return create(ExecutionEventSchema, {
        ...base,
        kind: {
          case: 'nodeFailed',
          value: {
            nodeId,
            attempt: Number(p['attempt'] ?? 1),
            willRetry: p['willRetry'] === true,
            error: create(ErrorSchema, { code: errorCodeOf(String(error['code'] ?? '')) ?? 0, message: String(error['message'] ?? ''), retryable: error['retryable'] === true }),
          },
        },
      });
    }
    default:
      return create(ExecutionEventSchema, { ...base, kind: { case: 'nodeSkipped', value: { nodeId, reason: String(p['reason'] ?? '') } } });
  }
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Outputs that are not objects travel as `{ value: … }`. */
function structOf(value: Json | undefined): JsonObject {
  return isObject(value) ? value : { value: value ?? null };
}
