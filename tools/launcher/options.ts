import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface LauncherOptions {
  natsPort: number;
  pgPort: number;
  httpPort: number;
  publicPort: number;
  dataDir: string;
  appsDir: string;
  services: string[] | undefined;
  logLevel: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

export const HELP = `Usage: npm start -- [options]
       node tools/launcher/start.ts [options]   (skips install and build)

Starts the whole Spine mesh on this machine: nats-server with JetStream, an embedded PostgreSQL,
migrations (apps/<name>/dist/migrate.js), then the registry and every built app in apps/, each as
its own process. Logs are prefixed with the service name; a status table and the URLs follow.

Options:
  --services a,b       only these services (default: every app in apps/); the registry starts first
  --nats-port N        NATS client port (default 4222)
  --pg-port N          PostgreSQL port (default 54329)
  --http-port N        first HTTP port: registry N, the other apps N+1, N+2, ... in name order (default 7100)
  --public-port N      HTTP port of the orchestrator, the public endpoint (default 8080)
  --data-dir DIR       NATS (DIR/nats) and Postgres (DIR/postgres) data, kept across runs (default .spine/ in the repo)
  --log-level LEVEL    LOG_LEVEL of every service: ${LOG_LEVELS.join('|')} (default info)
  -h, --help           this text

Every app gets NATS_URL, DATABASE_URL, VECTOR_DIR (<data-dir>/vectors), HTTP_PORT, LOG_LEVEL, SERVICE_NAME,
AGENT_ENDPOINT_ALLOW (default 127.0.0.1,::1: third-party agents on this machine may register), and its own
NATS_USER and NATS_PASSWORD: NATS refuses anonymous clients. The passwords (and the read-only \`debug\` user's)
are made on the first start and kept in <data-dir>/nats/users.json (mode 0600).
A service that crashes is restarted with a growing backoff; after 5 crashes within 60s it stays down.
Ctrl-C stops the apps (they drain and deregister; the registry last), then NATS and Postgres.
A second run reuses the data in --data-dir.`;

function port(value: string, option: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new Error(`${option} must be a port number (1-65535), got ${JSON.stringify(value)}`);
  return n;
}

/** Parses the command line; throws with a message naming the bad option. */
export function parseOptions(argv: string[], repoRoot: string): LauncherOptions | 'help' {
  try {
    return parse(argv, repoRoot);
  } catch (err) {
    throw new Error(`${(err as Error).message} (npm start -- --help lists the options)`, { cause: err });
  }
}

function parse(argv: string[], repoRoot: string): LauncherOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      services: { type: 'string' },
      'nats-port': { type: 'string', default: '4222' },
      'pg-port': { type: 'string', default: '54329' },
      'http-port': { type: 'string', default: '7100' },
      'public-port': { type: 'string', default: '8080' },
      'data-dir': { type: 'string', default: join(repoRoot, '.spine') },
      // Not in --help: the e2e test points it at stand-in apps.
      'apps-dir': { type: 'string', default: join(repoRoot, 'apps') },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  if (!LOG_LEVELS.includes(values['log-level'])) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const services = values.services?.split(',').map((s) => s.trim()).filter(Boolean);
  if (services?.length === 0) throw new Error('--services needs at least one name, e.g. --services registry,intake');
  return {
    natsPort: port(values['nats-port'], '--nats-port'),
    pgPort: port(values['pg-port'], '--pg-port'),
    httpPort: port(values['http-port'], '--http-port'),
    publicPort: port(values['public-port'], '--public-port'),
    dataDir: resolve(values['data-dir']),
    appsDir: resolve(values['apps-dir']),
    services,
    logLevel: values['log-level'],
  };
}
