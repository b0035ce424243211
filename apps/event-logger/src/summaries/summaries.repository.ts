import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { queryRows, type SqlRunner } from '@spine/persistence';
import { DataSource } from 'typeorm';

export interface PendingSummary {
  tenantId: string;
  executionId: string;
  doneSequence: number;
  attempts: number;
}

/** event_logger.summaries: the outbox of Cerebro upserts; a row stays pending until one succeeds. */
@Injectable()
export class SummariesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Written in the transaction of the DONE event's audit row. */
  async enqueue(db: SqlRunner, tenantId: string, executionId: string, doneSequence: number): Promise<void> {
    await db.query(
      `INSERT INTO event_logger.summaries (tenant_id, execution_id, done_sequence) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, execution_id) DO NOTHING`,
      [tenantId, executionId, doneSequence],
    );
  }

  /** Takes due rows and pushes their next attempt out by `leaseMs`, so another replica leaves them alone meanwhile. */
  async claimDue(limit: number, leaseMs: number): Promise<PendingSummary[]> {
    const rows = await queryRows<{ tenant_id: string; execution_id: string; done_sequence: string; attempts: number }>(
      this.db,
      `UPDATE event_logger.summaries s SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
       FROM (SELECT tenant_id, execution_id FROM event_logger.summaries
             WHERE indexed_at IS NULL AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
       WHERE s.tenant_id = due.tenant_id AND s.execution_id = due.execution_id
       RETURNING s.tenant_id, s.execution_id, s.done_sequence, s.attempts`,
      [limit, leaseMs],
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, executionId: r.execution_id, doneSequence: Number(r.done_sequence), attempts: r.attempts }));
  }

  async markIndexed(tenantId: string, executionIds: readonly string[]): Promise<void> {
    await this.db.query(`UPDATE event_logger.summaries SET indexed_at = now(), last_error = '' WHERE tenant_id = $1 AND execution_id = ANY($2::text[])`, [tenantId, executionIds]);
  }

  async markFailed(tenantId: string, executionId: string, error: string, retryInMs: number): Promise<void> {
    await this.db.query(
      `UPDATE event_logger.summaries SET attempts = attempts + 1, last_error = $3, next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
       WHERE tenant_id = $1 AND execution_id = $2`,
      [tenantId, executionId, error.slice(0, 1_000), retryInMs],
    );
  }

  async isIndexed(tenantId: string, executionId: string): Promise<boolean> {
    const rows = await queryRows<{ indexed: boolean }>(this.db, `SELECT indexed_at IS NOT NULL AS indexed FROM event_logger.summaries WHERE tenant_id = $1 AND execution_id = $2`, [tenantId, executionId]);
    return rows[0]?.indexed ?? false;
  }
}
