import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { ExecutionsModule } from '../executions/executions.module.js';
import { FlowsModule } from '../flows/flows.module.js';
import { InboxModule } from '../inbox/inbox.module.js';
import { A2aTasksRepository } from './a2a-tasks.repository.js';
import { A2aRouter } from './a2a.router.js';
import { A2aService } from './a2a.service.js';

/** Each deployed flow as an A2A agent (card and JSON-RPC under /a2a/:tenant/:flowId). */
@Module({
  imports: [AuthModule, FlowsModule, ExecutionsModule, ConversationsModule, InboxModule],
  providers: [A2aService, A2aRouter, A2aTasksRepository],
  exports: [A2aRouter],
})
export class A2aModule {}
