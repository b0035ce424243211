import { create, fromBinary, toJson } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AgentCardSchema, AgentInstanceSchema, AgentState, Transport, type AgentInstance } from '@spine/contracts';
import type { StateName } from './agent-instance.entity.js';
import type { InstanceRow } from './agents.repository.js';

const STATE: Record<StateName, AgentState> = {
  healthy: AgentState.HEALTHY,
  unhealthy: AgentState.UNHEALTHY,
  gone: AgentState.GONE,
};

export function agentStateOf(name: StateName | null): AgentState {
  return name ? STATE[name] : AgentState.UNSPECIFIED;
}

export function toInstance(row: InstanceRow): AgentInstance {
  return create(AgentInstanceSchema, {
    instanceId: row.instanceId,
    card: fromBinary(AgentCardSchema, row.card),
    state: STATE[row.state],
    registeredAt: timestampFromDate(row.registeredAt),
    lastHeartbeatAt: timestampFromDate(row.lastHeartbeatAt),
    stateChangedAt: timestampFromDate(row.stateChangedAt),
  });
}

/** The operator's JSON view of an instance (GET /agents). */
export interface InstanceView {
  instanceId: string;
  name: string;
  version: string;
  description: string;
  transport: string;
  endpoint?: string;
  capabilities: string[];
  inputType?: string;
  outputType?: string;
  state: StateName;
  inFlight: number;
  registeredAt: string;
  lastHeartbeatAt: string;
  stateChangedAt: string;
  labels: Record<string, string>;
  limits?: unknown;
}

export function toView(row: InstanceRow): InstanceView {
  const card = fromBinary(AgentCardSchema, row.card);
  const json = toJson(AgentCardSchema, card) as { limits?: unknown };
  return {
    instanceId: row.instanceId,
    name: row.name,
    version: row.version,
    description: card.description,
    transport: Transport[card.transport]?.toLowerCase() ?? 'unspecified',
    ...(card.endpoint ? { endpoint: card.endpoint } : {}),
    capabilities: row.capabilities,
    ...(card.inputType ? { inputType: card.inputType, outputType: card.outputType } : {}),
    state: row.state,
    inFlight: row.inFlight,
    registeredAt: row.registeredAt.toISOString(),
    lastHeartbeatAt: row.lastHeartbeatAt.toISOString(),
    stateChangedAt: row.stateChangedAt.toISOString(),
    labels: card.labels,
    ...(json.limits ? { limits: json.limits } : {}),
  };
}
