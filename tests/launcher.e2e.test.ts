import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePorts, freeRange, waitFor } from '@spine/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const launcher = join(root, 'tools', 'launcher', 'start.ts');

// A stand-in app: the launcher's env contract, /health/ready, /metrics, a JSON log line, SIGTERM handling.
const FAKE_APP = `
import { createServer } from 'node:http';
const env = process.env;
const log = (msg, extra = {}) => process.stdout.write(JSON.stringify({ level: 30, service: env.SERVICE_NAME, msg, ...extra }) + '\\n');
const server = createServer((req, res) => {
  if (req.url === '/crash') { res.end('bye'); setTimeout(() => process.exit(3), 10); return; }
  res.statusCode = ['/health/ready', '/metrics'].includes(req.url) ? 200 : 404;
  res.end('ok');
});
server.listen(Number(env.HTTP_PORT), '127.0.0.1', () =>
  log('fake.started', { port: env.HTTP_PORT, nats: env.NATS_URL, db: env.DATABASE_URL, logLevel: env.LOG_LEVEL }));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => {
  log('fake.stopping', { signal });
  // Slow enough that a registry stopped too early would log before this app is gone.
  setTimeout(() => process.exit(0), 300);
});
`;
const FAKE_MIGRATE = `process.stdout.write(JSON.stringify({ msg: 'fake.migrated', db: process.env.DATABASE_URL }) + '\\n');\n`;

function writeApp(appsDir: string, name: string, files: Record<string, string>): void {
  mkdirSync(join(appsDir, name, 'dist'), { recursive: true });
  writeFileSync(join(appsDir, name, 'package.json'), '{ "type": "module" }\n');
  for (const [file, text] of Object.entries(files)) writeFileSync(join(appsDir, name, 'dist', file), text);
}

