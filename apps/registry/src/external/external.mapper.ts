import { create, fromBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AgentCardSchema, AgentInstanceSchema, AgentState, Transport, type AgentInstance } from '@spine/contracts';
import type { InstanceView } from '../agents/agent.mapper.js';
import type { ExternalRow, ExternalState } from './external-agents.repository.js';

/** A third-party agent is one logical instance: the registry cannot see its replicas behind the endpoint. */
export const externalInstanceId = (name: string) => `external-${name}`;

export function externalStateOf(state: ExternalState | 'gone' | null): AgentState {
  if (state === null) return AgentState.UNSPECIFIED;
  return state === 'healthy' ? AgentState.HEALTHY : state === 'unhealthy' ? AgentState.UNHEALTHY : AgentState.GONE;
}

export function toExternalInstance(row: ExternalRow, state: ExternalState | 'gone' = row.state): AgentInstance {
  return create(AgentInstanceSchema, {
    instanceId: externalInstanceId(row.name),
    card: fromBinary(AgentCardSchema, row.card),
    state: externalStateOf(state),
    registeredAt: timestampFromDate(row.registeredAt),
    stateChangedAt: timestampFromDate(row.stateChangedAt),
    ...(row.lastProbeAt ? { lastHeartbeatAt: timestampFromDate(row.lastProbeAt) } : {}),
    external: {
      tenantId: row.tenantId,
      retry: { maxAttempts: row.retryMaxAttempts },
      lastProbeError: row.lastProbeError ?? '',
      ...(row.lastProbeAt ? { lastProbeAt: timestampFromDate(row.lastProbeAt) } : {}),
    },
  });
}

/** The operators' JSON view (GET /agents), with the owner tenant and the last probe. */
export function toExternalView(row: ExternalRow): InstanceView & { tenantId: string; lastProbeError: string | null } {
  const card = fromBinary(AgentCardSchema, row.card);
  return {
    instanceId: externalInstanceId(row.name),
    name: row.name,
    version: row.version,
    description: card.description,
    transport: Transport[card.transport]?.toLowerCase() ?? 'unspecified',
    endpoint: card.endpoint,
    capabilities: row.capabilities,
    state: row.state,
    inFlight: 0,
    registeredAt: row.registeredAt.toISOString(),
    lastHeartbeatAt: (row.lastProbeAt ?? row.registeredAt).toISOString(),
    stateChangedAt: row.stateChangedAt.toISOString(),
    labels: card.labels,
    tenantId: row.tenantId,
    lastProbeError: row.lastProbeError,
  };
}
