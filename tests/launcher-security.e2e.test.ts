// The launcher's own nats-server: no anonymous clients, each service logged in as its user with the permissions
// deploy/src generates for Kubernetes, and a crashed service started again. Stand-in apps named after real services
// connect to NATS with the credentials the launcher hands them; an agent answers on its own invoke subject.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { freePorts, freeRange, waitFor } from '@spine/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const launcher = join(root, 'tools', 'launcher', 'start.ts');
const natsClient = pathToFileURL(createRequire(import.meta.url).resolve('@nats-io/transport-node')).href;

// Ready once logged in to NATS with NATS_USER/NATS_PASSWORD; an agent answers `pong:<name>` on spine.agent.<name>.invoke.
const FAKE_APP = `
import { createServer } from 'node:http';
const { connect } = await import(${JSON.stringify(natsClient)});
const env = process.env;
const name = env.SERVICE_NAME;
const log = (msg, extra = {}) => process.stdout.write(JSON.stringify({ service: name, msg, ...extra }) + '\\n');
const nc = await connect({ servers: env.NATS_URL, user: env.NATS_USER, pass: env.NATS_PASSWORD });
if (name !== 'registry') nc.subscribe('spine.agent.' + name + '.invoke', { queue: name, callback: (err, msg) => { if (!err) msg.respond('pong:' + name); } });
await nc.flush();
const server = createServer((req, res) => {
  res.statusCode = ['/health/ready', '/metrics'].includes(req.url) ? 200 : 404;
  res.end('ok');
});
server.listen(Number(env.HTTP_PORT), '127.0.0.1', () => log('fake.started', { user: env.NATS_USER }));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => {
  log('fake.stopping', { signal });
  void nc.close().then(() => process.exit(0));
});
`;

