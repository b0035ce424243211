// Every NATS subject Spine uses is spelled here and nowhere else.
// Publishers use full subjects; only subscribers use wildcards.

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** A subject token: no dots, wildcards, whitespace or leading `$`. */
export function token(value: string): string {
  if (!TOKEN.test(value)) {
    throw new Error(`invalid subject token ${JSON.stringify(value)}: use letters, digits, '-' or '_'`);
  }
  return value;
}

export type RegistryVerb = 'register' | 'deregister' | 'heartbeat' | 'list' | 'discover' | 'upsert_external' | 'delete_external';

export const subjects = {
  /** Request/reply; the queue group is the agent name. */
  agentInvoke: (agent: string) => `spine.agent.${token(agent)}.invoke`,
  /** CancelRequest for a node run in progress (core NATS, no queue group: every instance of the agent hears it). */
  agentCancel: (agent: string) => `spine.agent.${token(agent)}.cancel`,
  /** Request/reply to the registry; queue group `registry`. */
  registry: (verb: RegistryVerb) => `spine.registry.agent.${verb}`,
  /** Registry state changes (JetStream stream REGISTRY_EVENTS). */
  registryEvents: (agent: string) => `spine.registry.events.${token(agent)}`,
  registryEventsAll: 'spine.registry.events.>',
  executionEvents: (tenant: string, execution: string) => `spine.events.${token(tenant)}.${token(execution)}`,
  /** Wakes orchestrator replicas when an execution becomes runnable (core NATS, no payload needed). */
  orchestratorWork: 'spine.orchestrator.work',
  /** Asks the replica running an execution to cancel it (core NATS; the payload is the execution id). */
  orchestratorCancel: 'spine.orchestrator.cancel',
  /** RateSpent: what each replica admitted per tenant, so rate limits hold across replicas (core NATS). */
  orchestratorRateSpent: 'spine.orchestrator.rate_spent',
  /** A human task was decided, expired or closed (core NATS; the payload is the task id): the replica waiting on it looks. */
  orchestratorInbox: 'spine.orchestrator.inbox',
  executionStream: (tenant: string, execution: string) => `spine.stream.${token(tenant)}.${token(execution)}`,
  /** A message a JetStream consumer gave up on (stream DEAD_LETTERS), by the tenant it belongs to and the consumer. */
  deadLetter: (tenant: string, consumer: string) => `spine.deadletter.${token(tenant)}.${token(consumer)}`,
  deadLetters: (tenant: string) => `spine.deadletter.${token(tenant)}.>`,
} as const;

export const queueGroups = {
  registry: 'registry',
  agent: (agent: string) => token(agent),
} as const;

/** JetStream streams, with their limits here so every service that ensures one asks for the same configuration. */
export const streams = {
  registryEvents: { name: 'REGISTRY_EVENTS', subjects: [subjects.registryEventsAll] },
  /** Reply chunks of every execution; the SSE endpoint reads them back by subject. */
  executionStreams: { name: 'EXECUTION_STREAMS', subjects: ['spine.stream.>'], maxAgeMs: 24 * 3_600_000 },
  /** ExecutionEvent of every execution, published by the orchestrator after each commit (Nats-Msg-Id `<execution>:<seq>`). */
  executionEvents: { name: 'EXECUTION_EVENTS', subjects: ['spine.events.>'], maxAgeMs: 7 * 24 * 3_600_000 },
  /** What consumers gave up on after their last redelivery, kept 30 days for an admin to read and replay. */
  deadLetters: { name: 'DEAD_LETTERS', subjects: ['spine.deadletter.>'], maxAgeMs: 30 * 24 * 3_600_000, allowDirect: true },
} as const;

/** NATS header names. Trace, correlation, tenant and deadline travel here, never in payloads. */
export const Header = {
  Trace: 'traceparent',
  Correlation: 'spine-correlation-id',
  Tenant: 'spine-tenant',
  /** Absolute deadline, milliseconds since the epoch. */
  Deadline: 'spine-deadline',
  ErrorCode: 'spine-error-code',
  NatsServiceErrorCode: 'Nats-Service-Error-Code',
  NatsServiceError: 'Nats-Service-Error',
  NatsMsgId: 'Nats-Msg-Id',
} as const;
