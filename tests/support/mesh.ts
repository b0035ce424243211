import { createDatabase, freePort, startService, type ServiceHandle } from '@spine/testing';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const repoRoot = root;
export const entry = (app: string, file = 'main.js') => join(root, 'apps', app, 'dist', file);

/** Short windows so health transitions are observable in a test. */
export const FAST_HEALTH = { HEARTBEAT_INTERVAL_MS: '200', UNHEALTHY_AFTER_MS: '1000', GONE_AFTER_MS: '2500', SWEEP_INTERVAL_MS: '100' };

export interface AgentProcess {
  service: ServiceHandle;
  instanceId: string;
  httpUrl: string;
}

/** The registry and built-in agents as real processes, started from their built dist/ entry points. */
export class Mesh {
  private readonly services: ServiceHandle[] = [];
  registryUrl = '';

  constructor(
    readonly natsUrl: string,
    private readonly databaseUrl: string,
  ) {}

  /** `registryEnv`: more environment for the registry, e.g. NATS_USER and NATS_PASSWORD. */
  static async start(natsUrl: string, postgresAdminUrl: string, registryEnv: Record<string, string> = {}): Promise<Mesh> {
    const mesh = new Mesh(natsUrl, await createDatabase(postgresAdminUrl, 'mesh'));
    await mesh.startRegistry(registryEnv);
    return mesh;
  }

  private async startRegistry(extra: Record<string, string>): Promise<void> {
    const env = { NATS_URL: this.natsUrl, DATABASE_URL: this.databaseUrl, LOG_LEVEL: 'warn', ...FAST_HEALTH, ...extra };
    const migrate = await startService({ name: 'registry-migrate', entry: entry('registry', 'migrate.js'), env });
    const code = await migrate.exited;
    if (code !== 0) throw new Error(`registry migrations failed (${code}):\n${migrate.lines().join('\n')}`);
    const port = await freePort();
    this.registryUrl = `http://127.0.0.1:${port}`;
    this.services.push(await startService({ name: 'registry', entry: entry('registry'), env: { ...env, HTTP_PORT: String(port) }, readyUrl: `${this.registryUrl}/health/ready` }));
  }

  async startAgent(app: string, instanceId: string = randomUUID()): Promise<AgentProcess> {
    const port = await freePort();
    const httpUrl = `http://127.0.0.1:${port}`;
    const service = await startService({
      name: `${app}-${instanceId.slice(0, 6)}`,
      entry: entry(app),
      env: { NATS_URL: this.natsUrl, HTTP_PORT: String(port), AGENT_INSTANCE_ID: instanceId, LOG_LEVEL: 'warn', SHUTDOWN_GRACE_MS: '2000' },
      readyUrl: `${httpUrl}/health/ready`,
    });
    this.services.push(service);
    return { service, instanceId, httpUrl };
  }

  async instances(name: string): Promise<{ instanceId: string; state: string }[]> {
    const res = await fetch(`${this.registryUrl}/agents/${name}`);
    if (res.status === 404) return [];
    return ((await res.json()) as { instances: { instanceId: string; state: string }[] }).instances;
  }

  async stateOf(name: string, instanceId: string): Promise<string | undefined> {
    return (await this.instances(name)).find((i) => i.instanceId === instanceId)?.state;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.services.reverse().map((s) => s.stop(3_000)));
  }
}

/** Reads one counter sample, e.g. `spine_agent_requests_total{agent="intake",outcome="ok"}`, from /metrics. */
export async function counter(httpUrl: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
