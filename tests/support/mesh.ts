import { fromBinary } from '@bufbuild/protobuf';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { AgentState, AgentStateChangedSchema, subjects } from '@spine/contracts';
import { createDatabase, freePort, startService, within, type ServiceHandle } from '@spine/testing';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
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

export type StateName = 'healthy' | 'unhealthy' | 'gone';
const STATES: Record<StateName, AgentState> = { healthy: AgentState.HEALTHY, unhealthy: AgentState.UNHEALTHY, gone: AgentState.GONE };

interface SeenChange {
  name: string;
  instanceId: string;
  current: AgentState;
}

/**
 * Every AgentStateChanged the registry publishes (spine.registry.events.>), seen as it happens, so a
 * test waits on the state change itself instead of polling the registry (a poll can miss a short state).
 */
export class RegistryWatch {
  private readonly seen: SeenChange[] = [];
  private readonly changes = new EventEmitter<{ change: [] }>();
  private failure: Error | undefined;

  private constructor(private readonly sub: Subscription) {}

  /** Subscribe before starting what will change state: changes published earlier are not seen. */
  static async start(nc: NatsConnection): Promise<RegistryWatch> {
    const watch = new RegistryWatch(nc.subscribe(subjects.registryEventsAll));
    // A subscription the server refuses (a NATS user without the right) ends the watch; until() then says why.
    void watch.read().catch((err: unknown) => {
      watch.failure = err instanceof Error ? err : new Error(String(err));
      watch.changes.emit('change');
    });
    await nc.flush(); // the subscription is registered with the server from here on
    return watch;
  }

  private async read(): Promise<void> {
    for await (const msg of this.sub) {
      const event = fromBinary(AgentStateChangedSchema, msg.data);
      this.seen.push({ name: event.instance?.card?.name ?? '', instanceId: event.instance?.instanceId ?? '', current: event.current });
      this.changes.emit('change');
    }
  }

  /** Where the history ends now: pass it to `until` to wait for a change that happens after this point. */
  mark(): number {
    return this.seen.length;
  }

  /** Resolves when the registry has published `instanceId` (or, without one, any instance of `name`) entering `state`, at or after `from`. */
  async until(target: { name?: string; instanceId?: string }, state: StateName, from = 0): Promise<void> {
    const wanted = STATES[state];
    const matches = (c: SeenChange) => c.current === wanted && (target.instanceId === undefined || c.instanceId === target.instanceId) && (target.name === undefined || c.name === target.name);
    const what = `the registry to publish ${target.name ?? ''}${target.instanceId ? ` ${target.instanceId}` : ''} ${state}`;
    const found = new Promise<void>((resolve, reject) => {
      const check = () => {
        if (this.failure) reject(new Error(`watching registry events failed: ${this.failure.message}`, { cause: this.failure }));
        else if (!this.seen.slice(from).some(matches)) return;
        else resolve();
        this.changes.off('change', check);
      };
      this.changes.on('change', check);
      check();
    });
    await within(found, what);
  }

  stop(): void {
    this.sub.unsubscribe();
  }
}

/** The registry and built-in agents as real processes, started from their built dist/ entry points. */
export class Mesh {
  private readonly services: ServiceHandle[] = [];
  registryUrl = '';

  constructor(
    readonly natsUrl: string,
    private readonly databaseUrl: string,
    private readonly nc: NatsConnection,
    /** State changes the registry published since the mesh started. */
    readonly states: RegistryWatch,
  ) {}

  /** `registryEnv`: more environment for the registry, e.g. NATS_USER and NATS_PASSWORD (the state watch logs in with them too). */
  static async start(natsUrl: string, postgresAdminUrl: string, registryEnv: Record<string, string> = {}): Promise<Mesh> {
    const nc = await connect({ servers: natsUrl, user: registryEnv['NATS_USER'], pass: registryEnv['NATS_PASSWORD'] });
    const mesh = new Mesh(natsUrl, await createDatabase(postgresAdminUrl, 'mesh'), nc, await RegistryWatch.start(nc));
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
    this.states.stop();
    await this.nc.close();
  }
}

/** Reads one counter sample, e.g. `spine_agent_requests_total{agent="intake",outcome="ok"}`, from /metrics. */
export async function counter(httpUrl: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
