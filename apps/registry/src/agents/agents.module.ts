import { Module } from '@nestjs/common';
import { AgentsController } from './agents.controller.js';
import { AgentsHandler } from './agents.handler.js';
import { AgentsRepository } from './agents.repository.js';
import { AgentsService } from './agents.service.js';
import { HealthSweeper } from './health-sweeper.service.js';
import { StateEventsPublisher } from './state-events.publisher.js';

@Module({
  controllers: [AgentsController, AgentsHandler],
  providers: [AgentsService, AgentsRepository, StateEventsPublisher, HealthSweeper],
})
export class AgentsModule {}
