import { Module } from '@nestjs/common';
import { ExecutionsRepository } from './executions.repository.js';
import { LeasesRepository } from './leases.repository.js';
import { OutboxRepository } from './outbox.repository.js';

/** Executions in Postgres: rows, node runs, the event log and its outbox, leases and step commits. SQL lives here. */
@Module({
  providers: [ExecutionsRepository, LeasesRepository, OutboxRepository],
  exports: [ExecutionsRepository, LeasesRepository, OutboxRepository],
})
export class StoreModule {}
