import { createDatabase, freePort, startService, waitFor, type ServiceHandle } from '@spine/testing';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { insertApiKey, sqlRows } from './database.js';
import { entry } from './mesh.js';

/** The agents of the default erp-assistant flow, plus the event-logger that reads its events. */
export const ASSISTANT_AGENTS = ['intake', 'router', 'retrieval', 'planner', 'tool-executor', 'streamer', 'event-logger'] as const;
const MIGRATED = ['registry', 'orchestrator', 'tool-executor', 'event-logger'] as const;

export interface AssistantMeshOptions {
  /** Extra environment for the orchestrator (e.g. a short NODE_TIMEOUT_MS). */
  orchestratorEnv?: Record<string, string>;
  logLevel?: string;
  /** Extra environment for each service and its migrations, by app name (e.g. its NATS_USER and NATS_PASSWORD). */
  serviceEnv?: (app: string) => Record<string, string>;
  /** Agents started besides the assistant's seven (e.g. `llm`). */
  extraAgents?: readonly string[];
}

/**
 * The whole ERP assistant as real processes started from apps/<name>/dist (as `npm start` does):
 * migrations, the registry, the seven agents and the orchestrator, on one NATS and one database.
 */
export class AssistantMesh {
  private readonly services = new Map<string, ServiceHandle>();
  /** Each service's HTTP base URL (health, /metrics), by app name. */
  private readonly urls = new Map<string, string>();
  private readonly all: ServiceHandle[] = [];
  url = '';
  registryUrl = '';
  private vectorDir = '';
  /**
   * The event-logger's durable JetStream consumer, one per mesh: the e2e files share one nats-server, and a
   * shared name would hand this mesh's event-logger the events (and redeliveries) of an earlier file's mesh.
   */
  private readonly durable = `event-logger-${randomUUID().slice(0, 8)}`;

  private constructor(
    readonly natsUrl: string,
    readonly databaseUrl: string,
    private readonly options: AssistantMeshOptions,
  ) {}

  private get agents(): readonly string[] {
    return [...ASSISTANT_AGENTS, ...(this.options.extraAgents ?? [])];
  }

  static async start(natsUrl: string, postgresAdminUrl: string, options: AssistantMeshOptions = {}): Promise<AssistantMesh> {
    const mesh = new AssistantMesh(natsUrl, await createDatabase(postgresAdminUrl, 'assistant'), options);
    try {
      await mesh.boot();
    } catch (err) {
      await mesh.stop();
      throw err;
    }
    return mesh;
  }

  private env(app: string, port: number): Record<string, string> {
    return {
      NATS_URL: this.natsUrl,
      DATABASE_URL: this.databaseUrl,
      VECTOR_DIR: this.vectorDir,
      LOG_LEVEL: this.options.logLevel ?? 'warn',
      HTTP_PORT: String(port),
      SERVICE_NAME: app,
      SHUTDOWN_GRACE_MS: '2000',
      ...(app === 'event-logger' ? { EVENT_LOGGER_DURABLE: this.durable } : {}),
      ...this.options.serviceEnv?.(app),
    };
  }

  private async boot(): Promise<void> {
    this.vectorDir = await mkdtemp(join(tmpdir(), 'spine-assistant-vectors-'));
    for (const app of MIGRATED) {
      const migrate = await startService({ name: `${app}-migrate`, entry: entry(app, 'migrate.js'), env: this.env(app, 0) });
      const code = await migrate.exited;
      if (code !== 0) throw new Error(`${app} migrations failed (${code}):\n${migrate.lines().join('\n')}`);
    }
    const registryPort = await freePort();
    this.registryUrl = `http://127.0.0.1:${registryPort}`;
    await this.launch('registry', registryPort);
    await Promise.all(this.agents.map(async (app) => this.launch(app, await freePort())));
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    await this.launch('orchestrator', port, { GRPC_PORT: '0', ...this.options.orchestratorEnv });
    await this.untilHealthy();
  }

  private async launch(app: string, port: number, extra: Record<string, string> = {}): Promise<ServiceHandle> {
    const service = await startService({ name: app, entry: entry(app), env: { ...this.env(app, port), ...extra }, readyUrl: `http://127.0.0.1:${port}/health/ready` });
    this.services.set(app, service);
    this.urls.set(app, `http://127.0.0.1:${port}`);
    this.all.push(service);
    return service;
  }

  /** Every agent of the flow listed healthy by the registry: the orchestrator only dispatches to those. */
  async untilHealthy(timeoutMs?: number): Promise<void> {
    await waitFor(
      async () => {
        const { agents } = (await (await fetch(`${this.registryUrl}/agents`)).json()) as { agents: { name: string; state: string }[] };
        const healthy = new Set(agents.filter((a) => a.state === 'healthy').map((a) => a.name));
        return this.agents.every((a) => healthy.has(a));
      },
      { timeoutMs, intervalMs: 100, what: 'every assistant agent listed healthy' },
    );
  }

  httpUrl(app: string): string {
    const url = this.urls.get(app);
    if (!url) throw new Error(`no ${app} running`);
    return url;
  }

  service(app: string): ServiceHandle {
    const s = this.services.get(app);
    if (!s) throw new Error(`no ${app} running`);
    return s;
  }

  /** kill -9 one agent, as a crash would. */
  async crash(app: string): Promise<void> {
    const s = this.service(app);
    s.kill('SIGKILL');
    await s.exited;
    this.services.delete(app);
  }

  async restart(app: string): Promise<ServiceHandle> {
    return this.launch(app, await freePort());
  }

  /** Stops one service (SIGKILL: a crash) and starts it again on the same port, so clients keep their URL. */
  async crashAndRestart(app: string, extra: Record<string, string> = {}): Promise<ServiceHandle> {
    const port = Number(new URL(this.httpUrl(app)).port);
    await this.crash(app);
    return this.launch(app, port, extra);
  }

  /** A key for the default tenant (see insertApiKey). */
  createKey(role: 'client' | 'admin' | 'knowledge-editor', tenantId = 'default'): Promise<string> {
    return insertApiKey(this.databaseUrl, tenantId, role, 'assistant-e2e');
  }

  sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    return sqlRows<T>(this.databaseUrl, text, params);
  }

  /** A connection of the test's own, e.g. to hold a lock while a tool call waits on it. */
  async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    return client;
  }

  /** The pid of each running service, by app name. */
  pids(): Record<string, number> {
    return Object.fromEntries([...this.services].map(([name, s]) => [name, s.pid]));
  }

  /** The resident set size (bytes) of each service process, from /proc. */
  async rss(): Promise<Record<string, number>> {
    const { readFile } = await import('node:fs/promises');
    const out: Record<string, number> = {};
    for (const [name, s] of this.services) {
      const status = await readFile(`/proc/${s.pid}/status`, 'utf8').catch(() => '');
      const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
      if (kb) out[name] = Number(kb) * 1024;
    }
    return out;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.all].reverse().map((s) => s.stop(3_000)));
    if (this.vectorDir) await rm(this.vectorDir, { recursive: true, force: true });
  }
}
