import { fromBinary } from '@bufbuild/protobuf';
import { jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ExecutionEventSchema, streams } from '@spine/contracts';
import { ensureConsumer, ensureStream, NATS_CONNECTION } from '@spine/messaging';
import { SummaryPublisher } from '../summaries/summary.publisher.js';
import { auditRowOf, type AuditRow } from './audit-row.js';
import { AuditService } from './audit.service.js';

export const CONSUMER_OPTIONS = Symbol('spine.event-logger.consumer');
export interface ConsumerOptions {
  durable: string;
  ackWaitMs: number;
}

// The orchestrator creates the stream with the same limits; both ensure it, neither changes the other's.
const RETRY_MS = 2_000;

/** The durable JetStream consumer of spine.events.>: each event is logged, then acked; a failed write is redelivered. */
@Injectable()
export class EventsConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventsConsumer.name);
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(CONSUMER_OPTIONS) private readonly options: ConsumerOptions,
    private readonly audit: AuditService,
    private readonly summaries: SummaryPublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    await ensureStream(jsm, streams.executionEvents);
    await ensureConsumer(jsm, streams.executionEvents.name, { durable: this.options.durable, ackWaitMs: this.options.ackWaitMs });
    const consumer = await jetstream(this.nc).consumers.get(streams.executionEvents.name, this.options.durable);
    this.messages = await consumer.consume({ max_messages: 64 });
    const messages = this.messages;
    this.loop = (async () => {
      for await (const m of messages) await this.handle(m);
    })();
  }

  async onModuleDestroy(): Promise<void> {
    await this.messages?.close();
    await this.loop;
  }

  private async handle(m: JsMsg): Promise<void> {
    let row: AuditRow;
    try {
      row = auditRowOf(fromBinary(ExecutionEventSchema, m.data), m.subject);
    } catch (err) {
      // Redelivering a malformed event cannot fix it.
      this.logger.warn({ msg: 'event.rejected', subject: m.subject, error: (err as Error).message });
      m.term();
      return;
    }
    try {
      const { logged, done } = await this.audit.record(row);
      m.ack();
      if (!logged) this.logger.debug({ msg: 'event.duplicate', execution: row.executionId, sequence: row.sequence });
      if (done) this.summaries.kick();
    } catch (err) {
      this.logger.error({ msg: 'event.log.failed', execution: row.executionId, sequence: row.sequence, error: (err as Error).message });
      m.nak(RETRY_MS);
    }
  }
}
