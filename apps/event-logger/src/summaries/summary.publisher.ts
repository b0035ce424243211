import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import { CerebroClient } from './cerebro.client.js';
import { SummariesRepository, type PendingSummary } from './summaries.repository.js';
import { summaryOf, type SummaryDocument } from './summary.document.js';

export const SUMMARY_POLL_MS = Symbol('spine.event-logger.summary-poll');
export const SUMMARY_BATCH = Symbol('spine.event-logger.summary-batch');

export interface SummaryBatch {
  /** Summaries per Cerebro upsert (one embedding call for all of them); this many pending start a pass at once. */
  size: number;
  /** How long a pending summary waits for others to share its batch. */
  waitMs: number;
}

const MAX_ROWS = 1_000;
const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Drains the summaries outbox into Cerebro in batches, beside the consumer and never in its path: a pass starts
 * when `size` summaries are pending or the oldest has waited `waitMs`, and sends each tenant's documents in one
 * upsert. The outbox is in Postgres, so a shutdown loses nothing: what was not indexed is taken by the next start.
 */
@Injectable()
export class SummaryPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SummaryPublisher.name);
  private timer: NodeJS.Timeout | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  private waiting = 0;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly summaries: SummariesRepository,
    private readonly audit: AuditRepository,
    private readonly cerebro: CerebroClient,
    @Inject(SUMMARY_POLL_MS) private readonly pollMs: number,
    @Inject(SUMMARY_BATCH) private readonly batch: SummaryBatch,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.batchTimer);
    this.timer = undefined;
    // A last pass for what is waiting for its batch; anything it does not finish stays in the outbox.
    if (this.waiting > 0) await this.pass();
    await this.running;
  }

  /** A summary was queued: a full batch starts a pass now, else the first one waits at most `waitMs`. */
  enqueued(): void {
    this.waiting += 1;
    if (this.waiting >= this.batch.size) return this.kick();
    this.batchTimer ??= setTimeout(() => this.kick(), this.batch.waitMs);
  }

  /** Starts a pass now (or right after the current one); returns without waiting for it. */
  kick(): void {
    void this.pass();
  }

  private pass(): Promise<void> {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    this.waiting = 0;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again && this.timer) {
        this.again = false;
        this.kick();
      }
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    try {
      const due = await this.summaries.claimDue(this.batch.size, this.pollMs * 4);
      const documents = await Promise.all(due.map(async (p) => ({ p, doc: await this.documentOf(p).catch((err: unknown) => this.defer(p, err)) })));
      const byTenant = new Map<string, { p: PendingSummary; doc: SummaryDocument }[]>();
      for (const { p, doc } of documents) if (doc) byTenant.set(p.tenantId, [...(byTenant.get(p.tenantId) ?? []), { p, doc }]);
      for (const [tenantId, batch] of byTenant) await this.publish(tenantId, batch);
    } catch (err) {
      this.logger.error({ msg: 'summary.pass.failed', error: (err as Error).message });
    }
  }

  private async documentOf(p: PendingSummary): Promise<SummaryDocument> {
    const rows = await this.audit.list(p.tenantId, p.executionId, MAX_ROWS);
    // Replicas log events in parallel: wait until every event up to DONE is in.
    if (rows.filter((r) => r.sequence <= p.doneSequence).length < Math.min(p.doneSequence, MAX_ROWS)) {
      throw new Error(`waiting for events before ${p.doneSequence}`);
    }
    return summaryOf(rows);
  }

  private async publish(tenantId: string, batch: { p: PendingSummary; doc: SummaryDocument }[]): Promise<void> {
    try {
      await this.cerebro.upsert(tenantId, batch[0]!.p.executionId, batch.map((b) => b.doc));
      await this.summaries.markIndexed(tenantId, batch.map((b) => b.p.executionId));
      this.logger.log({ msg: 'summary.indexed', tenant: tenantId, executions: batch.map((b) => b.p.executionId) });
    } catch (err) {
      for (const { p } of batch) await this.defer(p, err);
    }
  }

  private async defer(p: PendingSummary, err: unknown): Promise<undefined> {
    const retryInMs = Math.min(this.pollMs * 2 ** p.attempts, MAX_BACKOFF_MS);
    await this.summaries.markFailed(p.tenantId, p.executionId, (err as Error).message, retryInMs);
    this.logger.warn({ msg: 'summary.deferred', tenant: p.tenantId, execution: p.executionId, attempts: p.attempts + 1, retryInMs, error: (err as Error).message });
    return undefined;
  }
}
