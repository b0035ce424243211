import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Injectable } from '@nestjs/common';
import { AgentState, SpineError, Transport, UpsertMode, type AgentInstance } from '@spine/contracts';
import type { Principal } from '../auth/principal.js';
import { AgentDirectory } from './agent-directory.js';
import { AgentEndpointPolicy } from './agent-endpoint.policy.js';
import { invalidCard, parseCardInput, publicCardError, toAgentCard, type CardInput } from './agent-card.input.js';
import { AgentSecretsRepository } from './agent-secrets.repository.js';
import { RegistryClient } from './registry.client.js';
import { SecretBox } from './secret-box.js';

export interface AgentView {
  name: string;
  version: string;
  description: string;
  transport: string;
  capabilities: string[];
  instances: { instanceId: string; state: string; lastHeartbeatAt: string | null }[];
  healthy: number;
  /** Third-party agents only (the caller's own). */
  endpoint?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
  timeoutMs?: number;
  retry?: { maxAttempts: number };
  lastProbeError?: string;
}

const stateName = (s: AgentState) => AgentState[s]?.toLowerCase() ?? 'unspecified';

/**
 * GET /v1/agents (built-ins plus the caller's own third-party agents) and the registration of third-party agents:
 * checked here (shape, JSON Schemas, endpoint policy), then stored by the registry, which owns cards and probes them.
 * The signing secret stays here, sealed: the orchestrator is the one that signs.
 */
@Injectable()
export class AgentsService {
  constructor(
    private readonly registry: RegistryClient,
    private readonly directory: AgentDirectory,
    private readonly secrets: AgentSecretsRepository,
    private readonly box: SecretBox,
    private readonly endpoints: AgentEndpointPolicy,
  ) {}

  async list(p: Principal): Promise<{ agents: AgentView[] }> {
    const byName = new Map<string, AgentView>();
    for (const i of await this.registry.list()) {
      if (i.external && i.external.tenantId !== p.tenantId) continue;
      const view = byName.get(i.card?.name ?? '') ?? viewOf(i);
      view.instances.push({ instanceId: i.instanceId, state: stateName(i.state), lastHeartbeatAt: i.lastHeartbeatAt ? timestampDate(i.lastHeartbeatAt).toISOString() : null });
      if (i.state === AgentState.HEALTHY) view.healthy++;
      byName.set(view.name, view);
    }
    return { agents: [...byName.values()] };
  }

  /** 201 with the secret, shown this once. Nothing is stored unless the registry accepted the card. */
  async register(p: Principal, body: unknown): Promise<{ agent: AgentView; secret: string }> {
    const input = await this.checked(body);
    const secret = this.box.issue();
    const instance = await this.secrets.db.transaction(async (tx) => {
      await this.secrets.put(tx, p.tenantId, input.name, this.box.seal(secret));
      return this.upsert(p, input, UpsertMode.CREATE);
    });
    this.directory.invalidate();
    return { agent: viewOf(instance, true), secret };
  }

  async replace(p: Principal, name: string, body: unknown): Promise<{ agent: AgentView }> {
    const input = await this.checked(body);
    if (input.name !== name) throw invalidCard({ name: `must match the path (${name})` });
    const instance = await this.upsert(p, input, UpsertMode.REPLACE);
    this.directory.invalidate();
    return { agent: viewOf(instance, true) };
  }

  async remove(p: Principal, name: string): Promise<void> {
    if (!(await this.registry.deleteExternal(p.tenantId, name))) throw SpineError.notFound(`no agent named ${name}`, { name });
    await this.secrets.delete(p.tenantId, name);
    this.directory.invalidate();
  }

  private async checked(body: unknown): Promise<CardInput> {
    const input = parseCardInput(body);
    try {
      await this.endpoints.policy.check(input.endpoint, input.transport);
    } catch (err) {
      if (!(err instanceof SpineError)) throw err;
      throw invalidCard({ endpoint: err.message, ...(err.details['reason'] ? { reason: err.details['reason'] } : {}) });
    }
    return input;
  }

  private async upsert(p: Principal, input: CardInput, mode: UpsertMode): Promise<AgentInstance> {
    try {
      return await this.registry.upsertExternal(p.tenantId, toAgentCard(input), input.retry?.maxAttempts ?? 0, mode);
    } catch (err) {
      throw err instanceof SpineError ? publicCardError(err) : err;
    }
  }
}

function viewOf(i: AgentInstance, withInstance = false): AgentView {
  const card = i.card;
  const view: AgentView = {
    name: card?.name ?? '',
    version: card?.version ?? '',
    description: card?.description ?? '',
    transport: Transport[card?.transport ?? 0]?.toLowerCase() ?? 'unspecified',
    capabilities: card?.capabilities ?? [],
    instances: withInstance ? [{ instanceId: i.instanceId, state: stateName(i.state), lastHeartbeatAt: null }] : [],
    healthy: withInstance && i.state === AgentState.HEALTHY ? 1 : 0,
  };
  if (!i.external || !card) return view;
  return {
    ...view,
    endpoint: card.endpoint,
    inputSchema: parseJson(card.inputSchemaJson),
    outputSchema: parseJson(card.outputSchemaJson),
    timeoutMs: card.limits?.timeoutMs ?? 0,
    retry: { maxAttempts: i.external.retry?.maxAttempts ?? 0 },
    lastProbeError: i.external.lastProbeError,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
