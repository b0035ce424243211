import { TaskState, type ListTasksRequest, type Task } from '@a2a-js/sdk';
import { STATES, type ExecutionStateName } from '../store/execution.model.js';
import type { TaskCursor, TaskQuery } from './a2a-tasks.repository.js';

/**
 * A ListTasks parameter the SDK lets through and A2A refuses (-32602). The SDK's own error classes cannot be thrown
 * from here (its server bundle checks instanceof against classes it does not export), so the router answers these
 * before the SDK sees the request.
 */
export class InvalidTaskQuery extends Error {}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
/** RFC 3339 as A2A's JSON timestamps are written (the SDK's check accepts anything Date parses, "-1" included). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SETTLED_STATES: Partial<Record<TaskState, readonly ExecutionStateName[]>> = {
  [TaskState.TASK_STATE_SUBMITTED]: ['RECEIVED'],
  [TaskState.TASK_STATE_COMPLETED]: ['DONE'],
  [TaskState.TASK_STATE_FAILED]: ['FAILED'],
  [TaskState.TASK_STATE_CANCELED]: ['CANCELLED'],
  [TaskState.TASK_STATE_INPUT_REQUIRED]: ['WAITING_INPUT'],
};
const ELSEWHERE = new Set(Object.values(SETTLED_STATES).flat());

/** The execution states behind a task state (taskStateOf read backwards); undefined: no filter. */
export function statesOf(status: TaskState | undefined): readonly ExecutionStateName[] | undefined {
  if (status === undefined || status === TaskState.TASK_STATE_UNSPECIFIED) return undefined;
  if (status === TaskState.TASK_STATE_WORKING) return STATES.filter((s) => !ELSEWHERE.has(s));
  return SETTLED_STATES[status] ?? [];
}

export function encodeCursor(c: TaskCursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');
}

export function decodeCursor(token: string): TaskCursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && TIMESTAMP.test(at) && typeof id === 'string' && UUID.test(id)) return { at, id };
  } catch {
    // falls through to the error below
  }
  throw new InvalidTaskQuery('pageToken is not a token this server issued');
}

/** ListTasks parameters as a query; InvalidTaskQuery where A2A says -32602. */
export function queryOf(params: Omit<ListTasksRequest, 'tenant' | 'status'> & { status?: TaskState | undefined }): TaskQuery & { historyLength: number | undefined } {
  const limit = params.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new InvalidTaskQuery(`pageSize must be between 1 and ${MAX_PAGE_SIZE}`);
  if (params.historyLength !== undefined && (!Number.isInteger(params.historyLength) || params.historyLength < 0)) throw new InvalidTaskQuery('historyLength must be 0 or more');
  if (params.statusTimestampAfter && (!TIMESTAMP.test(params.statusTimestampAfter) || Number.isNaN(Date.parse(params.statusTimestampAfter)))) {
    throw new InvalidTaskQuery('statusTimestampAfter must be an RFC 3339 timestamp');
  }
  if ((params.contextId?.length ?? 0) > 256) throw new InvalidTaskQuery('contextId is too long');
  return {
    contextId: params.contextId || undefined,
    states: statesOf(params.status),
    after: params.statusTimestampAfter ? new Date(params.statusTimestampAfter) : undefined,
    cursor: params.pageToken ? decodeCursor(params.pageToken) : undefined,
    limit,
    historyLength: params.historyLength,
  };
}

/** A listed task as asked: the last `historyLength` messages, artifacts only when included. */
export function trimTask(task: Task, historyLength: number | undefined, includeArtifacts: boolean): Task {
  return {
    ...task,
    history: historyLength === undefined ? task.history : historyLength === 0 ? [] : task.history.slice(-historyLength),
    artifacts: includeArtifacts ? task.artifacts : [],
  };
}

/** The same checks on a JSON-RPC `ListTasks` request's raw params (the status enum is checked by the SDK). */
export function checkListParams(raw: unknown): void {
  const p = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const num = (v: unknown) => (v === undefined || v === null ? undefined : typeof v === 'number' ? v : Number.NaN);
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  queryOf({ contextId: str(p['contextId']), pageSize: num(p['pageSize']), historyLength: num(p['historyLength']), pageToken: str(p['pageToken']), statusTimestampAfter: str(p['statusTimestampAfter']) || undefined });
}
