import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable } from '@nestjs/common';
import {
  DeleteExternalAgentRequestSchema, DeleteExternalAgentResponseSchema, ListAgentsRequestSchema, ListAgentsResponseSchema, subjects,
  UpsertExternalAgentRequestSchema, UpsertExternalAgentResponseSchema, type AgentCard, type AgentInstance, type UpsertMode,
} from '@spine/contracts';
import { NATS_CONNECTION, ProtoClient } from '@spine/messaging';

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

  /** Registers or replaces a tenant's third-party agent; the registry validates it again and owns the card. */
  async upsertExternal(tenantId: string, card: AgentCard, maxAttempts: number, mode: UpsertMode): Promise<AgentInstance> {
    const res = await this.client.request(subjects.registry('upsert_external'), UpsertExternalAgentRequestSchema, { tenantId, card, mode, retry: { maxAttempts } }, UpsertExternalAgentResponseSchema, { tenantId, timeoutMs: 5_000 });
    return res.instance!;
  }

  async deleteExternal(tenantId: string, name: string): Promise<boolean> {
    const res = await this.client.request(subjects.registry('delete_external'), DeleteExternalAgentRequestSchema, { tenantId, name }, DeleteExternalAgentResponseSchema, { tenantId });
    return res.found;
  }
}