interface Launch {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

function launch(args: string[]): Launch {
  // A process group of its own, like a terminal's foreground job: signalling -pid is a Ctrl-C.
  const child = spawn(process.execPath, [launcher, ...args], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (line) => output.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output, exited };
}

async function line(l: Launch, match: (line: string) => boolean, what: string, from = 0): Promise<string> {
  const exitedEarly = l.exited.then((code) => {
    throw new Error(`launcher exited (${code}) before ${what}:\n${l.output.join('\n')}`);
  });
  const found = waitFor(() => l.output.slice(from).find(match), { timeoutMs: 60_000, what }).catch((err: Error) => {
    throw new Error(`${err.message}\nlauncher output:\n${l.output.join('\n')}`);
  });
  return Promise.race([found, exitedEarly]);
}

/** The first server-side error (a permissions violation) this connection is told about. */
async function nextError(nc: NatsConnection): Promise<Error> {
  for await (const status of nc.status()) if (status.type === 'error') return status.error;
  throw new Error('connection closed without an error');
}

// One launcher for the file, stopped by the last test (Ctrl-C): these run in the order written, not shuffled.
describe('launcher security: NATS users and restarts', { shuffle: false }, () => {
  const work = mkdtempSync(join(tmpdir(), 'spine-launcher-sec-'));
  const appsDir = join(work, 'apps');
  const dataDir = join(work, 'data');
  const opened: NatsConnection[] = [];
  let run: Launch;
  let natsUrl: string;
  let routerPort: number;
  let passwords: Record<string, string>;

  const login = async (user: string): Promise<NatsConnection> => {
    const nc = await connect({ servers: natsUrl, user, pass: passwords[user], reconnect: false });
    opened.push(nc);
    return nc;
  };

  beforeAll(async () => {
    // As root, Postgres runs as the postgres user, who must be able to enter the data dir's parents.
    chmodSync(work, 0o755);
    for (const name of ['registry', 'intake', 'router']) {
      mkdirSync(join(appsDir, name, 'dist'), { recursive: true });
      writeFileSync(join(appsDir, name, 'package.json'), '{ "type": "module" }\n');
      writeFileSync(join(appsDir, name, 'dist', 'main.js'), FAKE_APP);
    }
    const [nats, pg] = await freePorts(2);
    const http = await freeRange(3, [nats!, pg!]);
    natsUrl = `nats://127.0.0.1:${nats}`;
    // registry first, then intake and router in name order.
    routerPort = http + 2;
    run = launch(['--apps-dir', appsDir, '--data-dir', dataDir, '--nats-port', `${nats}`, '--pg-port', `${pg}`, '--http-port', `${http}`]);
    await line(run, (l) => l.startsWith('spine: mesh is up (3 services)'), 'mesh is up');
    passwords = JSON.parse(readFileSync(join(dataDir, 'nats', 'users.json'), 'utf8')) as Record<string, string>;
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(opened.map((nc) => nc.close()));
    if (run && run.child.exitCode === null && run.child.signalCode === null) {
      process.kill(-run.child.pid!, 'SIGINT');
      await run.exited;
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('keeps one password per user in the data dir, readable by its owner only', () => {
    expect(statSync(join(dataDir, 'nats', 'users.json')).mode & 0o777).toBe(0o600);
    expect(Object.keys(passwords)).toEqual(expect.arrayContaining(['orchestrator', 'registry', 'intake', 'router', 'streamer', 'debug']));
    expect(new Set(Object.values(passwords)).size).toBe(Object.keys(passwords).length);
    expect(run.output.join('\n')).toContain(join(dataDir, 'nats', 'users.json'));
  });

  it('refuses a client with no credentials, or with a wrong password', async () => {
    await expect(connect({ servers: natsUrl, reconnect: false })).rejects.toThrow(/authorization/i);
    await expect(connect({ servers: natsUrl, user: 'router', pass: 'guessed', reconnect: false })).rejects.toThrow(/authorization/i);
  });

  it('hands each service its own user: the orchestrator invokes the router agent logged in as router', async () => {
    const orchestrator = await login('orchestrator');
    const reply = await orchestrator.request('spine.agent.router.invoke', 'ping', { timeout: 10_000 });
    expect(reply.string()).toBe('pong:router');
  });

  it("a client logged in as one agent cannot invoke another agent, nor read any tenant's stream or events", async () => {
    const intake = await login('intake');
    await expect(intake.request('spine.agent.router.invoke', 'ping', { timeout: 10_000 })).rejects.toThrow(/permissions violation for publish to "spine\.agent\.router\.invoke"/i);
    for (const subject of ['spine.stream.acme.>', 'spine.events.acme.>', 'spine.>']) {
      const violation = nextError(intake);
      intake.subscribe(subject);
      expect((await violation).message.toLowerCase()).toContain(`permissions violation for subscription to "${subject}"`);
    }
  });

  it('the debug user watches every subject but cannot invoke an agent', async () => {
    const debug = await login('debug');
    const sub = debug.subscribe('spine.>');
    await debug.flush();
    await (await login('orchestrator')).request('spine.agent.intake.invoke', 'watched', { timeout: 10_000 });
    for await (const msg of sub) if (msg.subject === 'spine.agent.intake.invoke' && msg.string() === 'watched') break;
    await expect(debug.request('spine.agent.intake.invoke', 'ping', { timeout: 10_000 })).rejects.toThrow(/permissions violation for publish/i);
  });

  it('restarts a service killed with SIGKILL; the mesh answers again; Ctrl-C then stops without restarts', async () => {
    const row = new RegExp(`^router\\s+(\\d+)\\s+${routerPort}\\s+ready(\\s+0)?$`);
    const pid = Number(row.exec(await line(run, (l) => row.test(l), 'the router in the status table'))![1]);
    const mark = run.output.length;
    process.kill(pid, 'SIGKILL');
    await line(run, (l) => l.startsWith(`spine: !!! router (pid ${pid}) crashed: was killed by a signal. Restarting it in`), 'the crash report', mark);
    const restarted = await line(run, (l) => /^spine: router restarted \(pid \d+, restart 1\) and is ready$/.test(l), 'router restarted', mark);
    const newPid = Number(/pid (\d+)/.exec(restarted)![1]);
    expect(newPid).not.toBe(pid);
    await line(run, (l) => new RegExp(`^router\\s+${newPid}\\s+${routerPort}\\s+ready\\s+1$`).test(l), 'the status table with one restart', mark);
    const orchestrator = await login('orchestrator');
    expect((await orchestrator.request('spine.agent.router.invoke', 'ping', { timeout: 10_000 })).string()).toBe('pong:router');
    expect((await fetch(`http://127.0.0.1:${routerPort}/health/ready`)).status).toBe(200);

    const stopMark = run.output.length;
    process.kill(-run.child.pid!, 'SIGINT');
    expect(await run.exited).toBe(0);
    const afterStop = run.output.slice(stopMark);
    expect(afterStop).toContain('spine: stopped');
    expect(afterStop.filter((l) => l.includes('crashed') || l.includes('restarted'))).toEqual([]);
    expect(existsSync(join(dataDir, 'run.json'))).toBe(false);
    // Longer than each wait above, so a missing restart fails with the launcher's output rather than a bare timeout.
  }, 180_000);
});
