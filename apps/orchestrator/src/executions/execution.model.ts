/** Execution states (seed 004), plus WAITING_INPUT and CANCELLED. */
export const STATES = ['RECEIVED', 'TRIAGED', 'RETRIEVED_CONTEXT', 'PLANNED', 'EXECUTING_TOOLS', 'STREAMING_RESPONSE', 'PERSISTED_EVENT', 'DONE', 'FAILED', 'WAITING_INPUT', 'CANCELLED'] as const;
export type ExecutionStateName = (typeof STATES)[number];
export const TERMINAL: readonly ExecutionStateName[] = ['DONE', 'FAILED', 'CANCELLED'];

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
