import { Module } from '@nestjs/common';
import { AgentsController } from './agents.controller.js';
import { AgentsHandler } from './agents.handler.js';
import { AgentsRepository } from './agents.repository.js';
import { AgentsService } from './agents.service.js';
import { HealthSweeper } from './health-sweeper.service.js';
import { StateEventsPublisher } from './state-events.publisher.js';
import { RegistryEndpointPolicy } from '../external/endpoint-policy.provider.js';
import { ExternalAgentsHandler } from '../external/external-agents.handler.js';
import { ExternalAgentsRepository } from '../external/external-agents.repository.js';
import { ExternalAgentsService } from '../external/external-agents.service.js';
import { ProbeOwner } from '../external/probe-owner.js';
import { ProbeScheduler } from '../external/probe-scheduler.service.js';

@Module({
  controllers: [AgentsController, AgentsHandler, ExternalAgentsHandler],
  providers: [
    AgentsService, AgentsRepository, StateEventsPublisher, HealthSweeper,
    ExternalAgentsService, ExternalAgentsRepository, RegistryEndpointPolicy, ProbeOwner, ProbeScheduler,
  ],
})
export class AgentsModule {}
