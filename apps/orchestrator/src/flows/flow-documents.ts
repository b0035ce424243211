import type { MessageInitShape } from '@bufbuild/protobuf';
import type { NatsConnection } from '@nats-io/transport-node';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ContextPackSchema, RetrievalInputSchema, type DocumentSchema } from '@spine/contracts';
import type { FlowDefinition } from '@spine/flow';
import { AgentClient, NATS_CONNECTION, ProtoClient } from '@spine/messaging';
import { backgroundFailure } from '@spine/observability';
import { Ids } from '../core/ids.js';

const RETRIEVAL_TIMEOUT_MS = 30_000;

/** The Cerebro document id of a tenant's flow: one per flow id, so a redeploy replaces it. */
export const flowDocumentId = (flowId: string): string => `flow:${flowId}`.slice(0, 128);

/** What a deployed flow is, as text the assistant can cite (seed 004 §3, the flows pack): name, purpose, steps. */
export function flowDocument(flow: FlowDefinition, version: number): MessageInitShape<typeof DocumentSchema> {
  const steps = flow.nodes.map((n, i) => {
    const what = n.agent ? `agent ${n.agent}` : n.kind;
    const after = n.dependsOn.length ? `, after ${n.dependsOn.join(', ')}` : '';
    const tools = n.tools.length ? `, tools ${n.tools.join(', ')}` : '';
    return `${i + 1}. ${n.id}: ${what}${after}${tools}.`;
  });
  const title = flow.name ? `Flow ${flow.name} (${flow.id})` : `Flow ${flow.id}`;
  const text = [
    `# ${title}`,
    flow.description ?? '',
    `The flow ${flow.id}, version ${version}, starts on ${flow.trigger.type}${flow.memory ? ' and remembers what each execution did for its user' : ''}. Its steps:`,
    ...steps,
  ]
    .filter(Boolean)
    .join('\n\n');
  return { id: flowDocumentId(flow.id), title, version: String(version), kind: 'flow', language: 'en', text, metadata: { flowId: flow.id, flowVersion: String(version) } };
}

/**
 * Keeps a tenant's deployed flows in Cerebro as documents of kind `flow`: written after a deploy (the latest
 * version replaces the previous one) and removed with the flow. Runs beside the request: a Cerebro that is down
 * does not fail a deploy; the failure is logged and counted.
 */
@Injectable()
export class FlowDocuments implements OnApplicationShutdown {
  private readonly logger = new Logger(FlowDocuments.name);
  private readonly agents: AgentClient;
  private readonly running = new Set<Promise<void>>();

  constructor(
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    private readonly ids: Ids,
  ) {
    this.agents = new AgentClient(new ProtoClient(nc, RETRIEVAL_TIMEOUT_MS));
  }

  indexFlow(tenantId: string, flow: FlowDefinition, version: number): void {
    this.track(tenantId, flow.id, { upsert: [flowDocument(flow, version)] });
  }

  removeFlow(tenantId: string, flowId: string): void {
    this.track(tenantId, flowId, { deleteDocument: flowDocumentId(flowId) });
  }

  private track(tenantId: string, flowId: string, input: MessageInitShape<typeof RetrievalInputSchema>): void {
    const job = this.call(tenantId, input)
      .then(() => this.logger.log({ msg: 'flow_document.written', tenant: tenantId, flowId, op: input.upsert ? 'upsert' : 'delete' }))
      .catch(backgroundFailure(this.logger, 'flow_document', { tenant: tenantId, flowId }))
      .finally(() => this.running.delete(job));
    this.running.add(job);
  }

  private async call(tenantId: string, input: MessageInitShape<typeof RetrievalInputSchema>): Promise<void> {
    const { error } = await this.agents.invoke('retrieval', { input: RetrievalInputSchema, output: ContextPackSchema }, input, { executionId: this.ids.uuid(), nodeId: 'flow-documents', tenantId });
    if (error) throw error;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
