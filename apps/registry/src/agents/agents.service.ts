import { create } from '@bufbuild/protobuf';
import { Inject, Injectable } from '@nestjs/common';
import {
  DeregisterResponseSchema, DiscoverResponseSchema, HeartbeatResponseSchema, ListAgentsResponseSchema, RegisterResponseSchema, SpineError,
  ErrorCode, type DeregisterRequest, type DeregisterResponse, type DiscoverRequest, type DiscoverResponse, type HeartbeatRequest,
  type HeartbeatResponse, type ListAgentsRequest, type ListAgentsResponse, type RegisterRequest, type RegisterResponse,
} from '@spine/contracts';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config.js';
import type { StateName } from './agent-instance.entity.js';
import { toInstance, toView, type InstanceView } from './agent.mapper.js';
import { AgentsRepository } from './agents.repository.js';
import { validateRegistration } from './card.validator.js';
import { StateEventsPublisher } from './state-events.publisher.js';
import { toBinary } from '@bufbuild/protobuf';
import { AgentCardSchema } from '@spine/contracts';
import { ExternalAgentsService } from '../external/external-agents.service.js';

const LIVE: StateName[] = ['healthy', 'unhealthy'];
const ALL: StateName[] = ['healthy', 'unhealthy', 'gone'];
const STATE_NAMES = new Set<string>(ALL);

/** Agent instances: registration, heartbeats, health states and discovery. */
@Injectable()
export class AgentsService {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly events: StateEventsPublisher,
    private readonly externals: ExternalAgentsService,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
  ) {}

  async register(req: RegisterRequest): Promise<RegisterResponse> {
    validateRegistration(req.card, req.instanceId);
    const card = req.card!;
    const row = await this.agents.upsert({
      instanceId: req.instanceId,
      name: card.name,
      version: card.version,
      card: toBinary(AgentCardSchema, card),
      capabilities: card.capabilities,
    });
    if (!row) {
      throw new SpineError(ErrorCode.ALREADY_EXISTS, `instance ${req.instanceId} is registered under another agent name`, { field: 'instance_id' });
    }
    await this.events.publish(row);
    return create(RegisterResponseSchema, { instance: toInstance(row), heartbeatIntervalMs: this.config.HEARTBEAT_INTERVAL_MS });
  }

  async heartbeat(req: HeartbeatRequest): Promise<HeartbeatResponse> {
    const row = await this.agents.heartbeat(req.instanceId, req.inFlight);
    if (row) await this.events.publish(row);
    return create(HeartbeatResponseSchema, { known: row !== undefined });
  }

  async deregister(req: DeregisterRequest): Promise<DeregisterResponse> {
    const row = await this.agents.deregister(req.instanceId);
    if (row) await this.events.publish(row);
    return create(DeregisterResponseSchema, { found: row !== undefined });
  }

  async list(req: ListAgentsRequest): Promise<ListAgentsResponse> {
    const rows = await this.agents.list({ name: req.name || undefined, states: req.includeGone ? ALL : LIVE });
    // Third-party agents come last, each with its owner tenant: callers (the orchestrator) filter by tenant.
    const external = await this.externals.instances({ name: req.name || undefined });
    return create(ListAgentsResponseSchema, { instances: [...rows.map(toInstance), ...external] });
  }

  async discover(req: DiscoverRequest): Promise<DiscoverResponse> {
    if (!req.capability) throw SpineError.invalid('capability is required', { field: 'capability' });
    // Built-in agents only: discovery carries no tenant, and a tenant's agents are private to it.
    const rows = await this.agents.list({ capability: req.capability, states: req.includeUnhealthy ? LIVE : ['healthy'] });
    return create(DiscoverResponseSchema, { instances: rows.map(toInstance) });
  }

  /** Operators' view; `state` filters (default: every live instance). */
  async views(filter: { name?: string; state?: string; capability?: string; tenant?: string }): Promise<InstanceView[]> {
    if (filter.state !== undefined && !STATE_NAMES.has(filter.state)) {
      throw SpineError.invalid(`state must be one of ${ALL.join(', ')}`, { field: 'state' });
    }
    const states = filter.state ? [filter.state as StateName] : LIVE;
    const rows = await this.agents.list({ name: filter.name, capability: filter.capability, states });
    return [...rows.map(toView), ...(await this.externals.views(filter))];
  }

  /** Every instance of one agent; with `tenant`, a third-party agent of another tenant reads as absent. */
  async viewsOf(name: string, tenant?: string): Promise<InstanceView[]> {
    const rows = [...(await this.agents.list({ name, states: ALL })).map(toView), ...(await this.externals.views({ name, tenant }))];
    if (rows.length === 0) throw SpineError.notFound(`no agent named ${name}`, { name });
    return rows;
  }

  /** One pass of the health windows; returns how many instances changed state. */
  async sweep(): Promise<number> {
    const changed = await this.agents.sweep(this.config.UNHEALTHY_AFTER_MS, this.config.GONE_AFTER_MS);
    for (const row of changed) await this.events.publish(row);
    return changed.length;
  }
}
