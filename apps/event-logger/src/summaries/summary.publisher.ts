import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import { CerebroClient } from './cerebro.client.js';
import { SummariesRepository, type PendingSummary } from './summaries.repository.js';
import { summaryOf } from './summary.document.js';

export const SUMMARY_POLL_MS = Symbol('spine.event-logger.summary-poll');

const BATCH = 20;
const MAX_ROWS = 1_000;
const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Drains the summaries outbox into Cerebro. Runs beside the consumer, never in its path: a
 * failing upsert leaves the row pending with a later attempt time, and nothing waits for it.
 */
@Injectable()
export class SummaryPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SummaryPublisher.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly summaries: SummariesRepository,
    private readonly audit: AuditRepository,
    private readonly cerebro: CerebroClient,
    @Inject(SUMMARY_POLL_MS) private readonly pollMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Starts a pass now (or right after the current one); returns without waiting for it. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again && this.timer) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      const due = await this.summaries.claimDue(BATCH, this.pollMs * 4);
      for (const pending of due) await this.publish(pending);
    } catch (err) {
      this.logger.error({ msg: 'summary.pass.failed', error: (err as Error).message });
    }
  }

  private async publish(p: PendingSummary): Promise<void> {
    try {
      const rows = await this.audit.list(p.tenantId, p.executionId, MAX_ROWS);
      // Replicas log events in parallel: wait until every event up to DONE is in.
      if (rows.filter((r) => r.sequence <= p.doneSequence).length < Math.min(p.doneSequence, MAX_ROWS)) {
        throw new Error(`waiting for events before ${p.doneSequence}`);
      }
      await this.cerebro.upsert(p.tenantId, p.executionId, summaryOf(rows));
      await this.summaries.markIndexed(p.tenantId, p.executionId);
      this.logger.log({ msg: 'summary.indexed', tenant: p.tenantId, execution: p.executionId });
    } catch (err) {
      const retryInMs = Math.min(this.pollMs * 2 ** p.attempts, MAX_BACKOFF_MS);
      await this.summaries.markFailed(p.tenantId, p.executionId, (err as Error).message, retryInMs);
      this.logger.warn({ msg: 'summary.deferred', tenant: p.tenantId, execution: p.executionId, attempts: p.attempts + 1, retryInMs, error: (err as Error).message });
    }
  }
}
