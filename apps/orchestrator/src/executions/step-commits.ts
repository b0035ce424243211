import { ErrorCode, SpineError } from '@spine/contracts';
import { queryRows, type SqlRunner } from '@spine/persistence';
import type { Lease } from './execution.model.js';
import type { StepOp } from './leases.repository.js';
import { Batched, type BatchedOptions, type Settled } from './batched.js';

export interface StepResult {
  cancelRequested: boolean;
  applied: boolean;
  seqs: number[];
}

/** The error of a write refused because another replica claimed the execution since. */
export function leaseLost(executionId: string): SpineError {
  return new SpineError(ErrorCode.FAILED_PRECONDITION, `lease on ${executionId} was lost to a newer claim`, { reason: 'lease_lost' });
}

type RawResult = StepResult | { lost: true };

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
    this.batched = new Batched((steps) => this.run(steps), options);
  }

  commit(lease: Lease, ops: StepOp[], honourCancel: boolean): Promise<StepResult> {
    return this.batched.submit({ lease, ops, honourCancel });
  }

  private async run(steps: Step[]): Promise<Settled<StepResult>[]> {
    const body = steps.map((s) => ({ execution: s.lease.executionId, token: s.lease.token, ops: s.ops, honourCancel: s.honourCancel }));
    const rows = await queryRows<{ r: RawResult[] }>(this.db, `SELECT orchestrator.commit_steps($1::jsonb) AS r`, [JSON.stringify(body)]);
    return rows[0]!.r.map((result, i) => ('lost' in result ? { ok: false, error: leaseLost(steps[i]!.lease.executionId) } : { ok: true, value: result }));
  }
}
