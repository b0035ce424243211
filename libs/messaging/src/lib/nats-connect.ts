import { connect, errors, type NatsConnection } from '@nats-io/transport-node';
import { ErrorCode, SpineError } from '@spine/contracts';

export interface NatsConnectOptions {
  servers: string | string[];
  /** Shown by the server (`connz`); the service and instance name. */
  name: string;
  /** Per-service credentials (deploy/ gives each service its own user and subject permissions). */
  user?: string;
  pass?: string;
}

/** The one way a Spine process connects to NATS: named, credentials when given, reconnecting forever. */
export async function connectNats(options: NatsConnectOptions): Promise<NatsConnection> {
  try {
    return await connect({
      servers: options.servers,
      name: options.name,
      maxReconnectAttempts: -1,
      // No stack captured for every request (6.5% of the orchestrator's CPU in bench:flow); our errors carry codes.
      noAsyncTraces: true,
      ...(options.user ? { user: options.user, pass: options.pass ?? '' } : {}),
    });
  } catch (err) {
    if (err instanceof errors.AuthorizationError) {
      throw new SpineError(ErrorCode.UNAUTHENTICATED, `NATS refused the credentials of ${options.user ? `user ${options.user}` : 'an anonymous client'} (set NATS_USER and NATS_PASSWORD)`);
    }
    throw new SpineError(ErrorCode.AGENT_UNAVAILABLE, `cannot reach NATS at ${String(options.servers)}: ${(err as Error).message}`);
  }
}
