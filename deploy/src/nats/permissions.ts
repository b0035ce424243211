// The NATS users of every deployment, from one table: the Kubernetes chart values (k8s/nats.ts), the compose
// server config (compose/nats-config.ts) and the local launcher (tools/launcher/nats-auth.ts) all render these.
// Only a type is imported: the launcher loads this file with Node's own type stripping, which cannot resolve `.js` to `.ts`.
import type { ServiceSpec } from '../services.js';

export interface NatsPermissions {
  publish: { allow: string[] };
  subscribe: { allow: string[] };
  allow_responses: boolean;
}

export interface NatsUser {
  user: string;
  permissions: NatsPermissions;
}

/** The NATS account every Spine user belongs to; JetStream is enabled for it. */
export const NATS_ACCOUNT = 'SPINE';

/** A user for people, not services: the local launcher creates it so a developer can watch the mesh. */
export const DEBUG_USER = 'debug';

const REGISTRY_CALLS = ['register', 'heartbeat', 'deregister'].map((verb) => `spine.registry.agent.${verb}`);

/** One NATS user per service: what it may publish and subscribe to, and nothing else. */
export function natsPermissions(spec: Pick<ServiceSpec, 'name' | 'role' | 'jetstream' | 'nats'>): NatsPermissions {
  const publish = [...spec.nats.publish];
  const subscribe = ['_INBOX.>', ...spec.nats.subscribe];
  if (spec.role === 'agent') {
    publish.push(...REGISTRY_CALLS);
    // Its own invoke subject, and the orchestrator's cancels of the runs it serves.
    subscribe.push(`spine.agent.${spec.name}.invoke`, `spine.agent.${spec.name}.cancel`);
  }
  if (spec.jetstream) publish.push('$JS.API.>', '$JS.ACK.>');
  // Replies go to the requester's inbox: allow_responses, rather than publish rights on `_INBOX.>`.
  return { publish: { allow: unique(publish) }, subscribe: { allow: unique(subscribe) }, allow_responses: true };
}

/**
 * The debugging user: watches every subject and reads stream and consumer state, publishes nothing else (no invoke,
 * no event, no JetStream change). It sees every tenant's traffic, like the built-in services do.
 */
export function debugPermissions(): NatsPermissions {
  const readOnlyJetStream = ['INFO', 'STREAM.NAMES', 'STREAM.LIST', 'STREAM.INFO.*', 'CONSUMER.NAMES.*', 'CONSUMER.LIST.*', 'CONSUMER.INFO.*.*'];
  return { publish: { allow: readOnlyJetStream.map((api) => `$JS.API.${api}`) }, subscribe: { allow: ['_INBOX.>', 'spine.>'] }, allow_responses: false };
}

/** Every service's user. */
export function serviceUsers(services: readonly ServiceSpec[]): NatsUser[] {
  return services.map((spec) => ({ user: spec.name, permissions: natsPermissions(spec) }));
}

/**
 * A nats-server config block with the SPINE account and its users. `password` renders each user's password as a
 * config value: a quoted literal (the launcher) or a `$VARIABLE` that nats-server reads from its environment (compose).
 */
export function natsAccountsConfig(users: readonly NatsUser[], password: (user: string) => string): string {
  const lines = users.map((u) => `      { user: ${JSON.stringify(u.user)}, password: ${password(u.user)}, permissions: ${JSON.stringify(u.permissions)} }`);
  return [`accounts {`, `  ${NATS_ACCOUNT} {`, `    jetstream: enabled`, `    users: [`, ...lines, `    ]`, `  }`, `}`, ''].join('\n');
}

/** The environment variable that holds a service's NATS password (the chart's NATS pods, compose). */
export function natsEnvName(service: string): string {
  return `SPINE_NATS_${service.toUpperCase().replace(/-/g, '_')}_PASSWORD`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
