import { freePort, freePorts, freeRange, waitFor, within } from '@spine/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const launcher = join(root, 'tools', 'launcher', 'start.ts');

interface Launch {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
  /** Resolves on the first output line that `matches` (printed already or later); fails if the launcher exits first. */
  line(matches: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
}

function launch(args: string[]): Launch {
  const child = spawn(process.execPath, [launcher, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const printed = new EventEmitter<{ line: [] }>();
  const collect = (chunk: Buffer) => {
    output.push(...chunk.toString().split('\n'));
    printed.emit('line');
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = (matches: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string> => {
    let check = (): void => undefined;
    const found = new Promise<string>((resolve, reject) => {
      check = () => {
        const hit = output.find(matches);
        if (hit !== undefined) resolve(hit);
      };
      printed.on('line', check);
      void exited.then((code) => reject(new Error(`the launcher exited (${code}) before printing ${what}\nlauncher output:\n${output.join('\n')}`)));
      check();
    });
    return within(found, `the launcher to print ${what}`, timeoutMs)
      .catch((err: Error) => {
        throw new Error(`${err.message}\nlauncher output:\n${output.join('\n')}`, { cause: err });
      })
      .finally(() => printed.off('line', check));
  };
  return { child, output, exited, line };
}

const MESH_UP_TIMEOUT_MS = 300_000;

/** Every built app but the platform services (registry, orchestrator) is an agent that must show up healthy. */
const PLATFORM = new Set(['registry', 'orchestrator']);
const builtAgents = () => readdirSync(join(root, 'apps')).filter((name) => !PLATFORM.has(name) && existsSync(join(root, 'apps', name, 'dist', 'main.js')));

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start: the local mesh', () => {
  let dataDir: string;
  const launches: Launch[] = [];

  afterAll(async () => {
    for (const l of launches) if (l.child.exitCode === null) l.child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function up(ports: { nats: number; pg: number; http: number; public: number }): Promise<Launch> {
    const l = launch(['--data-dir', dataDir, '--nats-port', String(ports.nats), '--pg-port', String(ports.pg), '--http-port', String(ports.http), '--public-port', String(ports.public)]);
    launches.push(l);
    // The launcher prints this once every service answered /health/ready (how long that took is bench:startup's figure).
    // The bound only turns a hang into a failure: the launcher gives the registry, then the other services, 120 s each
    // to be ready, and exits (ending this wait with its reason) when one is not.
    await l.line((line) => line.startsWith('spine: mesh is up'), 'spine: mesh is up', MESH_UP_TIMEOUT_MS);
    // Agents register as they start; the registry lists each one healthy from its registration on.
    await waitFor(async () => {
      const { agents } = (await (await fetch(`http://127.0.0.1:${ports.http}/agents`)).json()) as { agents: { name: string; state: string }[] };
      const healthy = new Set(agents.filter((a) => a.state === 'healthy').map((a) => a.name));
      return builtAgents().every((name) => healthy.has(name));
    }, { intervalMs: 100, what: `${builtAgents().join(', ')} listed healthy` });
    return l;
  }

  it('starts every service, lists the agents healthy, stops cleanly on Ctrl-C and reuses its data on the next run', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'spine-launch-'));
    const [nats, pg] = (await freePorts(2)) as [number, number];
    // The orchestrator takes the public port and the next (gRPC); the other apps take consecutive ports from http.
    const pub = await freeRange(2, [nats, pg]);
    const ports = { nats, pg, public: pub, http: await freeRange(10, [nats, pg, pub, pub + 1]) };
    const first = await up(ports);
    // The orchestrator's migrations print the first admin key, once.
    expect(first.output.join('\n')).toMatch(/First admin API key for tenant "default"[\s\S]*spk_[a-z0-9]{12}_/);
    // Where the public API is: its interactive docs and the gRPC port.
    expect(first.output.join('\n')).toMatch(new RegExp(`orchestrator\\s+http://127\\.0\\.0\\.1:${ports.public}/docs`));
    expect(first.output.join('\n')).toContain(`grpc://127.0.0.1:${ports.public + 1}`);

    const table = first.output.filter((line) => /^(registry|intake)\s+\d+\s+\d+\s+ready\s+0$/.test(line));
    expect(table).toHaveLength(2);
    const pids = table.map((line) => Number(line.split(/\s+/)[1]));
    expect(first.output.some((line) => line.startsWith('intake') && line.includes('| {'))).toBe(true);
    expect(first.output).toContainEqual(expect.stringContaining(`http://127.0.0.1:${ports.http}/agents`));

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.output).toContain('spine: stopped');
    expect(pids.filter(isAlive)).toEqual([]);

    const second = await up(ports);
    expect(second.output.join('\n')).not.toContain('CreateAgentInstances');
    expect(second.output.join('\n')).not.toContain('First admin API key');
    // The first run's intake deregistered on Ctrl-C; its row survived in the reused Postgres.
    const gone = (await (await fetch(`http://127.0.0.1:${ports.http}/agents?state=gone`)).json()) as { agents: { name: string }[] };
    expect(gone.agents.map((a) => a.name)).toContain('intake');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 2 * MESH_UP_TIMEOUT_MS + 60_000);

  it('explains its options with --help and starts nothing', async () => {
    const l = launch(['--help']);
    expect(await l.exited).toBe(0);
    const text = l.output.join('\n');
    for (const option of ['--services', '--nats-port', '--pg-port', '--http-port', '--public-port', '--data-dir', '--log-level']) expect(text).toContain(option);
  });

  it('names the option to change when a port is taken', async () => {
    const taken = await freePort();
    const { createServer } = await import('node:net');
    const server = createServer().listen(taken, '0.0.0.0');
    try {
      const l = launch(['--nats-port', String(taken), '--data-dir', join(tmpdir(), 'spine-unused')]);
      expect(await l.exited).toBe(1);
      expect(l.output.join('\n')).toContain(`port ${taken} is already in use: pick another with --nats-port`);
    } finally {
      server.close();
    }
  });
});
