import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { HumanTasksRepository } from './human-tasks.repository.js';
import { HumanWaits } from './human-waits.js';
import { InboxController } from './inbox.controller.js';
import { InboxService } from './inbox.service.js';

/**
 * Human-in-the-loop: the tasks human nodes open (Postgres), the waits of the executions on them and the deadline sweep
 * (HumanWaits, for the engine), and the inbox API (/v1/inbox) where reviewers decide.
 */
@Module({
  imports: [AuthModule],
  controllers: [InboxController],
  providers: [HumanTasksRepository, HumanWaits, InboxService],
  exports: [HumanWaits, InboxService],
})
export class InboxModule {}
