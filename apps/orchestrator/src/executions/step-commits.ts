import { ErrorCode, SpineError } from '@spine/contracts';
import { queryRows, type SqlRunner } from '@spine/persistence';
import type { Lease } from './execution.model.js';
import type { StepOp } from './leases.repository.js';

export interface StepResult {
  cancelRequested: boolean;
  applied: boolean;
  seqs: number[];
}

interface Pending {
  lease: Lease;
  ops: StepOp[];
  honourCancel: boolean;
  resolve: (result: StepResult) => void;
  reject: (err: unknown) => void;
}

/** The error of a write refused because another replica claimed the execution since. */
export function leaseLost(executionId: string): SpineError {
  return new SpineError(ErrorCode.FAILED_PRECONDITION, `lease on ${executionId} was lost to a newer claim`, { reason: 'lease_lost' });
}

type RawResult = StepResult | { lost: true };

export interface StepCommitsOptions {
  /** Batches in flight at once; a step waits only while all of them are busy. */
  concurrency: number;
  /** Steps per batch at most. */
  maxBatch: number;
}

/**
 * Group commit for executor steps. A step is sent at once when a connection is free; steps that arrive while every
 * batch slot is busy wait and go together in the next statement (commit_steps), so under load one transaction and
 * one WAL flush carry the steps of many executions. Each step keeps its own outcome: a stale lease fails that step
 * only, and when a batch fails as a whole its steps are retried one by one, so one bad step cannot fail the others.
 */
export class StepCommits {
  private readonly queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: SqlRunner,
    private readonly options: StepCommitsOptions,
  ) {}

  commit(lease: Lease, ops: StepOp[], honourCancel: boolean): Promise<StepResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ lease, ops, honourCancel, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(batch: Pending[]): Promise<void> {
    let results: RawResult[];
    try {
      results = await this.run(batch);
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      for (const step of batch) await this.send([step]);
      return;
    }
    batch.forEach((step, i) => {
      const result = results[i]!;
      if ('lost' in result) step.reject(leaseLost(step.lease.executionId));
      else step.resolve(result);
    });
  }

  private async run(batch: Pending[]): Promise<RawResult[]> {
    const steps = batch.map((s) => ({ execution: s.lease.executionId, token: s.lease.token, ops: s.ops, honourCancel: s.honourCancel }));
    const rows = await queryRows<{ r: RawResult[] }>(this.db, `SELECT orchestrator.commit_steps($1::jsonb) AS r`, [JSON.stringify(steps)]);
    return rows[0]!.r;
  }
}
