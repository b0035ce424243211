import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Injectable } from '@nestjs/common';
import { AgentState, SpineError, Transport, UpsertMode, type AgentInstance } from '@spine/contracts';
import type { Principal } from '../auth/principal.js';
import { z } from 'zod';
import { A2aCardClient } from '../a2a/card/a2a-card.client.js';
import { spineCardOfA2a } from '../a2a/card/a2a-card.mapper.js';
import { AgentDirectory } from './agent-directory.js';
import { AgentEndpointPolicy } from '../core/agent-endpoint.policy.js';
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

/** POST /v1/agents/import-a2a: where the A2A card is, and optionally the Spine name, timeout and retry policy. */
const importBody = z.strictObject({
  url: z.string().min(1).max(256),
  name: z.string().optional(),
  timeoutMs: z.number().int().optional(),
  retry: z.strictObject({ maxAttempts: z.number().int() }).optional(),
});

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
    private readonly a2aCards: A2aCardClient,
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
    const instance = await this.secrets.putThen(p.tenantId, input.name, this.box.seal(secret), () => this.upsert(p, input, UpsertMode.CREATE));
    this.directory.invalidate();
    return { agent: viewOf(instance, true), secret };
  }

  /**
   * Imports an A2A agent card (fetched through the SSRF policy) as a third-party agent with transport A2A: checked and
   * stored like a posted card. No signing secret: A2A agents are called over JSON-RPC, unsigned.
   */
  async importA2a(p: Principal, body: unknown): Promise<{ agent: AgentView }> {
    const parsed = importBody.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw SpineError.invalid(`invalid import: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim(), { field: issue?.path.join('.') || 'body' });
    }
    const { url, ...options } = parsed.data;
    const { cardUrl, card } = await this.a2aCards.fetch(url);
    const input = await this.checked({ ...spineCardOfA2a(card, cardUrl, options), transport: 'http' });
    const instance = await this.upsert(p, input, UpsertMode.CREATE, Transport.A2A);
    this.directory.invalidate();
    return { agent: viewOf(instance, true) };
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

  private async upsert(p: Principal, input: CardInput, mode: UpsertMode, transport?: Transport): Promise<AgentInstance> {
    const card = toAgentCard(input);
    if (transport !== undefined) card.transport = transport;
    try {
      return await this.registry.upsertExternal(p.tenantId, card, input.retry?.maxAttempts ?? 0, mode);
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
