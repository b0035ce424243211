import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { KnowledgeController } from './knowledge.controller.js';
import { KnowledgeRepository } from './knowledge.repository.js';
import { KnowledgeService } from './knowledge.service.js';

/** The knowledge API: a tenant's documents, parsed here and indexed by the retrieval agent (Cerebro) over NATS. */
@Module({
  imports: [AuthModule],
  controllers: [KnowledgeController],
  providers: [KnowledgeService, KnowledgeRepository],
  exports: [KnowledgeService],
})
export class KnowledgeModule {}