interface Launch {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

const launches: Launch[] = [];

function launch(args: string[]): Launch {
  // A process group of its own, like a terminal's foreground job: signalling -pid is a Ctrl-C.
  const child = spawn(process.execPath, [launcher, ...args], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (line) => output.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const l = { child, output, exited };
  launches.push(l);
  return l;
}

async function line(l: Launch, match: (line: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
  const exitedEarly = l.exited.then((code) => {
    throw new Error(`launcher exited (${code}) before ${what}:\n${l.output.join('\n')}`);
  });
  const found = waitFor(() => l.output.find(match), { timeoutMs, what }).catch((err: Error) => {
    throw new Error(`${err.message}\nlauncher output:\n${l.output.join('\n')}`);
  });
  return Promise.race([found, exitedEarly]);
}

function registryLogin(dataDir: string): { user: string; pass: string } {
  const passwords = JSON.parse(readFileSync(join(dataDir, 'nats', 'users.json'), 'utf8')) as Record<string, string>;
  return { user: 'registry', pass: passwords['registry']! };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

async function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

async function ready(port: number): Promise<number> {
  return (await fetch(`http://127.0.0.1:${port}/health/ready`)).status;
}

describe('launcher: node tools/launcher/start.ts with stand-in apps', () => {
  const work = mkdtempSync(join(tmpdir(), 'spine-launcher-'));
  const appsDir = join(work, 'apps');
  const dataDir = join(work, 'data');
  let ports: { nats: number; pg: number; http: number };
  let args: string[];

  beforeAll(async () => {
    // As root, Postgres runs as the postgres user, who must be able to enter the data dir's parents.
    chmodSync(work, 0o755);
    writeApp(appsDir, 'registry', { 'main.js': FAKE_APP, 'migrate.js': FAKE_MIGRATE });
    writeApp(appsDir, 'echo', { 'main.js': FAKE_APP });
    writeApp(appsDir, 'worker', { 'main.js': FAKE_APP });
    const [nats, pg] = await freePorts(2);
    // The registry gets the first port of the range, the other apps the next ones.
    ports = { nats: nats!, pg: pg!, http: await freeRange(3, [nats!, pg!]) };
    args = ['--apps-dir', appsDir, '--data-dir', dataDir, '--nats-port', `${ports.nats}`, '--pg-port', `${ports.pg}`, '--http-port', `${ports.http}`];
  });

  afterAll(async () => {
    // The supervisor behind a killed launcher notices and stops the mesh; give it the time to.
    for (const l of launches) if (l.child.exitCode === null && l.child.signalCode === null) l.child.kill('SIGKILL');
    await waitFor(() => !existsSync(join(dataDir, 'run.json')), { timeoutMs: 20_000, what: 'the mesh to stop' }).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  it('starts every app, reports it, survives a crash, stops on Ctrl-C; a second run reuses Postgres and JetStream', async () => {
    const first = launch(args);
    const began = Date.now();
    await line(first, (l) => l.startsWith('spine: mesh is up (3 services)'), 'mesh is up');
    console.info(`[launcher] first run: mesh is up ${Date.now() - began}ms after spawn`);

    const rows = first.output.map((l) => /^(registry|echo|worker)\s+(\d+)\s+(\d+)\s+ready\s+0$/.exec(l)).filter((m) => m !== null);
    expect(rows.map(([, name, , port]) => [name, Number(port)])).toEqual([
      ['registry', ports.http],
      ['echo', ports.http + 1],
      ['worker', ports.http + 2],
    ]);
    const pids = Object.fromEntries(rows.map(([, name, pid]) => [name!, Number(pid)]));
    for (const port of [ports.http, ports.http + 1, ports.http + 2]) expect(await ready(port)).toBe(200);
    for (const url of [`http://127.0.0.1:${ports.http}/agents`, `http://127.0.0.1:${ports.http + 1}/metrics`, `nats://127.0.0.1:${ports.nats}`]) {
      expect(first.output.join('\n')).toContain(url);
    }

    // Migrations first; every app's JSON lines prefixed with its name; the env contract honoured.
    const index = (prefix: string, msg: string) => first.output.findIndex((l) => l.startsWith(prefix) && l.includes(`"msg":"${msg}"`));
    expect(index('registry |', 'fake.migrated')).toBeGreaterThanOrEqual(0);
    expect(index('registry |', 'fake.migrated')).toBeLessThan(index('registry |', 'fake.started'));
    expect(index('registry |', 'fake.started')).toBeLessThan(index('echo     |', 'fake.started'));
    const echoStarted = JSON.parse(first.output[index('echo     |', 'fake.started')]!.slice('echo     | '.length)) as Record<string, string>;
    expect(echoStarted).toMatchObject({ service: 'echo', port: `${ports.http + 1}`, nats: `nats://127.0.0.1:${ports.nats}`, logLevel: 'info' });
    const databaseUrl = echoStarted['db']!;
    expect(first.output).toContain(`  postgres  ${databaseUrl}`);

    // Data for the second run to find.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query('create table launcher_probe (note text)');
    await db.query('insert into launcher_probe values ($1)', ['kept']);
    await db.end();
    // NATS wants a user: the registry's may use JetStream (its password is in the data dir).
    const nc = await connect({ servers: `nats://127.0.0.1:${ports.nats}`, ...registryLogin(dataDir) });
    await (await jetstreamManager(nc)).streams.add({ name: 'LAUNCHER_PROBE', subjects: ['launcher.probe.>'] });
    await nc.close();

    // A crash is reported and the service restarted; the other services keep running.
    await fetch(`http://127.0.0.1:${ports.http + 2}/crash`);
    await line(first, (l) => l.startsWith(`spine: !!! worker (pid ${pids['worker']}) crashed: exited with code 3. Restarting it in`), 'the crash report');
    await line(first, (l) => /^spine: worker restarted \(pid \d+, restart 1\) and is ready$/.test(l), 'the restart');
    expect(await ready(ports.http + 1)).toBe(200);
    expect(first.child.exitCode).toBeNull();

    const run = JSON.parse(readFileSync(join(dataDir, 'run.json'), 'utf8')) as { nats: number; postgres: number; services: { pid: number }[] };
    // Ctrl-C: the terminal signals the whole foreground group, and npm forwards it once more.
    process.kill(-first.child.pid!, 'SIGINT');
    process.kill(first.child.pid!, 'SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.output).toContain('spine: stopped');
    // The restarted worker included: run.json names it.
    expect([pids['registry'], pids['echo'], pids['worker'], ...run.services.map((s) => s.pid), run.nats, run.postgres].filter((pid) => isAlive(pid!))).toEqual([]);
    // The apps got SIGTERM from the launcher, not the Ctrl-C; the registry stopped after the others.
    const stopping = first.output.filter((l) => l.includes('"msg":"fake.stopping"'));
    expect(stopping).toHaveLength(3);
    expect(stopping.slice(0, 2).sort()).toEqual([expect.stringMatching(/^echo +\|.*"signal":"SIGTERM"/), expect.stringMatching(/^worker +\|.*"signal":"SIGTERM"/)]);
    expect(stopping[2]).toMatch(/^registry +\|.*"signal":"SIGTERM"/);
    for (const port of [ports.nats, ports.pg, ports.http, ports.http + 1]) expect(await canListen(port)).toBe(true);

    const second = launch(args);
    const again = Date.now();
    await line(second, (l) => l.startsWith('spine: mesh is up (3 services)'), 'mesh is up, second run');
    console.info(`[launcher] second run: mesh is up ${Date.now() - again}ms after spawn`);
    const db2 = new pg.Client({ connectionString: databaseUrl });
    await db2.connect();
    const { rows: kept } = await db2.query<{ note: string }>('select note from launcher_probe');
    await db2.end();
    expect(kept).toEqual([{ note: 'kept' }]);
    const nc2 = await connect({ servers: `nats://127.0.0.1:${ports.nats}`, ...registryLogin(dataDir) });
    const stream = await (await jetstreamManager(nc2)).streams.info('LAUNCHER_PROBE');
    await nc2.close();
    expect(stream.config.subjects).toEqual(['launcher.probe.>']);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output).toContain('spine: stopped');
  });

  it('exits 1 when an app dies before it is ready, with its last lines, and stops the rest', async () => {
    const brokenApps = join(work, 'broken-apps');
    writeApp(brokenApps, 'registry', { 'main.js': FAKE_APP });
    writeApp(brokenApps, 'broken', { 'main.js': `console.error('broken: cannot start'); process.exit(2);\n` });
    const l = launch([...args.slice(2), '--apps-dir', brokenApps]);
    expect(await l.exited).toBe(1);
    const text = l.output.join('\n');
    expect(text).toContain('is not ready: exited with code 2 before it was ready');
    expect(text).toMatch(/last lines of broken:\n {2}broken: cannot start/);
    expect(text).toMatch(/^registry +\|.*"msg":"fake.stopping"/m);
    expect(text).toContain('spine: stopped');
  });

  it('rejects an unknown service, naming the known ones', async () => {
    const l = launch([...args, '--services', 'registry,nope']);
    expect(await l.exited).toBe(1);
    expect(l.output.join('\n')).toContain('unknown service(s): nope; known: registry, echo, worker');
  });

  it('names the option to change when a port is taken', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(ports.http + 1, '127.0.0.1', resolve));
    try {
      const l = launch(args);
      expect(await l.exited).toBe(1);
      expect(l.output.join('\n')).toContain(`port ${ports.http + 1} is already in use: pick another with --http-port`);
    } finally {
      server.close();
    }
  });

  it('explains every option with --help, and starts nothing', async () => {
    const l = launch(['--help', '--data-dir', join(work, 'never')]);
    expect(await l.exited).toBe(0);
    const text = l.output.join('\n');
    for (const option of ['--services', '--nats-port', '--pg-port', '--http-port', '--public-port', '--data-dir', '--log-level', '--help']) {
      expect(text).toContain(option);
    }
    for (const fallback of ['4222', '54329', '7100', '8080', '.spine', 'info']) expect(text).toContain(fallback);
    expect(existsSync(join(work, 'never'))).toBe(false);
  });
});
