import { connect, errors, type NatsConnection } from '@nats-io/transport-node';
import { ErrorCode, SpineError } from '@spine/contracts';
import { messagingConfig, natsTlsOptions } from './messaging.config.js';

export interface NatsConnectOptions {
  servers: string | string[];
  /** Shown by the server (`connz`); the service and instance name. */
  name: string;
  /** Per-service credentials (deploy/ gives each service its own user and subject permissions). */
  user?: string;
  pass?: string;
  /** TLS files; by default from NATS_TLS_CA, NATS_TLS_CERT and NATS_TLS_KEY. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

/** The one way a Spine process connects to NATS: named, credentials when given, reconnecting forever. */
export async function connectNats(options: NatsConnectOptions): Promise<NatsConnection> {
  const tls = options.tls ?? natsTlsOptions(messagingConfig());
  try {
    return await connect({
      servers: options.servers,
      name: options.name,
      maxReconnectAttempts: -1,
      // No stack captured for every request (6.5% of the orchestrator's CPU in bench:flow); our errors carry codes.
      noAsyncTraces: true,
      ...(options.user ? { user: options.user, pass: options.pass ?? '' } : {}),
      ...(tls ? { tls } : {}),
    });
  } catch (err) {
    if (err instanceof errors.AuthorizationError) {
      throw new SpineError(ErrorCode.UNAUTHENTICATED, `NATS refused the credentials of ${options.user ? `user ${options.user}` : 'an anonymous client'} (set NATS_USER and NATS_PASSWORD)`);
    }
    throw new SpineError(ErrorCode.AGENT_UNAVAILABLE, `cannot reach NATS at ${String(options.servers)}: ${(err as Error).message}`);
  }
}

/**
 * Drains the connection (in-flight messages delivered, subscriptions closed), but never waits more than `timeoutMs`:
 * with the server gone, a drain would wait for a reconnect forever and a SIGTERM would never end the process.
 */
export async function closeNats(nc: NatsConnection, timeoutMs = 5_000): Promise<void> {
  if (nc.isClosed()) return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  const drained = await Promise.race([nc.drain().then(() => 'drained' as const, () => 'failed' as const), late]);
  clearTimeout(timer);
  if (drained !== 'drained' && !nc.isClosed()) await nc.close();
}
