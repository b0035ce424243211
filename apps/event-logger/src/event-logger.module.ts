import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { appDataSourceOptions } from '@spine/persistence';
import { AuditHandler } from './audit/audit.handler.js';
import { AuditRepository } from './audit/audit.repository.js';
import { AuditService } from './audit/audit.service.js';
import { CONSUMER_OPTIONS, EventsConsumer, type ConsumerOptions } from './audit/events.consumer.js';
import { EVENT_LOGGER_SCHEMA, type EventLoggerConfig } from './event-logger.config.js';
import { migrations } from './migrations/index.js';
import { CEREBRO_TIMEOUT_MS, CerebroClient } from './summaries/cerebro.client.js';
import { SummariesRepository } from './summaries/summaries.repository.js';
import { SUMMARY_BATCH, SUMMARY_POLL_MS, SummaryPublisher, type SummaryBatch } from './summaries/summary.publisher.js';

export function auditDataSource(url: string) {
  return { url, schema: EVENT_LOGGER_SCHEMA, entities: [], migrations, applicationName: 'spine-event-logger' };
}

@Module({})
export class EventLoggerModule {
  static with(config: EventLoggerConfig): DynamicModule {
    return {
      module: EventLoggerModule,
      imports: [TypeOrmModule.forRoot(appDataSourceOptions(auditDataSource(config.DATABASE_URL)))],
      providers: [
        AuditHandler,
        AuditService,
        AuditRepository,
        SummariesRepository,
        SummaryPublisher,
        CerebroClient,
        EventsConsumer,
        {
          provide: CONSUMER_OPTIONS,
          useValue: {
            durable: config.EVENT_LOGGER_DURABLE, ackWaitMs: config.EVENT_ACK_WAIT_MS, maxDeliver: config.EVENT_MAX_DELIVER,
            retryBaseMs: config.EVENT_RETRY_BASE_MS, retryMaxMs: config.EVENT_RETRY_MAX_MS,
          } satisfies ConsumerOptions,
        },
        { provide: SUMMARY_POLL_MS, useValue: config.SUMMARY_POLL_MS },
        { provide: SUMMARY_BATCH, useValue: { size: config.SUMMARY_BATCH_SIZE, waitMs: config.SUMMARY_BATCH_WAIT_MS } satisfies SummaryBatch },
        { provide: CEREBRO_TIMEOUT_MS, useValue: config.SUMMARY_UPSERT_TIMEOUT_MS },
      ],
      exports: [AuditHandler],
    };
  }
}
