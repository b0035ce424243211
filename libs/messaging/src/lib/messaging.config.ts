import { parseEnv } from '@spine/observability';
import { z } from 'zod';

const schema = z
  .object({
    /** Copies of each JetStream stream Spine creates: 1 on a single server (local), 3 on a 3-node cluster. */
    NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
    /** Size cap per stream in bytes (the oldest messages go first); -1: no cap. */
    NATS_STREAM_MAX_BYTES: z.coerce.number().int().min(-1).default(-1),
    /** TLS to NATS: the CA that signed the server's certificate (a `tls://` URL alone uses the system CAs). */
    NATS_TLS_CA: z.string().min(1).optional(),
    /** A client certificate and its key, when the server verifies clients. */
    NATS_TLS_CERT: z.string().min(1).optional(),
    NATS_TLS_KEY: z.string().min(1).optional(),
  })
  .superRefine((c, ctx) => {
    if (Boolean(c.NATS_TLS_CERT) !== Boolean(c.NATS_TLS_KEY)) {
      ctx.addIssue({ code: 'custom', path: [c.NATS_TLS_CERT ? 'NATS_TLS_KEY' : 'NATS_TLS_CERT'], message: 'NATS_TLS_CERT and NATS_TLS_KEY go together' });
    }
  });

export type MessagingConfig = z.infer<typeof schema>;

/** What every process's NATS connection and streams follow; a bad value stops the boot, naming the variable. */
export function loadMessagingConfig(env: NodeJS.ProcessEnv = process.env): MessagingConfig {
  return parseEnv('messaging', schema, env);
}

let current: MessagingConfig | undefined;

/** The process's messaging config, read once (at the first NATS connection, i.e. at boot). */
export function messagingConfig(): MessagingConfig {
  return (current ??= loadMessagingConfig());
}

/** The connection's TLS options (nats.js reads the files), or none. */
export function natsTlsOptions(config: MessagingConfig): { caFile?: string; certFile?: string; keyFile?: string } | undefined {
  if (!config.NATS_TLS_CA && !config.NATS_TLS_CERT) return undefined;
  return {
    ...(config.NATS_TLS_CA ? { caFile: config.NATS_TLS_CA } : {}),
    ...(config.NATS_TLS_CERT && config.NATS_TLS_KEY ? { certFile: config.NATS_TLS_CERT, keyFile: config.NATS_TLS_KEY } : {}),
  };
}
