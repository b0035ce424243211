import type { MessageInitShape } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import type { AgentHandler, InvokeContext } from '@spine/agent-kit';
import type { AuditQuery, AuditQuerySchema, AuditTrailSchema } from '@spine/contracts';
import { AuditService } from './audit.service.js';

/** spine.agent.event-logger.invoke: AuditQuery → AuditTrail of the caller's tenant. */
@Injectable()
export class AuditHandler implements AgentHandler<typeof AuditQuerySchema, typeof AuditTrailSchema> {
  constructor(private readonly audit: AuditService) {}

  handle(input: AuditQuery, ctx: InvokeContext): Promise<MessageInitShape<typeof AuditTrailSchema>> {
    return this.audit.query(ctx.tenantId, input);
  }
}
