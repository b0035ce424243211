import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EngineModule } from '../engine/engine.module.js';
import { StoreModule } from '../store/store.module.js';
import { AgentBreakersController } from './agent-breakers.controller.js';
import { ExecutionFeed } from './execution-feed.js';
import { ExecutionList } from './execution-list.js';
import { ExecutionStreamController } from './execution-stream.controller.js';
import { ExecutionsController } from './executions.controller.js';
import { ExecutionsService } from './executions.service.js';

/** The executions API: start, read, wait for, cancel (ExecutionsService), list (ExecutionList) and follow them (ExecutionFeed, SSE). */
@Module({
  imports: [AuthModule, StoreModule, EngineModule],
  controllers: [ExecutionsController, ExecutionStreamController, AgentBreakersController],
  providers: [ExecutionsService, ExecutionFeed, ExecutionList],
  exports: [ExecutionsService, ExecutionFeed],
})
export class ExecutionsModule {}
