import { Controller, Get, UseGuards } from '@nestjs/common';
import { AgentState, Transport, type AgentInstance } from '@spine/contracts';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { AuthGuard } from '../auth/auth.guard.js';
import { RegistryClient } from './registry.client.js';

export interface AgentView {
  name: string;
  version: string;
  description: string;
  transport: string;
  capabilities: string[];
  instances: { instanceId: string; state: string; lastHeartbeatAt: string | null }[];
  healthy: number;
}

const stateName = (s: AgentState) => AgentState[s]?.toLowerCase() ?? 'unspecified';

/** GET /v1/agents: the registry's view, one entry per agent name with its instances and their health. */
@Controller('v1/agents')
@UseGuards(AuthGuard)
export class AgentsController {
  constructor(private readonly registry: RegistryClient) {}

  @Get()
  async list(): Promise<{ agents: AgentView[] }> {
    const byName = new Map<string, AgentView>();
    for (const i of await this.registry.list()) {
      const view = byName.get(i.card?.name ?? '') ?? this.viewOf(i);
      view.instances.push({ instanceId: i.instanceId, state: stateName(i.state), lastHeartbeatAt: i.lastHeartbeatAt ? timestampDate(i.lastHeartbeatAt).toISOString() : null });
      if (i.state === AgentState.HEALTHY) view.healthy++;
      byName.set(view.name, view);
    }
    return { agents: [...byName.values()] };
  }

  private viewOf(i: AgentInstance): AgentView {
    const card = i.card;
    return {
      name: card?.name ?? '',
      version: card?.version ?? '',
      description: card?.description ?? '',
      transport: Transport[card?.transport ?? 0]?.toLowerCase() ?? 'unspecified',
      capabilities: card?.capabilities ?? [],
      instances: [],
      healthy: 0,
    };
  }
}
