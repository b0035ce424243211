import { freePort, startService, type ServiceHandle } from '@spine/testing';
import { insertApiKey, sqlRows } from './database.js';
import { entry } from './mesh.js';

export interface OrchestratorProcess {
  service: ServiceHandle;
  url: string;
}

export interface TestAgentOptions {
  rules?: { match: Record<string, string>; output: Record<string, unknown> }[];
  schemas?: { input?: Record<string, unknown>; output?: Record<string, unknown> };
  capabilities?: string[];
  /** More environment, e.g. NATS_USER and NATS_PASSWORD. */
  env?: Record<string, string>;
}

/** Orchestrator replicas and scriptable test agents (apps/orchestrator/dist/testing/test-agent.js) as real processes. */
export class OrchestratorMesh {
  private readonly services: ServiceHandle[] = [];

  constructor(
    readonly natsUrl: string,
    readonly databaseUrl: string,
    private readonly env: Record<string, string> = {},
  ) {}

  async migrate(): Promise<void> {
    const migrate = await startService({ name: 'orchestrator-migrate', entry: entry('orchestrator', 'migrate.js'), env: this.baseEnv() });
    const code = await migrate.exited;
    if (code !== 0) throw new Error(`orchestrator migrations failed (${code}):\n${migrate.lines().join('\n')}`);
  }

  async startOrchestrator(name: string, env: Record<string, string> = {}): Promise<OrchestratorProcess> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const service = await startService({ name, entry: entry('orchestrator'), env: { ...this.baseEnv(), HTTP_PORT: String(port), GRPC_PORT: '0', REPLICA_ID: name, ...env }, readyUrl: `${url}/health/ready` });
    this.services.push(service);
    return { service, url };
  }

  async startTestAgent(name: string, options: TestAgentOptions = {}): Promise<{ service: ServiceHandle; httpUrl: string }> {
    const port = await freePort();
    const httpUrl = `http://127.0.0.1:${port}`;
    const service = await startService({
      name,
      entry: entry('orchestrator', 'testing/test-agent.js'),
      env: {
        NATS_URL: this.natsUrl,
        HTTP_PORT: String(port),
        LOG_LEVEL: 'warn',
        HEARTBEAT_INTERVAL_MS: '200',
        SHUTDOWN_GRACE_MS: '1000',
        TEST_AGENT_NAME: name,
        TEST_AGENT_RULES: JSON.stringify(options.rules ?? []),
        TEST_AGENT_SCHEMAS: JSON.stringify(options.schemas ?? {}),
        TEST_AGENT_CAPABILITIES: (options.capabilities ?? []).join(','),
        ...options.env,
      },
      readyUrl: `${httpUrl}/health/ready`,
    });
    this.services.push(service);
    return { service, httpUrl };
  }

  /** A key for any tenant and role (see insertApiKey). */
  createKey(tenantId: string, role: 'client' | 'agent-publisher' | 'admin' | 'reviewer'): Promise<string> {
    return insertApiKey(this.databaseUrl, tenantId, role);
  }

  sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return sqlRows<T>(this.databaseUrl, text, params);
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.services.reverse().map((s) => s.stop(3_000)));
  }

  private baseEnv(): Record<string, string> {
    return { NATS_URL: this.natsUrl, DATABASE_URL: this.databaseUrl, LOG_LEVEL: 'warn', ...this.env };
  }
}

/** A tiny REST client bound to one key. */
export function api(baseUrl: string, token: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body ?? {}, headers),
  };
}
