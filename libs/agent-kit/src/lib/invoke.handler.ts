import { Controller, type Type } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { InvokeRequestSchema, subjects, type InvokeRequest, type InvokeResponse } from '@spine/contracts';
import { NatsProtoContext, ProtoPipe } from '@spine/messaging';
import { InvokeService } from './invoke.service.js';

/** The NATS handler of `spine.agent.<name>.invoke`; the subject depends on the agent, so the class is made per agent. */
export function invokeHandlerFor(agent: string): Type<unknown> {
  @Controller()
  class InvokeHandler {
    constructor(private readonly invoke: InvokeService) {}

    @MessagePattern(subjects.agentInvoke(agent))
    handle(@Payload(new ProtoPipe(InvokeRequestSchema)) req: InvokeRequest, @Ctx() ctx: NatsProtoContext): Promise<InvokeResponse> {
      return this.invoke.invoke(req, ctx.call);
    }
  }
  return InvokeHandler;
}
