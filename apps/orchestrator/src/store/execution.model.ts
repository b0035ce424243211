/** Execution states (seed 004), plus WAITING_INPUT and CANCELLED. */
export const STATES = ['RECEIVED', 'TRIAGED', 'RETRIEVED_CONTEXT', 'PLANNED', 'EXECUTING_TOOLS', 'STREAMING_RESPONSE', 'PERSISTED_EVENT', 'DONE', 'FAILED', 'WAITING_INPUT', 'CANCELLED'] as const;
export type ExecutionStateName = (typeof STATES)[number];
export const TERMINAL: readonly ExecutionStateName[] = ['DONE', 'FAILED', 'CANCELLED'];
/** States after which an execution does nothing until something outside changes it. */
export const SETTLED: readonly ExecutionStateName[] = [...TERMINAL, 'WAITING_INPUT'];

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface ExecutionRow {
  id: string;
  tenantId: string;
  flowId: string;
  flowVersion: number;
  conversationId: string | null;
  state: ExecutionStateName;
  input: Json;
  error: Json | null;
  cancelRequested: boolean;
  fencingToken: string;
  /** How far the execution's events have reached JetStream (see EventPublisher). */
  eventsPublished: number;
  createdAt: Date;
  finishedAt: Date | null;
  /** A child execution (a `flow` node's): the parent execution and its node; null otherwise. */
  parentExecutionId: string | null;
  parentNodeId: string | null;
  /** A child's budget carved out of its parent's: the tokens it may use and its absolute deadline (null: its flow's own). */
  tokenBudget: string | null;
  deadlineAt: Date | null;
}

/** A child execution as its parent shows it. */
export interface ChildExecution {
  executionId: string;
  nodeId: string;
  flowId: string;
  flowVersion: number;
  state: ExecutionStateName;
}

export interface NodeRunRow {
  nodeId: string;
  state: 'running' | 'succeeded' | 'failed' | 'skipped';
  attempts: number;
  input: Json | null;
  output: Json | null;
  error: Json | null;
  usage: Json | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface EventRow {
  seq: number;
  type: string;
  payload: Json;
  at: Date;
}

/** A claim on an execution: writes carry the token, and a newer claim makes older tokens worthless. */
export interface Lease {
  executionId: string;
  owner: string;
  token: string;
}

/** An execution with its node runs, as `orchestrator.execution_view` builds it (dates as Date). */
export type ExecutionDetail = ExecutionRow & { nodes: NodeRunRow[]; children: ChildExecution[] };

type Dated<T, K extends keyof T> = Omit<T, K> & { [P in K]: string | null };

/** The JSON of `orchestrator.execution_view` with its timestamps as Date. */
export function detailOf(
  json: Dated<ExecutionRow, 'createdAt' | 'finishedAt' | 'deadlineAt'> & { nodes: Dated<NodeRunRow, 'startedAt' | 'finishedAt'>[]; children?: ChildExecution[] },
): ExecutionDetail {
  const date = (at: string | null) => (at === null ? null : new Date(at));
  return {
    ...json,
    createdAt: new Date(json.createdAt!),
    finishedAt: date(json.finishedAt),
    parentExecutionId: json.parentExecutionId ?? null,
    parentNodeId: json.parentNodeId ?? null,
    tokenBudget: json.tokenBudget === null || json.tokenBudget === undefined ? null : String(json.tokenBudget),
    deadlineAt: date(json.deadlineAt ?? null),
    children: json.children ?? [],
    nodes: json.nodes.map((n) => ({ ...n, startedAt: date(n.startedAt), finishedAt: date(n.finishedAt) })),
  };
}

export type ExecutionViewJson = Parameters<typeof detailOf>[0];
