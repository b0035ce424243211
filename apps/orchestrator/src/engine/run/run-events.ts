import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EventRow } from '../../store/execution.model.js';
import type { LoggerService } from '@nestjs/common';
import type { EventPublisher } from '../outbox/event-publisher.js';

export interface RunEventsDeps {
  publisher: EventPublisher;
  logger: LoggerService;
}

/**
 * The events of one execution run: appended to the log inside the run's transactions, then published to JetStream
 * after each commit, in order and off the critical path. Publishing stops at the first failure (the sweeper
 * finishes it from Postgres); how far it got is recorded once, at the end.
 */
export class RunEvents {
  private readonly pending: EventRow[] = [];
  private publishing: Promise<void> = Promise.resolve();
  private published = 0;
  private failed = false;

  constructor(
    private readonly deps: RunEventsDeps,
    private readonly executionId: string,
    private readonly tenantId: string,
  ) {}

  /** An event the last commit appended. */
  add(event: EventRow): void {
    this.pending.push(event);
  }

  /** Publishes what the last commit made durable. */
  flush(): void {
    const events = this.pending.splice(0).sort((a, b) => a.seq - b.seq);
    if (events.length === 0) return;
    // A turn of the event loop later: the dispatch that the same commit allowed goes out first.
    this.publishing = this.publishing.then(async () => {
      await nextTurn();
      if (this.failed) return;
      try {
        this.published = await this.deps.publisher.publish(this.executionId, this.tenantId, events);
      } catch (err) {
        this.failed = true;
        this.deps.logger.warn?.({ msg: 'events.publish_failed', executionId: this.executionId, err });
      }
    });
  }

  async drain(record = false): Promise<void> {
    await this.publishing;
    if (record && this.published > 0) await this.deps.publisher.markPublished(this.executionId, this.published);
  }
}
