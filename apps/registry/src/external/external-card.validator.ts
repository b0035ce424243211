import { SpineError, Transport, type AgentCard } from '@spine/contracts';
import type { EndpointPolicy } from '@spine/remote-agents';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { validateRegistration } from '../agents/card.validator.js';

export const EXTERNAL_LIMITS = { minTimeoutMs: 100, maxTimeoutMs: 300_000, maxRetryAttempts: 10 } as const;
const TENANT = /^[A-Za-z0-9_-]{1,64}$/;

type Problems = Record<string, string>;

/**
 * Everything a third-party card must pass before it is stored: the built-in card rules, HTTP, gRPC or A2A only, both JSON
 * Schemas present and compiling, a bounded timeout, and an endpoint the policy allows (no SSRF). All problems at once.
 */
export async function validateExternalCard(tenantId: string, card: AgentCard | undefined, maxAttempts: number, policy: Pick<EndpointPolicy, 'check'>, reserved: ReadonlySet<string>): Promise<void> {
  const problems: Problems = {};
  if (!TENANT.test(tenantId)) problems['tenant_id'] = 'must be 1-64 letters, digits, - or _';
  if (!card) problems['card'] = 'is required';
  else await checkCard(card, maxAttempts, policy, reserved, problems);
  const fields = Object.keys(problems);
  if (fields.length > 0) throw SpineError.invalid(`invalid agent card: ${fields.map((f) => `${f} ${problems[f]}`).join('; ')}`, problems);
}

async function checkCard(card: AgentCard, maxAttempts: number, policy: Pick<EndpointPolicy, 'check'>, reserved: ReadonlySet<string>, p: Problems): Promise<void> {
  try {
    validateRegistration(card, `external-${card.name || 'x'}`);
  } catch (err) {
    if (!(err instanceof SpineError)) throw err;
    Object.assign(p, err.details);
  }
  // The endpoint policy parses endpoints more precisely (grpc:// forms) and says why it refuses one.
  delete p['card.endpoint'];
  // An A2A agent (imported from an A2A card) is reached over HTTP(S) JSON-RPC; the built-in rules do not know it.
  if (card.transport === Transport.A2A) delete p['card.transport'];
  if (reserved.has(card.name)) p['card.name'] = `${card.name} is reserved for a built-in agent`;
  if (card.transport !== Transport.HTTP && card.transport !== Transport.GRPC && card.transport !== Transport.A2A) {
    p['card.transport'] = 'a third-party agent is HTTP, GRPC or A2A';
    return;
  }
  for (const [field, text] of [['card.input_schema_json', card.inputSchemaJson], ['card.output_schema_json', card.outputSchemaJson]] as const) {
    if (p[field]) continue;
    const problem = schemaProblem(text);
    if (problem) p[field] = problem;
  }
  const timeoutMs = card.limits?.timeoutMs ?? 0;
  if (timeoutMs < EXTERNAL_LIMITS.minTimeoutMs || timeoutMs > EXTERNAL_LIMITS.maxTimeoutMs) {
    p['card.limits.timeout_ms'] = `must be between ${EXTERNAL_LIMITS.minTimeoutMs} and ${EXTERNAL_LIMITS.maxTimeoutMs}`;
  }
  if (maxAttempts > EXTERNAL_LIMITS.maxRetryAttempts) p['retry.max_attempts'] = `at most ${EXTERNAL_LIMITS.maxRetryAttempts}`;
  try {
    await policy.check(card.endpoint, card.transport === Transport.GRPC ? 'grpc' : 'http');
  } catch (err) {
    if (!(err instanceof SpineError)) throw err;
    p['card.endpoint'] = err.message;
    if (err.details['reason']) p['card.endpoint.reason'] = err.details['reason'];
  }
}

/** A schema is required (flows are type-checked against it) and must compile. */
function schemaProblem(text: string): string | undefined {
  if (!text) return 'is required for a third-party agent';
  try {
    new Ajv2020({ strict: false }).compile(JSON.parse(text) as object);
    return undefined;
  } catch (err) {
    return `is not a valid JSON Schema: ${(err as Error).message.slice(0, 200)}`;
  }
}
