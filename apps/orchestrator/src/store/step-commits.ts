import { ErrorCode, SpineError } from '@spine/contracts';
import { queryRows, type SqlRunner } from '@spine/persistence';
import { detailOf, SETTLED, TERMINAL, type ExecutionDetail, type ExecutionStateName, type ExecutionViewJson, type Json, type Lease } from './execution.model.js';
import { Batched, type BatchedOptions, type Settled } from './batched.js';

/** One write of an executor step; commit_steps applies a step's writes together (see its migration). */
export type StepOp =
  | { op: 'start'; node: string; input: Json }
  | { op: 'finish'; node: string; state: 'succeeded' | 'failed' | 'skipped'; output?: Json; error?: Json; usage?: Json }
  | { op: 'event'; type: string; payload: Json }
  | { op: 'state'; from: ExecutionStateName; to: ExecutionStateName; error?: Json; memory?: ExecutionMemory }
  | { op: 'reply'; conversation: string; text: string };

/** On the DONE of a flow with `memory`: whose summary the event-logger writes. */
export interface ExecutionMemory {
  conversationId: string;
  userId: string;
}

/** The state_changed event's payload, as committed and as published. */
export function stateEventPayload(op: Extract<StepOp, { op: 'state' }>): Json {
  return { previous: op.from, current: op.to, ...(op.memory ? { memory: { conversationId: op.memory.conversationId, userId: op.memory.userId } } : {}) };
}

export interface StepResult {
  cancelRequested: boolean;
  applied: boolean;
  seqs: number[];
  /** The execution as GET shows it, when the step settled it (DONE, FAILED, CANCELLED, WAITING_INPUT). */
  view?: ExecutionDetail;
}

/**
 * True when Postgres answered the statement with an error (pg's DatabaseError carries a severity): the transaction
 * was rolled back, so its steps can be sent again. Without an answer (the connection dropped) the batch may have
 * been committed, and sending its steps again would apply them twice: they fail instead, and the execution resumes
 * from what was committed when its lease is claimed again.
 */
function refusedByPostgres(err: unknown): boolean {
  const e = err as { severity?: unknown; driverError?: { severity?: unknown } } | null;
  return typeof (e?.severity ?? e?.driverError?.severity) === 'string';
}

/** The error of a write refused because another replica claimed the execution since. */
export function leaseLost(executionId: string): SpineError {
  return new SpineError(ErrorCode.FAILED_PRECONDITION, `lease on ${executionId} was lost to a newer claim`, { reason: 'lease_lost' });
}

/** What commit_steps answers for one step (see its migration). */
interface StepOutcome {
  i: number;
  status: 'lost' | 'cancelled' | 'apply';
  cancelRequested: boolean;
  base?: number;
  view?: ExecutionViewJson;
}

interface Step {
  lease: Lease;
  ops: StepOp[];
  honourCancel: boolean;
}

/**
 * Group commit for executor steps (see Batched): under load one commit_steps statement, one transaction and one WAL
 * flush carry the steps of many executions. A stale lease fails its own step only.
 */
export class StepCommits {
  private readonly batched: Batched<Step, StepResult>;

  constructor(
    private readonly db: SqlRunner,
    options: BatchedOptions,
  ) {
    this.batched = new Batched((steps) => this.run(steps), { ...options, retryAlone: refusedByPostgres });
  }

  commit(lease: Lease, ops: StepOp[], honourCancel: boolean): Promise<StepResult> {
    return this.batched.submit({ lease, ops, honourCancel });
  }

  private async run(steps: Step[]): Promise<Settled<StepResult>[]> {
    const { batch, eventCounts } = batchOf(steps);
    const rows = await queryRows<{ r: StepOutcome[] }>(this.db, `SELECT orchestrator.commit_steps($1::jsonb) AS r`, [JSON.stringify(batch)]);
    const outcomes = new Map(rows[0]!.r.map((o) => [o.i, o]));
    return steps.map((step, i) => {
      const o = outcomes.get(i);
      if (!o) return { ok: false, error: new Error(`commit_steps said nothing of step ${i}`) };
      if (o.status === 'lost') return { ok: false, error: leaseLost(step.lease.executionId) };
      if (o.status === 'cancelled') return { ok: true, value: { applied: false, cancelRequested: true, seqs: [] } };
      const count = eventCounts[i]!;
      const seqs = Array.from({ length: count }, (_, k) => o.base! + k + 1);
      return { ok: true, value: { applied: true, cancelRequested: o.cancelRequested, seqs, ...(o.view ? { view: detailOf(o.view) } : {}) } };
    });
  }
}

/** The steps' ops sorted by table, as commit_steps takes them, and how many events each step appends. */
function batchOf(steps: Step[]) {
  const batch = {
    steps: [] as { i: number; execution: string; token: string; honourCancel: boolean }[],
    starts: [] as { i: number; node: string; input: unknown }[],
    finishes: [] as { i: number; node: string; state: string; output: unknown; error: unknown; usage: unknown }[],
    events: [] as { i: number; k: number; type: string; payload: unknown }[],
    states: [] as { i: number; state: string; error: unknown; terminal: boolean; events: number; view: boolean }[],
    replies: [] as { i: number; conversation: string; text: string }[],
    views: false,
  };
  const eventCounts: number[] = [];
  steps.forEach((step, i) => {
    batch.steps.push({ i, execution: step.lease.executionId, token: step.lease.token, honourCancel: step.honourCancel });
    let k = 0;
    let state: { state: ExecutionStateName; error: unknown; terminal: boolean } | undefined;
    for (const op of step.ops) {
      switch (op.op) {
        case 'start':
          batch.starts.push({ i, node: op.node, input: op.input });
          break;
        case 'finish':
          batch.finishes.push({ i, node: op.node, state: op.state, output: op.output ?? null, error: op.error ?? null, usage: op.usage ?? null });
          break;
        case 'event':
          batch.events.push({ i, k: ++k, type: op.type, payload: op.payload ?? {} });
          break;
        case 'state':
          batch.events.push({ i, k: ++k, type: 'state_changed', payload: stateEventPayload(op) });
          state = { state: op.to, error: op.error ?? state?.error ?? null, terminal: (state?.terminal ?? false) || TERMINAL.includes(op.to) };
          break;
        case 'reply':
          batch.replies.push({ i, conversation: op.conversation, text: op.text });
          break;
      }
    }
    const view = state !== undefined && SETTLED.includes(state.state);
    if (state) batch.states.push({ i, ...state, events: k, view });
    batch.views ||= view;
    eventCounts.push(k);
  });
  return { batch, eventCounts };
}
