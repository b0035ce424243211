import { SpineError, Transport, TransportSchema, type AgentCard } from '@spine/contracts';

export const LIMITS = {
  descriptionBytes: 4_096,
  capabilities: 64,
  labels: 32,
  labelChars: 256,
  schemaJsonBytes: 65_536,
  instanceIdChars: 128,
} as const;

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const VERSION = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;
const CAPABILITY = /^[a-z][a-z0-9._-]{0,63}$/;
const TYPE_NAME = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/;
const INSTANCE_ID = /^[A-Za-z0-9_-]+$/;
const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

type Problems = Record<string, string>;

/** Checks a card and the instance id it registers with; every problem is reported at once, by field. */
export function validateRegistration(card: AgentCard | undefined, instanceId: string): void {
  const problems: Problems = {};
  if (!INSTANCE_ID.test(instanceId) || instanceId.length > LIMITS.instanceIdChars) {
    problems.instance_id = `must be 1-${LIMITS.instanceIdChars} letters, digits, '-' or '_'`;
  }
  if (!card) problems.card = 'is required';
  else checkCard(card, problems);
  const fields = Object.keys(problems);
  if (fields.length > 0) {
    const summary = fields.map((f) => `${f} ${problems[f]}`).join('; ');
    throw SpineError.invalid(`invalid agent card: ${summary}`, problems);
  }
}

function checkCard(card: AgentCard, p: Problems): void {
  if (!card.name) p['card.name'] = 'is required';
  else if (!NAME.test(card.name)) p['card.name'] = "must be lowercase letters, digits and '-', starting with a letter, at most 63 characters";
  if (!VERSION.test(card.version)) p['card.version'] = 'must be a semantic version such as 1.2.3';
  const descriptionBytes = Buffer.byteLength(card.description, 'utf8');
  if (descriptionBytes > LIMITS.descriptionBytes) p['card.description'] = `is ${descriptionBytes} bytes; at most ${LIMITS.descriptionBytes}`;
  checkCapabilities(card.capabilities, p);
  checkTransport(card, p);
  checkLabels(card.labels, p);
}

function checkCapabilities(capabilities: string[], p: Problems): void {
  if (capabilities.length > LIMITS.capabilities) p['card.capabilities'] = `has ${capabilities.length} entries; at most ${LIMITS.capabilities}`;
  const bad = capabilities.find((c) => !CAPABILITY.test(c));
  if (bad !== undefined) p['card.capabilities'] = `${JSON.stringify(bad.slice(0, 80))} is not a capability name (lowercase, digits, '.', '_', '-')`;
  else if (new Set(capabilities).size !== capabilities.length) p['card.capabilities'] = 'has duplicates';
}

function checkTransport(card: AgentCard, p: Problems): void {
  switch (card.transport) {
    case Transport.NATS:
      if (!TYPE_NAME.test(card.inputType)) p['card.input_type'] = 'must be a fully qualified protobuf message name';
      if (!TYPE_NAME.test(card.outputType)) p['card.output_type'] = 'must be a fully qualified protobuf message name';
      return;
    case Transport.HTTP:
      if (!isHttpUrl(card.endpoint)) p['card.endpoint'] = 'must be an http(s) URL for an HTTP agent';
      checkSchemas(card, p);
      return;
    case Transport.GRPC:
      if (!HOST_PORT.test(card.endpoint)) p['card.endpoint'] = 'must be host:port for a gRPC agent';
      checkSchemas(card, p);
      return;
    default:
      p['card.transport'] = `unknown transport ${card.transport}; use ${knownTransports()}`;
  }
}

function checkSchemas(card: AgentCard, p: Problems): void {
  for (const [field, value] of [['card.input_schema_json', card.inputSchemaJson], ['card.output_schema_json', card.outputSchemaJson]] as const) {
    if (!value) continue;
    if (Buffer.byteLength(value, 'utf8') > LIMITS.schemaJsonBytes) p[field] = `is larger than ${LIMITS.schemaJsonBytes} bytes`;
    else if (!isJsonObject(value)) p[field] = 'must be a JSON Schema object';
  }
}

function checkLabels(labels: Record<string, string>, p: Problems): void {
  const entries = Object.entries(labels);
  if (entries.length > LIMITS.labels) p['card.labels'] = `has ${entries.length} entries; at most ${LIMITS.labels}`;
  else if (entries.some(([k, v]) => k.length === 0 || k.length > LIMITS.labelChars || v.length > LIMITS.labelChars)) {
    p['card.labels'] = `keys must be 1-${LIMITS.labelChars} characters and values at most ${LIMITS.labelChars}`;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
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
