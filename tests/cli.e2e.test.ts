import { createDatabase, freePort, waitFor, type ServiceHandle } from '@spine/testing';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { jsonLines, spine, spineBin } from './support/cli.js';
import { CuttingProxy } from './support/cutting-proxy.js';
import { api, OrchestratorMesh, type OrchestratorProcess } from './support/orchestrators.js';
import { startProbingRegistry, startSdkAgent } from './support/third-party.js';
import { TmuxSession } from './support/tmux.js';

type Body = Record<string, unknown>;
/** How the CLI prints a duration: `84 ms`, `1.2 s`. */
const DURATION = String.raw`(\d+ ms|\d+\.\d s)`;

/** A flow of three test-agent nodes; the middle one streams `chunks` reply tokens (t1 … tN). */
const chattyYaml = (id: string, chunks = 4, chunkDelayMs = 20) => `id: ${id}
nodes:
  - id: n1
    agent: t-alpha
  - id: n2
    agent: t-alpha
    dependsOn: [n1]
    inputs: { _chunks: ${chunks}, _chunkDelayMs: ${chunkDelayMs} }
  - id: n3
    agent: t-alpha
    dependsOn: [n2]
`;

describe('spine CLI: the built binary against a mesh', () => {
  let registry: { service: ServiceHandle };
  let orchestrators: OrchestratorMesh;
  let orch: OrchestratorProcess;
  let adminKey: string;
  let work: string;
  /** Environment for a CLI call: the admin key and this orchestrator, no profile. */
  let asAdmin: Record<string, string>;

  const file = (name: string, text: string) => {
    const path = join(work, name);
    writeFileSync(path, text);
    return path;
  };
  const configDir = () => mkdtempSync(join(work, 'config-'));

  beforeAll(async () => {
    registry = await startProbingRegistry(inject('natsUrl'), inject('postgresAdminUrl'));
    orchestrators = new OrchestratorMesh(inject('natsUrl'), await createDatabase(inject('postgresAdminUrl'), 'cli'), {
      AGENT_ENDPOINT_ALLOW: '127.0.0.1',
      AGENT_SECRET_KEY: 'e2e-agent-secret-key-0123456789',
    });
    await orchestrators.migrate();
    await Promise.all([orchestrators.startTestAgent('t-alpha'), orchestrators.startTestAgent('streamer', { rules: [{ match: {}, output: { text: 'hola' } }] })]);
    orch = await orchestrators.startOrchestrator('orch-cli');
    adminKey = await orchestrators.createKey('acme', 'admin');
    await waitFor(async () => {
      const agents = (await api(orch.url, adminKey).get('/v1/agents')).body['agents'] as { name: string; healthy: number }[];
      return ['t-alpha', 'streamer'].every((n) => agents.some((a) => a.name === n && a.healthy > 0));
    }, { what: 'test agents healthy' });
    work = mkdtempSync(join(tmpdir(), 'spine-cli-'));
    asAdmin = { SPINE_URL: orch.url, SPINE_API_KEY: adminKey, SPINE_CONFIG_DIR: join(work, 'unused-config') };
  });

  afterAll(async () => {
    await orchestrators?.stop();
    await registry?.service.stop(3_000);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('logs in: the profile is saved readable by the user only, and later calls use it', async () => {
    const config = configDir();
    const login = await spine(['login', '--url', orch.url, '--key', adminKey], { SPINE_CONFIG_DIR: config });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(/logged in to .* as tenant acme \(role admin/);
    expect(statSync(join(config, 'config.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(config, 'config.json'), 'utf8'))).toMatchObject({ current: 'default', profiles: { default: { url: orch.url, key: adminKey } } });

    const whoami = await spine(['whoami', '--json'], { SPINE_CONFIG_DIR: config });
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ tenantId: 'acme', role: 'admin', url: orch.url, source: 'profile default' });

    const wrong = await spine(['login', '--url', orch.url, '--key', 'spk_nope_nope'], { SPINE_CONFIG_DIR: config });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('UNAUTHENTICATED');
  });

  it('validates flows like a compiler: exit 1, each problem as file:path CODE message, GitHub annotations on the right line', async () => {
    const bad = file('bad-flow.yaml', 'id: bad-flow\nnodes:\n  - id: a\n    agent: t-alpha\n  - id: b\n    agent: no-such-agent\n    dependsOn: [a]\n');
    const good = file('good-flow.yaml', chattyYaml('good-flow'));
    const text = await spine(['flows', 'validate', good, bad], asAdmin);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toContain(`${good} ok`);
    expect(text.stdout).toMatch(new RegExp(`^${bad}:nodes\\[1\\]\\.agent UNKNOWN_AGENT .*no-such-agent`, 'm'));

    const github = await spine(['flows', 'validate', bad, '--format', 'github'], asAdmin);
    expect(github.code).toBe(1);
    expect(github.stdout).toMatch(new RegExp(`^::error file=${bad},line=6,col=\\d+,title=UNKNOWN_AGENT::nodes\\[1\\]\\.agent: `, 'm'));

    const broken = file('broken.yaml', 'id: broken\nnodes: [\n');
    const syntax = await spine(['flows', 'validate', broken], asAdmin);
    expect(syntax.code).toBe(1);
    expect(syntax.stdout).toMatch(new RegExp(`^${broken}:[23] SYNTAX `, 'm'));

    expect((await spine(['flows', 'validate', good], asAdmin)).code).toBe(0);
  });

  it('deploys versions, lists them, shows one and diffs two', async () => {
    const path = file('deployed.yaml', chattyYaml('deployed', 2));
    const first = await spine(['flows', 'deploy', path], asAdmin);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('deployed deployed version 1: 3 nodes');
    writeFileSync(path, chattyYaml('deployed', 5));
    const second = await spine(['flows', 'deploy', path, '--json'], asAdmin);
    expect(JSON.parse(second.stdout)).toMatchObject({ id: 'deployed', version: 2 });

    const list = await spine(['flows', 'list', '--json'], asAdmin);
    expect((JSON.parse(list.stdout) as { flows: Body[] }).flows).toContainEqual(expect.objectContaining({ id: 'deployed', latestVersion: 2, versions: 2 }));
    const v1 = await spine(['flows', 'get', 'deployed', '--version', '1'], asAdmin);
    expect(v1.stdout).toContain('deployed version 1');
    expect(v1.stdout).toContain('_chunks: 2');
    const diff = await spine(['flows', 'diff', 'deployed', '1', '2'], asAdmin);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/^-.*_chunks: 2/m);
    expect(diff.stdout).toMatch(/^\+.*_chunks: 5/m);

    const refused = await spine(['flows', 'deploy', file('refused.yaml', 'id: refused\nnodes:\n  - id: x\n    agent: ghost\n')], asAdmin);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/refused\.yaml:nodes\[0\]\.agent UNKNOWN_AGENT/);
  });

  it('runs a flow with --wait: a ✓ line per node with its duration, the reply tokens, exit 0; a failed run exits 1 with ✗', async () => {
    expect((await spine(['flows', 'deploy', file('run-me.yaml', chattyYaml('run-me', 4))], asAdmin)).code).toBe(0);
    const run = await spine(['run', 'run-me', '--input', '{"content":"hola"}', '--wait'], asAdmin);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const node of ['n1', 'n2', 'n3']) expect(run.stdout).toMatch(new RegExp(`^✓ ${node} t-alpha ${DURATION}$`, 'm'));
    expect(run.stdout).toContain('t1 t2 t3 t4');
    expect(run.stdout).toMatch(/^DONE in .* execution [0-9a-f-]{36}/m);

    const failing = file('fails.yaml', 'id: fails\nnodes:\n  - id: x\n    agent: t-alpha\n    inputs: { _failTimes: 5, _failCode: PERMISSION_DENIED }\n');
    expect((await spine(['flows', 'deploy', failing], asAdmin)).code).toBe(0);
    const failed = await spine(['run', 'fails', '--wait'], asAdmin);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^✗ x t-alpha .*PERMISSION_DENIED/m);
    expect(failed.stdout).toMatch(/^FAILED/m);

    const json = await spine(['run', 'run-me', '--wait', '--json'], asAdmin);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ flowId: 'run-me', state: 'DONE' });
  });

  it('runs a flow with --wait on a terminal: a spinner per running node, then ✓ lines, the reply and the outcome', async () => {
    expect((await spine(['flows', 'deploy', file('on-tty.yaml', chattyYaml('on-tty', 3, 100))], asAdmin)).code).toBe(0);
    const session = await TmuxSession.start([process.execPath, spineBin, 'run', 'on-tty', '--wait'], { ...asAdmin, TERM: 'xterm-256color' });
    try {
      const screen = await session.until(/DONE in .* execution [0-9a-f-]{36}/, 'the outcome line');
      expect(await session.exitCode(), screen).toBe(0);
      const lines = screen.split('\n');
      expect(lines.filter((l) => new RegExp(`^✓ n[123] t-alpha ${DURATION}$`).test(l.trimEnd())), screen).toHaveLength(3);
      expect(screen).toContain('t1 t2 t3');
      // The spinner lines were redrawn in place and cleared: none is left on the screen.
      expect(screen).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    } finally {
      await session.kill();
    }
  });

  it('tails an execution across a dropped connection: it resumes with Last-Event-ID, no gap and no duplicate', async () => {
    const admin = api(orch.url, adminKey);
    expect((await admin.post('/v1/flows', chattyYaml('tailed', 8, 150), { 'content-type': 'application/yaml' })).status).toBe(201);
    const started = await admin.post('/v1/flows/tailed/executions', { input: {} });
    const id = String(started.body['executionId']);
    const proxy = await CuttingProxy.start(orch.url, 3);
    try {
      const tail = await spine(['executions', 'tail', id, '--json'], { ...asAdmin, SPINE_URL: proxy.url });
      expect(tail.code, tail.stderr).toBe(0);
      expect(tail.stderr).toContain('connection lost; resuming after');
      const items = jsonLines(tail.stdout);
      const events = items.filter((i) => i['kind'] === 'event').map((i) => Number(i['seq']));
      const chunks = items.filter((i) => i['kind'] === 'chunk').map((i) => Number(i['seq']));
      expect(events).toEqual(events.map((_, i) => i + 1));
      expect(chunks).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(items.at(-1)).toMatchObject({ kind: 'end', state: 'DONE' });
      // The first stream was cut mid-reply; the reconnect asked for what came after the last item it had.
      expect(proxy.streams[0]?.cut).toBe(true);
      const beforeCut = items.filter((i) => i['kind'] !== 'end').findIndex((i) => i['kind'] === 'chunk' && i['seq'] === 3);
      expect(proxy.streams[1]?.lastEventId).toBe(items[beforeCut]?.['id']);
    } finally {
      await proxy.close();
    }
  });

  it('registers a third-party agent the test serves, runs a flow on it, removes it', async () => {
    const publisherKey = await orchestrators.createKey('acme', 'agent-publisher');
    const port = await freePort();
    const card = file('cli-echo.json', JSON.stringify({
      name: 'cli-echo', version: '1.0.0', transport: 'http', endpoint: `http://127.0.0.1:${port}`, capabilities: ['text.echo'],
      inputSchema: { type: 'object' }, outputSchema: { type: 'object', properties: { echo: { type: 'string' } }, required: ['echo'] }, timeoutMs: 5000,
    }));
    const registered = await spine(['agents', 'register', card, '--json'], { ...asAdmin, SPINE_API_KEY: publisherKey });
    expect(registered.code, registered.stderr).toBe(0);
    const { secret, agent } = JSON.parse(registered.stdout) as { secret: string; agent: Body };
    expect(agent).toMatchObject({ name: 'cli-echo', transport: 'http' });
    const server = await startSdkAgent('http', port, secret);
    try {
      // Probes make it healthy within a few hundred ms; wait over plain HTTP (a CLI process per poll is slow), then look with the CLI.
      await waitFor(async () => ((await api(orch.url, adminKey).get('/v1/agents')).body['agents'] as { name: string; healthy: number }[]).some((a) => a.name === 'cli-echo' && a.healthy > 0), { what: 'cli-echo healthy' });
      const listed = await spine(['agents', 'list'], asAdmin);
      expect(listed.stdout).toMatch(/^cli-echo +1\.0\.0 +http +1\/1 +http:\/\/127\.0\.0\.1:\d+$/m);
      const flow = file('on-echo.yaml', 'id: on-echo\nnodes:\n  - id: say\n    agent: cli-echo\n    inputs: { text: "{{ trigger.content }}" }\n');
      expect((await spine(['flows', 'deploy', flow], asAdmin)).code).toBe(0);
      const run = await spine(['run', 'on-echo', '--input', '{"content":"eco"}', '--wait', '--json'], asAdmin);
      expect(run.code, run.stderr).toBe(0);
      expect((JSON.parse(run.stdout) as { nodes: Body[] }).nodes[0]).toMatchObject({ nodeId: 'say', output: { echo: 'eco' } });
    } finally {
      await server.stop(3_000);
    }
    const removed = await spine(['agents', 'rm', 'cli-echo'], { ...asAdmin, SPINE_API_KEY: publisherKey });
    expect(removed.code, removed.stderr).toBe(0);
    const list = await spine(['agents', 'list', '--json'], asAdmin);
    expect((JSON.parse(list.stdout) as { agents: { name: string }[] }).agents.map((a) => a.name)).not.toContain('cli-echo');
  });

  it('creates and revokes a key: the next call with it fails with the code and the login hint', async () => {
    const created = await spine(['keys', 'create', '--name', 'short-lived', '--role', 'client', '--json'], asAdmin);
    expect(created.code, created.stderr).toBe(0);
    const { id, token } = JSON.parse(created.stdout) as { id: string; token: string };
    const asClient = { ...asAdmin, SPINE_API_KEY: token };
    expect(JSON.parse((await spine(['whoami', '--json'], asClient)).stdout)).toMatchObject({ tenantId: 'acme', role: 'client' });
    const forbidden = await spine(['keys', 'list'], asClient);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toMatch(/error PERMISSION_DENIED: .*\nhint: this key's role/);

    const listed = await spine(['keys', 'list', '--json'], asAdmin);
    expect((JSON.parse(listed.stdout) as { keys: Body[] }).keys).toContainEqual(expect.objectContaining({ id, name: 'short-lived', revokedAt: null }));
    const revoked = await spine(['keys', 'revoke', id], asAdmin);
    expect(revoked.code, revoked.stderr).toBe(0);

    const after = await spine(['whoami'], asClient);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/^error UNAUTHENTICATED: /m);
    expect(after.stderr).toMatch(/^hint: run spine login/m);
    const json = await spine(['whoami', '--json'], asClient);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'UNAUTHENTICATED', status: 401, hint: expect.stringContaining('spine login') } });
  });

  it('chats in a pseudo-terminal (tmux): each typed message gets its reply streamed back, /exit ends it', async () => {
    const flow = file('chat-cli.yaml', `id: chat-cli
trigger: { type: message_received }
nodes:
  - { id: understand, agent: t-alpha, inputs: { text: "{{ trigger.content }}" } }
  - { id: reply, agent: streamer, dependsOn: [understand], inputs: { heard: "{{ understand.input.text }}", _chunks: 3 } }
`);
    expect((await spine(['flows', 'deploy', flow], asAdmin)).code).toBe(0);
    const session = await TmuxSession.start([process.execPath, spineBin, 'chat', 'chat-cli'], { ...asAdmin, TERM: 'xterm-256color' });
    try {
      const opened = await session.until(/conversation ([0-9a-f-]{36}) with chat-cli[\s\S]*you> /, 'the conversation and the first prompt');
      const conversationId = /conversation ([0-9a-f-]{36})/.exec(opened)![1]!;
      await session.type('hola, ¿qué tal?');
      await session.until(/you> hola, ¿qué tal\?\nassistant> t1 t2 t3 *\n\[DONE\]\nyou> /, 'the first reply, streamed, then the prompt again');
      await session.type('y mañana');
      await session.until(/you> y mañana\nassistant> t1 t2 t3 *\n\[DONE\]\nyou> /, 'the second reply');
      await session.type('/exit');
      expect(await session.exitCode()).toBe(0);
      const stored = await api(orch.url, adminKey).get(`/v1/conversations/${conversationId}`);
      const messages = stored.body['messages'] as { role: string; text?: string; content?: string }[];
      expect(messages.filter((m) => m.role === 'user').map((m) => m.text ?? m.content)).toEqual(['hola, ¿qué tal?', 'y mañana']);
    } finally {
      await session.kill();
    }
  });

  it('lists the inbox, the knowledge documents and the executions as JSON', async () => {
    // knowledge search is left out: it needs the retrieval agent, which this mesh does not run.
    for (const [args, key] of [[['inbox', 'list'], 'tasks'], [['knowledge', 'list'], 'documents'], [['executions', 'list'], 'executions']] as const) {
      const res = await spine([...args, '--json'], asAdmin);
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(0);
      expect(JSON.stringify(JSON.parse(res.stdout)), args.join(' ')).toContain(`"${key}"`);
    }
  });

  it('knowledge reindex: re-embeds the tenant\'s documents (none kept here, so none)', async () => {
    const res = await spine(['knowledge', 'reindex', '--json'], asAdmin);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ documents: 0 });
  });

  it('names the missing route when a server lacks an API', async () => {
    const res = await spine(['inbox', 'list', '--json'], { ...asAdmin, SPINE_URL: `${orch.url}/no-such-prefix` });
    expect(res.code).not.toBe(0);
    expect(JSON.parse(res.stderr)).toMatchObject({ error: { code: 'NOT_SUPPORTED', status: 404 } });
  });
});
