import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable } from '@nestjs/common';
import { ListAgentsRequestSchema, ListAgentsResponseSchema, subjects, type AgentInstance } from '@spine/contracts';
import { ProtoClient } from '@spine/messaging';

export const NATS_CONNECTION = Symbol('spine.orchestrator.nats');

/** The registry, over NATS. */
@Injectable()
export class RegistryClient {
  private readonly client: ProtoClient;

  constructor(@Inject(NATS_CONNECTION) nc: NatsConnection) {
    this.client = new ProtoClient(nc, 2_000);
  }

  async list(): Promise<AgentInstance[]> {
    const res = await this.client.request(subjects.registry('list'), ListAgentsRequestSchema, {}, ListAgentsResponseSchema);
    return res.instances;
  }
}
