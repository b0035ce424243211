import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { ExecutionsModule } from '../executions/executions.module.js';
import { FlowsModule } from '../flows/flows.module.js';
import { InboxModule } from '../inbox/inbox.module.js';
import { KnowledgeModule } from '../knowledge/knowledge.module.js';
import { GrpcServer } from './grpc.server.js';
import { OrchestratorGrpc } from './orchestrator.grpc.js';

/** The gRPC API (OrchestratorService): the same services as HTTP, on its own port. */
@Module({
  imports: [AuthModule, FlowsModule, ExecutionsModule, ConversationsModule, InboxModule, KnowledgeModule],
  providers: [OrchestratorGrpc, GrpcServer],
  exports: [GrpcServer],
})
export class GrpcModule {}
