// The whole mesh for bench:flow as real processes from their built dist/: nats-server, Postgres, the registry,
// test agents and one orchestrator. Modeled on tests/support/{mesh,orchestrators}.ts (bench may not import tests/).
import { createDatabase, freePort, startNats, startPostgres, startService, type NatsServerHandle, type PostgresHandle, type ServiceHandle } from '@spine/testing';
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = (app: string, file = 'main.js') => join(root, 'apps', app, 'dist', file);

export interface MeshOptions {
  /** Keep Postgres' defaults (fsync, synchronous_commit, full_page_writes on); false: the test suite's throwaway settings. */
  durable: boolean;
  /** Node options for the orchestrator, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  orchestratorNodeArgs?: string[];
  orchestratorEnv?: Record<string, string>;
  /** Node options for one agent process, e.g. to profile it. */
  agentNodeArgs?: { agent: string; args: string[] };
}

export interface Postgres {
  handle: PostgresHandle;
  /** Postmaster pid; its children are the backends. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Postgres with pg_stat_statements preloaded. libs/testing turns fsync off for throwaway clusters; a cluster it
 * treats as persistent keeps the defaults, so the durable bench uses one in its own temp dir and removes it after.
 */
async function startBenchPostgres(durable: boolean): Promise<Postgres> {
  const tempRoot = await mkdtemp(join(tmpdir(), 'spine-bench-pg-'));
  await chmod(tempRoot, 0o755); // as root, postgres runs as `postgres` and must reach the data dir
  const dataDir = join(tempRoot, 'data');
  const first = await startPostgres({ dataDir, persistent: true });
  await first.stop();
  const settings = ["shared_preload_libraries = 'pg_stat_statements'", 'pg_stat_statements.track = all', 'pg_stat_statements.track_utility = on'];
  if (!durable) settings.push('fsync = off', 'synchronous_commit = off', 'full_page_writes = off');
  await appendFile(join(dataDir, 'postgresql.conf'), `\n${settings.join('\n')}\n`);
  const handle = await startPostgres({ dataDir, persistent: true, port: first.port });
  return {
    handle,
    pid: handle.pid,
    stop: async () => {
      await handle.stop();
      await rm(tempRoot, { recursive: true, force: true });
    },
  };
}

export class FlowMesh {
  nats!: NatsServerHandle;
  postgres!: Postgres;
  orchestratorDbUrl = '';
  orchestrator!: ServiceHandle;
  orchestratorUrl = '';
  registry!: ServiceHandle;
  readonly agents: ServiceHandle[] = [];
  private readonly services: ServiceHandle[] = [];

  static async start(agentNames: readonly string[], options: MeshOptions): Promise<FlowMesh> {
    const mesh = new FlowMesh();
    try {
      await mesh.boot(agentNames, options);
    } catch (err) {
      await mesh.stop();
      throw err;
    }
    return mesh;
  }

  private async boot(agentNames: readonly string[], options: MeshOptions): Promise<void> {
    [this.nats, this.postgres] = await Promise.all([startNats(), startBenchPostgres(options.durable)]);
    const [registryDb, orchestratorDb] = await Promise.all([createDatabase(this.postgres.handle.url, 'bench_registry'), createDatabase(this.postgres.handle.url, 'bench_orch')]);
    this.orchestratorDbUrl = orchestratorDb;
    await this.sql('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');

    const base = { NATS_URL: this.nats.url, LOG_LEVEL: 'warn' };
    await Promise.all([this.migrate('registry', { ...base, DATABASE_URL: registryDb }), this.migrate('orchestrator', { ...base, DATABASE_URL: orchestratorDb })]);
    const registryPort = await freePort();
    this.registry = await this.spawn({ name: 'registry', entry: entry('registry'), env: { ...base, DATABASE_URL: registryDb, HTTP_PORT: String(registryPort) }, readyUrl: `http://127.0.0.1:${registryPort}/health/ready` });

    this.agents.push(...(await Promise.all(agentNames.map((name) => this.startTestAgent(name, options.agentNodeArgs?.agent === name ? options.agentNodeArgs.args : [])))));

    const port = await freePort();
    this.orchestratorUrl = `http://127.0.0.1:${port}`;
    this.orchestrator = await this.spawn({
      name: 'orchestrator',
      entry: entry('orchestrator'),
      nodeArgs: options.orchestratorNodeArgs ?? [],
      env: { ...base, DATABASE_URL: orchestratorDb, HTTP_PORT: String(port), REPLICA_ID: 'bench', ...options.orchestratorEnv },
      readyUrl: `${this.orchestratorUrl}/health/ready`,
    });
  }

  private async startTestAgent(name: string, nodeArgs: string[]): Promise<ServiceHandle> {
    const port = await freePort();
    return this.spawn({
      name,
      nodeArgs,
      entry: entry('orchestrator', 'testing/test-agent.js'),
      env: { NATS_URL: this.nats.url, HTTP_PORT: String(port), LOG_LEVEL: 'warn', HEARTBEAT_INTERVAL_MS: '1000', SHUTDOWN_GRACE_MS: '1000', TEST_AGENT_NAME: name },
      readyUrl: `http://127.0.0.1:${port}/health/ready`,
    });
  }

  private async migrate(app: string, env: Record<string, string>): Promise<void> {
    const migrate = await startService({ name: `${app}-migrate`, entry: entry(app, 'migrate.js'), env });
    const code = await migrate.exited;
    if (code !== 0) throw new Error(`${app} migrations failed (${code}):\n${migrate.lines().join('\n')}`);
  }

  private async spawn(opts: Parameters<typeof startService>[0]): Promise<ServiceHandle> {
    const service = await startService(opts);
    this.services.push(service);
    return service;
  }

  /** A key written as the orchestrator writes them (only the secret's SHA-256 is stored). */
  async createKey(tenantId: string, role: 'client' | 'agent-publisher' | 'admin'): Promise<string> {
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    await this.sql(`INSERT INTO orchestrator.api_keys (id, tenant_id, role, name, secret_hash) VALUES ($1, $2, $3, 'bench', $4)`, [id, tenantId, role, createHash('sha256').update(secret).digest()]);
    return `spk_${id}_${secret}`;
  }

  /** One statement on the orchestrator's database, on a short-lived connection. */
  async sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.orchestratorDbUrl });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Stops the orchestrator alone (SIGTERM: it drains and exits, which is when --cpu-prof writes its profile). */
  async stopOrchestrator(): Promise<number | null> {
    await this.orchestrator.stop(15_000);
    return this.orchestrator.exited;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.services.reverse().map((s) => s.stop(3_000)));
    await Promise.allSettled([this.postgres?.stop(), this.nats?.stop()]);
  }
}
