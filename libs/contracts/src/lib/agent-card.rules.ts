import type { AgentCard } from '../gen/spine/agent/v1/agent_pb.js';
import { Transport, TransportSchema } from '../gen/spine/agent/v1/agent_pb.js';

/**
 * What makes an AgentCard valid, in one place: the registry checks every registration with
 * `agentCardProblems`, the orchestrator's public card input (zod) is built from the same patterns and
 * limits, and @spine/agent-sdk users can check a card before they register it.
 */
export const AGENT_CARD_LIMITS = {
  descriptionBytes: 4_096,
  capabilities: 64,
  labels: 32,
  labelChars: 256,
  schemaJsonBytes: 65_536,
  instanceIdChars: 128,
} as const;

export const AGENT_CARD_PATTERNS = {
  name: /^[a-z][a-z0-9-]{0,62}$/,
  version: /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/,
  capability: /^[a-z][a-z0-9._-]{0,63}$/,
  typeName: /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/,
  instanceId: /^[A-Za-z0-9_-]+$/,
  hostPort: /^[A-Za-z0-9.-]+:\d{1,5}$/,
} as const;

export const AGENT_CARD_HINTS = {
  name: "must be lowercase letters, digits and '-', starting with a letter, at most 63 characters",
  version: 'must be a semantic version such as 1.2.3',
  capability: "lowercase, digits, '.', '_', '-'",
  instanceId: `must be 1-${AGENT_CARD_LIMITS.instanceIdChars} letters, digits, '-' or '_'`,
} as const;

/** Problems by field (`card.name`, `card.endpoint`, …); empty when the card is valid. Every problem at once. */
export function agentCardProblems(card: AgentCard): Record<string, string> {
  const p: Record<string, string> = {};
  if (!card.name) p['card.name'] = 'is required';
  else if (!AGENT_CARD_PATTERNS.name.test(card.name)) p['card.name'] = AGENT_CARD_HINTS.name;
  if (!AGENT_CARD_PATTERNS.version.test(card.version)) p['card.version'] = AGENT_CARD_HINTS.version;
  const descriptionBytes = byteLength(card.description);
  if (descriptionBytes > AGENT_CARD_LIMITS.descriptionBytes) p['card.description'] = `is ${descriptionBytes} bytes; at most ${AGENT_CARD_LIMITS.descriptionBytes}`;
  checkCapabilities(card.capabilities, p);
  checkTransport(card, p);
  checkLabels(card.labels, p);
  return p;
}

/** Problems of the instance id an agent registers with; empty when valid. */
export function instanceIdProblems(instanceId: string): Record<string, string> {
  const valid = AGENT_CARD_PATTERNS.instanceId.test(instanceId) && instanceId.length <= AGENT_CARD_LIMITS.instanceIdChars;
  return valid ? {} : { instance_id: AGENT_CARD_HINTS.instanceId };
}

function checkCapabilities(capabilities: string[], p: Record<string, string>): void {
  if (capabilities.length > AGENT_CARD_LIMITS.capabilities) p['card.capabilities'] = `has ${capabilities.length} entries; at most ${AGENT_CARD_LIMITS.capabilities}`;
  const bad = capabilities.find((c) => !AGENT_CARD_PATTERNS.capability.test(c));
  if (bad !== undefined) p['card.capabilities'] = `${JSON.stringify(bad.slice(0, 80))} is not a capability name (${AGENT_CARD_HINTS.capability})`;
  else if (new Set(capabilities).size !== capabilities.length) p['card.capabilities'] = 'has duplicates';
}

function checkTransport(card: AgentCard, p: Record<string, string>): void {
  switch (card.transport) {
    case Transport.NATS:
      if (!AGENT_CARD_PATTERNS.typeName.test(card.inputType)) p['card.input_type'] = 'must be a fully qualified protobuf message name';
      if (!AGENT_CARD_PATTERNS.typeName.test(card.outputType)) p['card.output_type'] = 'must be a fully qualified protobuf message name';
      return;
    case Transport.HTTP:
      if (!isHttpUrl(card.endpoint)) p['card.endpoint'] = 'must be an http(s) URL for an HTTP agent';
      checkSchemas(card, p);
      return;
    case Transport.GRPC:
      if (!AGENT_CARD_PATTERNS.hostPort.test(card.endpoint)) p['card.endpoint'] = 'must be host:port for a gRPC agent';
      checkSchemas(card, p);
      return;
    default:
      p['card.transport'] = `unknown transport ${card.transport}; use ${knownTransports()}`;
  }
}

function checkSchemas(card: AgentCard, p: Record<string, string>): void {
  for (const [field, value] of [['card.input_schema_json', card.inputSchemaJson], ['card.output_schema_json', card.outputSchemaJson]] as const) {
    if (!value) continue;
    if (byteLength(value) > AGENT_CARD_LIMITS.schemaJsonBytes) p[field] = `is larger than ${AGENT_CARD_LIMITS.schemaJsonBytes} bytes`;
    else if (!isJsonObject(value)) p[field] = 'must be a JSON Schema object';
  }
}

function checkLabels(labels: Record<string, string>, p: Record<string, string>): void {
  const entries = Object.entries(labels);
  const max = AGENT_CARD_LIMITS.labelChars;
  if (entries.length > AGENT_CARD_LIMITS.labels) p['card.labels'] = `has ${entries.length} entries; at most ${AGENT_CARD_LIMITS.labels}`;
  else if (entries.some(([k, v]) => k.length === 0 || k.length > max || v.length > max)) p['card.labels'] = `keys must be 1-${max} characters and values at most ${max}`;
}

const encoder = new TextEncoder();
const byteLength = (text: string): number => encoder.encode(text).length;

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

function isJsonObject(value: string): boolean {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

function knownTransports(): string {
  return TransportSchema.values.filter((v) => v.number !== 0).map((v) => v.name).join(', ');
}
