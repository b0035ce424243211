import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DeregisterRequestSchema, DiscoverRequestSchema, HeartbeatRequestSchema, ListAgentsRequestSchema, RegisterRequestSchema, subjects,
  type DeregisterRequest, type DiscoverRequest, type HeartbeatRequest, type ListAgentsRequest, type RegisterRequest,
} from '@spine/contracts';
import { ProtoPipe } from '@spine/messaging';
import { AgentsService } from './agents.service.js';

/** The registry's NATS API (queue group `registry`). */
@Controller()
export class AgentsHandler {
  constructor(private readonly agents: AgentsService) {}

  @MessagePattern(subjects.registry('register'))
  register(@Payload(new ProtoPipe(RegisterRequestSchema)) req: RegisterRequest) {
    return this.agents.register(req);
  }

  @MessagePattern(subjects.registry('heartbeat'))
  heartbeat(@Payload(new ProtoPipe(HeartbeatRequestSchema)) req: HeartbeatRequest) {
    return this.agents.heartbeat(req);
  }

  @MessagePattern(subjects.registry('deregister'))
  deregister(@Payload(new ProtoPipe(DeregisterRequestSchema)) req: DeregisterRequest) {
    return this.agents.deregister(req);
  }

  @MessagePattern(subjects.registry('list'))
  list(@Payload(new ProtoPipe(ListAgentsRequestSchema)) req: ListAgentsRequest) {
    return this.agents.list(req);
  }

  @MessagePattern(subjects.registry('discover'))
  discover(@Payload(new ProtoPipe(DiscoverRequestSchema)) req: DiscoverRequest) {
    return this.agents.discover(req);
  }
}
