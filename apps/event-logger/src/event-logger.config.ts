import { parseEnv } from '@spine/observability';
import { z } from 'zod';

const ms = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const schema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  /** The durable consumer's name: every replica shares it, so each event is handled once. */
  EVENT_LOGGER_DURABLE: z.string().regex(/^[A-Za-z0-9_-]+$/).default('event-logger'),
  /** How long JetStream waits for an ack before redelivering. */
  EVENT_ACK_WAIT_MS: ms(30_000),
  /** Deliveries of one event before it moves to the DEAD_LETTERS stream (replayable through the orchestrator's admin API). */
  EVENT_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(8),
  /** Backoff between deliveries of a failing event: doubles from the first, capped at the max. */
  EVENT_RETRY_BASE_MS: ms(1_000),
  EVENT_RETRY_MAX_MS: ms(60_000),
  /** How often pending Cerebro summaries are retried. */
  SUMMARY_POLL_MS: ms(5_000),
  /** Summaries per Cerebro upsert; this many pending start a pass at once. */
  SUMMARY_BATCH_SIZE: z.coerce.number().int().min(1).max(100).default(20),
  /** How long a pending summary waits for others to fill its batch. */
  SUMMARY_BATCH_WAIT_MS: ms(1_000),
  /** Deadline of one Cerebro upsert. */
  SUMMARY_UPSERT_TIMEOUT_MS: ms(10_000),
});

export type EventLoggerConfig = z.infer<typeof schema>;
export const EVENT_LOGGER_SCHEMA = 'event_logger';

/** The event-logger's own settings; the agent kit reads the rest (NATS_URL, HTTP_PORT, …). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): EventLoggerConfig {
  return parseEnv('event-logger', schema, env);
}
