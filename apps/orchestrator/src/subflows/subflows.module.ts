import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module.js';
import { StoreModule } from '../store/store.module.js';
import { SubflowRuns } from './subflow-runs.js';
import { SubflowsRepository } from './subflows.repository.js';

/** Sub-flows: the child executions `flow` nodes start and wait on (SubflowRuns, for the engine). */
@Module({
  imports: [StoreModule, FlowsModule],
  providers: [SubflowsRepository, SubflowRuns],
  exports: [SubflowRuns],
})
export class SubflowsModule {}
