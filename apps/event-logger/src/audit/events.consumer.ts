import { fromBinary } from '@bufbuild/protobuf';
import { jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ExecutionEventSchema, streams } from '@spine/contracts';
import { deadLetter, ensureConsumer, ensureStream, NATS_CONNECTION } from '@spine/messaging';
import { Counter, Registry } from 'prom-client';
import { SummaryPublisher } from '../summaries/summary.publisher.js';
import { auditRowOf, type AuditRow } from './audit-row.js';
import { AuditService } from './audit.service.js';

export const CONSUMER_OPTIONS = Symbol('spine.event-logger.consumer');
export interface ConsumerOptions {
  durable: string;
  ackWaitMs: number;
  /** Deliveries before an event that keeps failing moves to DEAD_LETTERS. */
  maxDeliver: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/** The wait before delivery n+1 of an event whose n-th delivery failed: doubling, capped. */
export function retryDelayMs(deliveryCount: number, o: Pick<ConsumerOptions, 'retryBaseMs' | 'retryMaxMs'>): number {
  return Math.min(o.retryMaxMs, o.retryBaseMs * 2 ** Math.min(30, Math.max(0, deliveryCount - 1)));
}

/** `spine.events.<tenant>.<execution>` → the tenant, or `_unknown` for a subject of another shape. */
const tenantOfSubject = (subject: string) => {
  const tenant = subject.split('.')[2];
  return tenant && /^[A-Za-z0-9_-]+$/.test(tenant) ? tenant : '_unknown';
};

/**
 * The durable JetStream consumer of spine.events.>: each event is logged, then acked. A failed write is redelivered
 * with a doubling backoff; after `maxDeliver` deliveries (or at once, for an event that cannot be decoded) it moves to
 * the DEAD_LETTERS stream, where an admin can read and replay it (`/v1/admin/dead-letters`).
 */
@Injectable()
export class EventsConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventsConsumer.name);
  private readonly deadLetters: Counter<'consumer' | 'reason'>;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(CONSUMER_OPTIONS) private readonly options: ConsumerOptions,
    private readonly audit: AuditService,
    private readonly summaries: SummaryPublisher,
    registry: Registry,
  ) {
    this.deadLetters = new Counter({
      name: 'spine_dead_letters_total',
      help: 'Messages a JetStream consumer gave up on and moved to DEAD_LETTERS, by consumer and reason.',
      labelNames: ['consumer', 'reason'],
      registers: [registry],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    await ensureStream(jsm, streams.executionEvents);
    await ensureStream(jsm, streams.deadLetters);
    // JetStream's own cap is one above ours: the last delivery is ours to dead-letter, not the server's to drop.
    await ensureConsumer(jsm, streams.executionEvents.name, { durable: this.options.durable, ackWaitMs: this.options.ackWaitMs, maxDeliver: this.options.maxDeliver + 1 });
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
      await this.giveUp(m, 'malformed', `malformed event: ${(err as Error).message}`);
      return;
    }
    try {
      const { logged, summarise } = await this.audit.record(row);
      m.ack();
      if (!logged) this.logger.debug({ msg: 'event.duplicate', execution: row.executionId, sequence: row.sequence });
      if (summarise) this.summaries.enqueued();
    } catch (err) {
      const deliveries = m.info.deliveryCount;
      this.logger.error({ msg: 'event.log.failed', execution: row.executionId, sequence: row.sequence, deliveries, error: (err as Error).message });
      if (deliveries >= this.options.maxDeliver) await this.giveUp(m, 'failed', `not logged after ${deliveries} deliveries: ${(err as Error).message}`);
      else m.nak(retryDelayMs(deliveries, this.options));
    }
  }

  /** To DEAD_LETTERS; if even that fails, the message is left unacked and JetStream delivers it again after ack_wait. */
  private async giveUp(m: JsMsg, kind: 'malformed' | 'failed', reason: string): Promise<void> {
    try {
      await deadLetter(this.nc, m, { tenant: tenantOfSubject(m.subject), consumer: this.options.durable, reason });
      this.deadLetters.inc({ consumer: this.options.durable, reason: kind });
      this.logger.warn({ msg: 'event.dead_lettered', subject: m.subject, streamSeq: m.seq, reason });
    } catch (err) {
      this.logger.error({ msg: 'event.dead_letter.failed', subject: m.subject, error: (err as Error).message });
      m.nak(this.options.retryMaxMs);
    }
  }
}
