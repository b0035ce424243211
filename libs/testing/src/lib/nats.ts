import { spawn } from 'node:child_process';
import { accessSync, constants, openSync, closeSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { logTail } from './log-tail.js';
import { terminate } from './pid.js';
import { freePort } from './ports.js';
import { waitFor } from './wait-for.js';

export interface StartNatsOptions {
  port?: number;
  /** JetStream store; default a new temp dir, removed on stop. */
  storeDir?: string;
  /** Default 8 MiB. nats-server 2.9 accepts max_payload only from a config file. */
  maxPayloadBytes?: number;
  /** HTTP monitoring port; when set, readiness is its /healthz. */
  monitorPort?: number;
  /** Appended to the generated config file, e.g. an `authorization { … }` block. */
  extraConfig?: string;
}

export interface NatsServerHandle {
  url: string;
  port: number;
  pid: number;
  storeDir: string;
  stop(): Promise<void>;
}

const INSTALL_HINT = 'install it with: apt-get update && apt-get install -y nats-server';
// Generous, like every readiness wait here: the server answers as soon as it is up; a crash ends the wait at once.
const START_TIMEOUT_MS = 60_000;

export async function startNats(opts: StartNatsOptions = {}): Promise<NatsServerHandle> {
  const binary = findBinary('nats-server');
  if (!binary) throw new Error(`nats-server not found on PATH or in /usr/sbin; ${INSTALL_HINT}`);

  const port = opts.port ?? (await freePort());
  const workDir = await mkdtemp(join(tmpdir(), 'spine-nats-'));
  const storeDir = opts.storeDir ?? join(workDir, 'jetstream');
  await mkdir(storeDir, { recursive: true });
  const configFile = join(workDir, 'nats.conf');
  const logFile = join(workDir, 'nats.log');
  await writeFile(configFile, `${natsConfig(storeDir, opts.maxPayloadBytes ?? 8 * 1024 * 1024)}\n${opts.extraConfig ?? ''}\n`);

  const args = ['-js', '-a', '127.0.0.1', '-p', String(port), '-c', configFile];
  if (opts.monitorPort) args.push('-m', String(opts.monitorPort));
  const logFd = openSync(logFile, 'a');
  const child = spawn(binary, args, { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  child.unref();

  const cleanup = async (): Promise<void> => {
    if (child.pid) await terminate(child.pid, 'SIGTERM', 5_000);
    await rm(workDir, { recursive: true, force: true });
  };
  const failed = async (reason: string): Promise<never> => {
    const log = await logTail(logFile);
    await cleanup();
    throw new Error(`nats-server on port ${port} ${reason}\n--- nats.log (last lines) ---\n${log}`);
  };

  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(`exited during startup (${code ?? signal})`)),
  );
  const spawnError = new Promise<string>((resolve) => child.once('error', (err) => resolve(`did not start: ${err.message}`)));
  const ready = waitFor(() => isReady(logFile, port, opts.monitorPort), {
    timeoutMs: START_TIMEOUT_MS,
    intervalMs: 50,
    what: `nats-server on port ${port}`,
  }).then(
    () => undefined,
    (err: Error) => `did not start: ${err.message}`,
  );
  const problem = await Promise.race([ready, exited, spawnError]);
  if (problem !== undefined || !child.pid) return failed(problem ?? 'has no pid');

  const pid = child.pid;
  return { url: `nats://127.0.0.1:${port}`, port, pid, storeDir, stop: cleanup };
}

function natsConfig(storeDir: string, maxPayloadBytes: number): string {
  return [
    `max_payload: ${maxPayloadBytes}`,
    // max_pending must stay above max_payload or the server rejects the config.
    `max_pending: ${Math.max(64 * 1024 * 1024, maxPayloadBytes * 2)}`,
    `jetstream { store_dir: ${JSON.stringify(storeDir)} }`,
    '',
  ].join('\n');
}

async function isReady(logFile: string, port: number, monitorPort: number | undefined): Promise<boolean> {
  // Our own log must say so: a TCP connect alone may reach another server that holds the port.
  if (!(await readFile(logFile, 'utf8')).includes('Server is ready')) return false;
  if (monitorPort) {
    const res = await fetch(`http://127.0.0.1:${monitorPort}/healthz`);
    await res.body?.cancel();
    return res.status === 200;
  }
  return canConnect(port);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// Debian puts nats-server in /usr/sbin, which a non-root PATH often lacks.
function findBinary(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/bin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}
