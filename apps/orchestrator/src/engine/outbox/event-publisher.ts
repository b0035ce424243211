import { toBinary } from '@bufbuild/protobuf';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ExecutionEventSchema, streams, subjects } from '@spine/contracts';
import { ensureStream, publishOnce, NATS_CONNECTION } from '@spine/messaging';
import { executionEventOf } from '../../store/event-message.js';
import type { EventRow } from '../../store/execution.model.js';
import { Batched, type Settled } from '../../store/batched.js';
import { ExecutionsRepository } from '../../store/executions.repository.js';
import { OutboxRepository } from '../../store/outbox.repository.js';

/**
 * Publishes committed execution events to JetStream (`spine.events.<tenant>.<execution>`, Nats-Msg-Id
 * `<execution>:<seq>`), for the event-logger and for SSE wake-ups on every replica. Postgres stays the source of
 * truth: `events_published` records how far each execution got, and `sweep()` finishes what a dead replica left.
 */
@Injectable()
export class EventPublisher {
  private readonly logger = new Logger(EventPublisher.name);
  private ready: Promise<unknown> | undefined;
  private readonly marks = new Batched((marks: { executionId: string; seq: number }[]) => this.recordMarks(marks), { concurrency: 1, maxBatch: 500 });

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly outbox: OutboxRepository,
    private readonly executions: ExecutionsRepository,
  ) {}

  /**
   * Publishes in order without waiting for each acknowledgement in turn (one connection keeps the order); resolves
   * with the last sequence stored by JetStream, and rejects if any was not.
   */
  async publish(executionId: string, tenantId: string, events: readonly EventRow[]): Promise<number> {
    await (this.ready ??= this.ensureStream());
    const subject = subjects.executionEvents(tenantId, executionId);
    await Promise.all(events.map((event) => publishOnce(this.nc, subject, toBinary(ExecutionEventSchema, executionEventOf(executionId, tenantId, event)), `${executionId}:${event.seq}`)));
    return events.at(-1)?.seq ?? 0;
  }

  /** Records how far an execution's events reached JetStream; under load, one statement records many executions. */
  markPublished(executionId: string, seq: number): Promise<void> {
    return this.marks.submit({ executionId, seq });
  }

  private async recordMarks(marks: { executionId: string; seq: number }[]): Promise<Settled<void>[]> {
    const furthest = new Map<string, number>();
    for (const m of marks) furthest.set(m.executionId, Math.max(m.seq, furthest.get(m.executionId) ?? 0));
    await this.outbox.markPublished(furthest);
    return marks.map(() => ({ ok: true, value: undefined }));
  }

  /** Publishes the rest of the log of executions that stopped (or paused) more than a few seconds ago with events unpublished. */
  async sweep(limit = 50): Promise<number> {
    const rows = await this.outbox.unpublished(limit);
    for (const row of rows) {
      try {
        const events = await this.executions.eventsAfter(row.tenantId, row.id, Number(row.from), 10_000);
        await this.markPublished(row.id, await this.publish(row.id, row.tenantId, events));
      } catch (err) {
        this.logger.warn({ msg: 'events.sweep_failed', executionId: row.id, err });
      }
    }
    return rows.length;
  }

  private async ensureStream() {
    return ensureStream(await jetstreamManager(this.nc), streams.executionEvents);
  }
}
