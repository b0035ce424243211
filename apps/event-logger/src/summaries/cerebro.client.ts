import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable } from '@nestjs/common';
import { ContextPackSchema, RetrievalInputSchema } from '@spine/contracts';
import { AgentClient, NATS_CONNECTION, ProtoClient } from '@spine/messaging';
import type { SummaryDocument } from './summary.document.js';

export const CEREBRO_TIMEOUT_MS = Symbol('spine.event-logger.cerebro-timeout');

/** The retrieval agent's upsert, over NATS, for one tenant. */
@Injectable()
export class CerebroClient {
  private readonly agents: AgentClient;

  constructor(@Inject(NATS_CONNECTION) nc: NatsConnection, @Inject(CEREBRO_TIMEOUT_MS) timeoutMs: number) {
    this.agents = new AgentClient(new ProtoClient(nc, timeoutMs));
  }

  /** One call for the batch: the retrieval agent embeds every document's chunks together. */
  async upsert(tenantId: string, executionId: string, documents: SummaryDocument[]): Promise<void> {
    const { error } = await this.agents.invoke('retrieval', { input: RetrievalInputSchema, output: ContextPackSchema }, { upsert: documents }, { executionId, nodeId: 'event-logger', tenantId });
    if (error) throw error;
  }
}
