import { Injectable } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import type { SqlRunner } from '@spine/persistence';
import { setTimeout as sleep } from 'node:timers/promises';
import { Clock } from '../core/clock.js';
import { ExecutorService } from '../engine/executor.service.js';
import { SETTLED, type ChildExecution, type EventRow, type ExecutionDetail, type ExecutionRow, type ExecutionStateName, type Json, type NodeRunRow } from '../store/execution.model.js';
import { cancelExecutionTree } from '../store/cancel-tree.js';
import { ExecutionsRepository } from '../store/executions.repository.js';

export interface ExecutionView {
  id: string;
  flowId: string;
  flowVersion: number;
  conversationId: string | null;
  state: ExecutionStateName;
  error: Json | null;
  input: Json;
  createdAt: Date;
  finishedAt: Date | null;
  /** A sub-flow's execution: the parent execution and the `flow` node that runs it. */
  parentExecutionId: string | null;
  parentNodeId: string | null;
  /** A sub-flow's budget carved out of its parent's (null: its flow's own scopes). */
  tokenBudget: string | null;
  deadlineAt: Date | null;
  /** The child executions of this execution's `flow` nodes. */
  children: ChildExecution[];
  nodes: (NodeRunRow & { durationMs: number | null })[];
}

const WAIT_SLICE_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that is not even a UUID names no execution: not found, like another tenant's. */
export function assertExecutionId(id: string): void {
  if (!UUID.test(id)) throw SpineError.notFound(`no execution '${id}'`);
}

/** What the API shows of an execution: not its lease, cancel flag or outbox progress; each node's duration. */
function viewOf(row: ExecutionDetail): ExecutionView {
  const { fencingToken: _token, cancelRequested: _cancel, eventsPublished: _published, ...rest } = row;
  return {
    ...rest,
    nodes: row.nodes.map((n) => ({ ...n, durationMs: n.startedAt && n.finishedAt ? new Date(n.finishedAt).getTime() - new Date(n.startedAt).getTime() : null })),
  };
}

/** Starting, reading, waiting for and cancelling executions; every read is tenant-scoped (another tenant's: not found). */
@Injectable()
export class ExecutionsService {
  constructor(
    private readonly executions: ExecutionsRepository,
    private readonly executor: ExecutorService,
    private readonly clock: Clock,
  ) {}

  /** Starts the flow's latest version (or `version`), pinned on the execution. */
  async start(tenantId: string, flowId: string, input: Json, options: { version?: number; conversationId?: string; extra?: (tx: SqlRunner, row: ExecutionRow) => Promise<void> } = {}): Promise<ExecutionRow> {
    return this.executor.start(
      { tenantId, flowId, flowVersion: options.version, input, ...(options.conversationId ? { conversationId: options.conversationId } : {}) },
      options.extra,
    );
  }

  async get(tenantId: string, id: string): Promise<ExecutionView> {
    assertExecutionId(id);
    const row = await this.executions.get(tenantId, id);
    if (!row) throw SpineError.notFound(`no execution '${id}'`);
    return viewOf(row);
  }

  /**
   * Waits until the execution is DONE, FAILED, CANCELLED or WAITING_INPUT (or `timeoutMs` passes), then reads it.
   * When this replica runs it, the commit that settled it also returned it: no read.
   */
  async waitFor(tenantId: string, id: string, timeoutMs: number): Promise<ExecutionView> {
    const local = this.executor.finished(id);
    const until = this.clock.nowMs() + timeoutMs;
    if (local) {
      // The timer goes as soon as the execution settles: thousands of waits must not each keep one for timeoutMs.
      let timer: NodeJS.Timeout | undefined;
      const settled = await Promise.race([local, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)))]);
      clearTimeout(timer);
      if (settled && settled.tenantId === tenantId && SETTLED.includes(settled.state)) return viewOf(settled);
    }
    for (let view = await this.get(tenantId, id); ; view = await this.get(tenantId, id)) {
      if (SETTLED.includes(view.state) || this.clock.nowMs() >= until) return view;
      await sleep(25);
    }
  }

  /** Waits in slices of at most a minute until the execution settles or `maxMs` passes, then reads it. */
  async settle(tenantId: string, id: string, maxMs: number): Promise<ExecutionView> {
    const until = this.clock.nowMs() + maxMs;
    for (;;) {
      const view = await this.waitFor(tenantId, id, Math.max(1, Math.min(WAIT_SLICE_MS, until - this.clock.nowMs())));
      if (SETTLED.includes(view.state) || this.clock.nowMs() >= until) return view;
    }
  }

  async events(tenantId: string, id: string, afterSeq: number): Promise<EventRow[]> {
    await this.get(tenantId, id);
    return this.executions.eventsAfter(tenantId, id, afterSeq);
  }

  /**
   * Records the cancel request. The replica holding the execution stops dispatching and ends it CANCELLED; one
   * nobody holds (waiting for input, or its replica died) is cancelled here, fencing off any late holder.
   */
  async cancel(tenantId: string, id: string): Promise<{ executionId: string; state: ExecutionStateName; cancelRequested: true }> {
    assertExecutionId(id);
    const outcome = await cancelExecutionTree(this.executions, tenantId, id, (held) => this.executor.signalCancel(held));
    if (outcome.kind === 'missing') throw SpineError.notFound(`no execution '${id}'`);
    if (outcome.kind === 'ended') throw new SpineError(ErrorCode.FAILED_PRECONDITION, `execution '${id}' already ended ${outcome.state}`, { state: outcome.state });
    const state: ExecutionStateName = outcome.kind === 'held' ? outcome.state : 'CANCELLED';
    return { executionId: id, state, cancelRequested: true };
  }
}
