import { create, toBinary } from '@bufbuild/protobuf';
import { Inject, Injectable } from '@nestjs/common';
import {
  AgentCardSchema, DeleteExternalAgentResponseSchema, ErrorCode, SpineError, UpsertExternalAgentResponseSchema, UpsertMode,
  type AgentInstance, type DeleteExternalAgentRequest, type DeleteExternalAgentResponse, type UpsertExternalAgentRequest,
  type UpsertExternalAgentResponse,
} from '@spine/contracts';
import { StateEventsPublisher } from '../agents/state-events.publisher.js';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config.js';
import { RegistryEndpointPolicy } from './endpoint-policy.provider.js';
import { validateExternalCard } from './external-card.validator.js';
import { ExternalAgentsRepository, type ExternalRow, type ExternalState, type ExternalTransition } from './external-agents.repository.js';
import { externalStateOf, toExternalInstance, toExternalView } from './external.mapper.js';
import { ProbeOwner } from './probe-owner.js';

/** Third-party agents: registration on behalf of a tenant (the orchestrator authenticated it), listing, probe results. */
@Injectable()
export class ExternalAgentsService {
  private readonly reserved: ReadonlySet<string>;

  constructor(
    private readonly externals: ExternalAgentsRepository,
    private readonly events: StateEventsPublisher,
    private readonly policy: RegistryEndpointPolicy,
    private readonly owner: ProbeOwner,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
  ) {
    this.reserved = new Set(config.RESERVED_AGENT_NAMES);
  }

  async upsert(req: UpsertExternalAgentRequest): Promise<UpsertExternalAgentResponse> {
    const maxAttempts = req.retry?.maxAttempts ?? 0;
    await validateExternalCard(req.tenantId, req.card, maxAttempts, this.policy, this.reserved);
    const card = req.card!;
    const row = { tenantId: req.tenantId, name: card.name, version: card.version, card: toBinary(AgentCardSchema, card), capabilities: card.capabilities, retryMaxAttempts: maxAttempts };
    switch (req.mode) {
      case UpsertMode.CREATE: {
        const created = await this.externals.create(row, this.owner.id, this.config.PROBE_LEASE_MS);
        if (!created) throw new SpineError(ErrorCode.ALREADY_EXISTS, `an agent named ${card.name} already exists`, { field: 'card.name' });
        await this.publish(created);
        this.owner.wake();
        return create(UpsertExternalAgentResponseSchema, { instance: toExternalInstance(created) });
      }
      case UpsertMode.REPLACE: {
        const replaced = await this.externals.replace(row);
        if (!replaced) throw SpineError.notFound(`no agent named ${card.name}`, { name: card.name });
        return create(UpsertExternalAgentResponseSchema, { instance: toExternalInstance(replaced) });
      }
      default:
        throw SpineError.invalid('mode must be CREATE or REPLACE', { field: 'mode' });
    }
  }

  async delete(req: DeleteExternalAgentRequest): Promise<DeleteExternalAgentResponse> {
    const deleted = await this.externals.delete(req.tenantId, req.name);
    if (deleted) await this.publish({ ...deleted, stateChangedAt: new Date() });
    return create(DeleteExternalAgentResponseSchema, { found: deleted !== undefined });
  }

  /** For ListAgents: `live` is healthy and unhealthy (a deleted agent is gone at once). */
  async instances(filter: { name?: string; capability?: string; healthyOnly?: boolean }): Promise<AgentInstance[]> {
    const states: ExternalState[] = filter.healthyOnly ? ['healthy'] : ['healthy', 'unhealthy'];
    return (await this.externals.list({ ...filter, states })).map((r) => toExternalInstance(r));
  }

  /** The operators' view; `tenant` keeps that tenant's agents only. */
  async views(filter: { name?: string; capability?: string; state?: string; tenant?: string }) {
    const states: ExternalState[] = filter.state === 'healthy' || filter.state === 'unhealthy' ? [filter.state] : filter.state === 'gone' ? [] : ['healthy', 'unhealthy'];
    const rows = await this.externals.list({ name: filter.name, capability: filter.capability, states });
    return rows.filter((r) => filter.tenant === undefined || r.tenantId === filter.tenant).map(toExternalView);
  }

  /** Records one probe outcome; publishes the state change if there was one. */
  async recordProbe(name: string, state: ExternalState | null, error: string | null): Promise<ExternalRow | undefined> {
    const t = await this.externals.recordProbe(name, this.owner.id, state, error);
    if (t) await this.publish(t);
    return t;
  }

  private async publish(t: ExternalTransition): Promise<void> {
    const current = t.current === 'gone' ? 'gone' : t.state;
    await this.events.publishChange(toExternalInstance(t, current), externalStateOf(t.previous), externalStateOf(current), t.stateChangedAt);
  }
}
