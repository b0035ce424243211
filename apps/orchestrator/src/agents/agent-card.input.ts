import { create } from '@bufbuild/protobuf';
import { AGENT_CARD_HINTS, AGENT_CARD_LIMITS, AGENT_CARD_PATTERNS, AgentCardSchema, SpineError, Transport, type AgentCard } from '@spine/contracts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';

/** Bounds of the public input only; the card's own rules (patterns, sizes) are @spine/contracts' agent-card.rules.ts, as in the registry. */
export const CARD_LIMITS = { minTimeoutMs: 100, maxTimeoutMs: 300_000, maxRetryAttempts: 10, schemaBytes: AGENT_CARD_LIMITS.schemaJsonBytes } as const;

const jsonSchema = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be a JSON Schema object');

/** The card a third party posts (POST /v1/agents, PUT /v1/agents/{name}). */
const cardInput = z.strictObject({
  name: z.string().regex(AGENT_CARD_PATTERNS.name, AGENT_CARD_HINTS.name),
  version: z.string().regex(AGENT_CARD_PATTERNS.version, AGENT_CARD_HINTS.version),
  description: z.string().max(AGENT_CARD_LIMITS.descriptionBytes).default(''),
  transport: z.enum(['http', 'grpc']),
  endpoint: z.string().min(1).max(2_048),
  capabilities: z.array(z.string().regex(AGENT_CARD_PATTERNS.capability, AGENT_CARD_HINTS.capability)).max(AGENT_CARD_LIMITS.capabilities).default([]),
  inputSchema: jsonSchema,
  outputSchema: jsonSchema,
  timeoutMs: z.number().int().min(CARD_LIMITS.minTimeoutMs).max(CARD_LIMITS.maxTimeoutMs).default(30_000),
  retry: z.strictObject({ maxAttempts: z.number().int().min(1).max(CARD_LIMITS.maxRetryAttempts) }).optional(),
  labels: z.record(z.string().min(1).max(AGENT_CARD_LIMITS.labelChars), z.string().max(AGENT_CARD_LIMITS.labelChars)).default({}),
});

export type CardInput = z.infer<typeof cardInput>;

/** Registry detail keys → the public card's field names. */
const PUBLIC_FIELD: Record<string, string> = {
  'card.name': 'name', 'card.version': 'version', 'card.description': 'description', 'card.transport': 'transport', 'card.endpoint': 'endpoint',
  'card.endpoint.reason': 'reason', 'card.capabilities': 'capabilities', 'card.input_schema_json': 'inputSchema', 'card.output_schema_json': 'outputSchema',
  'card.limits.timeout_ms': 'timeoutMs', 'card.labels': 'labels', 'retry.max_attempts': 'retry.maxAttempts',
};

/** Parses and checks a posted card; every problem is reported at once, by field. */
export function parseCardInput(body: unknown): CardInput {
  const parsed = cardInput.safeParse(body);
  const problems: Record<string, string> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems[issue.path.join('.') || 'body'] ??= issue.message;
  } else {
    for (const field of ['inputSchema', 'outputSchema'] as const) {
      const problem = schemaProblem(parsed.data[field]);
      if (problem) problems[field] = problem;
    }
  }
  if (Object.keys(problems).length > 0 || !parsed.success) throw invalidCard(problems);
  return parsed.data;
}

export function toAgentCard(c: CardInput): AgentCard {
  return create(AgentCardSchema, {
    name: c.name,
    version: c.version,
    description: c.description,
    transport: c.transport === 'http' ? Transport.HTTP : Transport.GRPC,
    endpoint: c.endpoint,
    capabilities: c.capabilities,
    inputSchemaJson: JSON.stringify(c.inputSchema),
    outputSchemaJson: JSON.stringify(c.outputSchema),
    limits: { timeoutMs: c.timeoutMs },
    labels: c.labels,
  });
}

/** The registry's INVALID_ARGUMENT, with details renamed to the fields the caller posted. */
export function publicCardError(err: SpineError): SpineError {
  if (err.code !== SpineError.invalid('').code) return err;
  const details = Object.fromEntries(Object.entries(err.details).map(([k, v]) => [PUBLIC_FIELD[k] ?? k, v]));
  return new SpineError(err.code, err.message, details, false);
}

export function invalidCard(problems: Record<string, string>): SpineError {
  const summary = Object.entries(problems).map(([f, m]) => `${f} ${m}`).join('; ');
  return SpineError.invalid(`invalid agent card: ${summary}`, problems);
}

function schemaProblem(schema: Record<string, unknown>): string | undefined {
  if (JSON.stringify(schema).length > CARD_LIMITS.schemaBytes) return `is larger than ${CARD_LIMITS.schemaBytes} bytes`;
  try {
    new Ajv2020({ strict: false }).compile(schema);
    return undefined;
  } catch (err) {
    return `is not a valid JSON Schema: ${(err as Error).message.slice(0, 200)}`;
  }
}
