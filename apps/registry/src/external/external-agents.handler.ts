import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DeleteExternalAgentRequestSchema, subjects, UpsertExternalAgentRequestSchema, type DeleteExternalAgentRequest, type UpsertExternalAgentRequest } from '@spine/contracts';
import { ProtoPipe } from '@spine/messaging';
import { ExternalAgentsService } from './external-agents.service.js';

/** Third-party agents on the registry's NATS API; only the orchestrator calls it, after checking the tenant's key. */
@Controller()
export class ExternalAgentsHandler {
  constructor(private readonly externals: ExternalAgentsService) {}

  @MessagePattern(subjects.registry('upsert_external'))
  upsert(@Payload(new ProtoPipe(UpsertExternalAgentRequestSchema)) req: UpsertExternalAgentRequest) {
    return this.externals.upsert(req);
  }

  @MessagePattern(subjects.registry('delete_external'))
  delete(@Payload(new ProtoPipe(DeleteExternalAgentRequestSchema)) req: DeleteExternalAgentRequest) {
    return this.externals.delete(req);
  }
}
