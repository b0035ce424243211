// The first admin key goes to a terminal, a file or a Kubernetes Secret; the last two never print it. The Secret
// path runs against a local HTTP server that answers like the Kubernetes API's secrets endpoints.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkAdminKeyOutput, deliverAdminKey, loadAdminKeyOutput, type KubeApi } from './admin-key-output.js';

const key = { tenantId: 'acme', token: 'spk_secret-token-value' };

interface Call {
  method: string;
  url: string;
  auth: string | undefined;
  body: Record<string, unknown> | undefined;
}

/** The secrets of one namespace, as the API server keeps them; `deny` answers 403 like missing RBAC. */
class FakeKubeApi {
  readonly calls: Call[] = [];
  readonly secrets = new Map<string, Record<string, unknown>>();
  deny = false;
  private server?: Server;

  async start(): Promise<KubeApi> {
    this.server = createServer((req, res) => {
      void body(req).then((parsed) => {
        this.calls.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body: parsed });
        const reply = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
        if (this.deny) return reply(403, { reason: 'Forbidden' });
        const [path, query] = (req.url ?? '').split('?');
        const name = path?.match(/^\/api\/v1\/namespaces\/spine\/secrets\/([^/]+)$/)?.[1];
        const metadata = (parsed?.['metadata'] ?? {}) as { name: string };
        if (req.method === 'POST' && path === '/api/v1/namespaces/spine/secrets') {
          if (this.secrets.has(metadata.name)) return reply(409, { reason: 'AlreadyExists' });
          if (query !== 'dryRun=All') this.secrets.set(metadata.name, { ...parsed, metadata: { ...metadata, resourceVersion: '1' } });
          return reply(201, parsed);
        }
        if (req.method === 'GET' && name) return this.secrets.has(name) ? reply(200, this.secrets.get(name)) : reply(404, {});
        if (req.method === 'PUT' && name) {
          this.secrets.set(name, parsed ?? {});
          return reply(200, parsed);
        }
        reply(405, {});
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`, token: 'sa-token', namespace: 'spine' };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

async function body(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
}

const decoded = (secret: Record<string, unknown> | undefined) =>
  Object.fromEntries(Object.entries((secret?.['data'] ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

describe('ADMIN_KEY_OUTPUT', () => {
  let fake: FakeKubeApi;
  let api: KubeApi;
  let printed: string[];
  const deps = () => ({ stdout: (text: string) => printed.push(text), kubeApi: () => api });

  beforeEach(async () => {
    fake = new FakeKubeApi();
    api = await fake.start();
    printed = [];
  });
  afterEach(() => fake.stop());

  it('parses stdout (the default), file: and secret:, and refuses anything else naming the variable', () => {
    expect(loadAdminKeyOutput({})).toEqual({ kind: 'stdout' });
    expect(loadAdminKeyOutput({ ADMIN_KEY_OUTPUT: 'file:/run/spine/admin-key' })).toEqual({ kind: 'file', path: '/run/spine/admin-key' });
    expect(loadAdminKeyOutput({ ADMIN_KEY_OUTPUT: 'secret:spine-admin-key' })).toEqual({ kind: 'secret', name: 'spine-admin-key' });
    for (const bad of ['log', 'file:relative', 'secret:Not_A_Name']) expect(() => loadAdminKeyOutput({ ADMIN_KEY_OUTPUT: bad })).toThrow(/ADMIN_KEY_OUTPUT: is stdout/);
  });

  it('stdout: prints the key once (local development, as before)', async () => {
    await deliverAdminKey(key, { kind: 'stdout' }, deps());
    expect(printed.join('')).toContain(key.token);
  });

  it('secret: creates the Secret with the key and its tenant, prints nothing, and logs no key', async () => {
    const line = await deliverAdminKey(key, { kind: 'secret', name: 'spine-admin-key' }, deps());
    expect(decoded(fake.secrets.get('spine-admin-key'))).toEqual({ key: key.token, tenant: 'acme' });
    expect(fake.calls[0]?.auth).toBe('Bearer sa-token');
    expect(printed).toEqual([]);
    expect(line).not.toContain(key.token);
    expect(line).toContain('Secret spine-admin-key');
  });

  it('secret: replaces an existing Secret (a recreated database made a new first key)', async () => {
    await deliverAdminKey({ tenantId: 'acme', token: 'old' }, { kind: 'secret', name: 'spine-admin-key' }, deps());
    const line = await deliverAdminKey(key, { kind: 'secret', name: 'spine-admin-key' }, deps());
    expect(line).toContain('updated');
    expect(decoded(fake.secrets.get('spine-admin-key'))['key']).toBe(key.token);
  });

  it('secret: the check before any key is made is a dry run, and fails when the pod may not create the Secret', async () => {
    await checkAdminKeyOutput({ kind: 'secret', name: 'spine-admin-key' }, deps());
    expect(fake.calls.map((c) => [c.method, c.url])).toEqual([['POST', '/api/v1/namespaces/spine/secrets?dryRun=All']]);
    expect(fake.secrets.size).toBe(0);
    fake.deny = true;
    await expect(checkAdminKeyOutput({ kind: 'secret', name: 'spine-admin-key' }, deps())).rejects.toThrow(/cannot create Secret spine-admin-key \(dry run\): Kubernetes API answered 403/);
  });

  it('file: writes the key readable by its owner only, prints nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'admin-key-'));
    try {
      const path = join(dir, 'key');
      await checkAdminKeyOutput({ kind: 'file', path }, deps());
      const line = await deliverAdminKey(key, { kind: 'file', path }, deps());
      expect(readFileSync(path, 'utf8').trim()).toBe(key.token);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(printed).toEqual([]);
      expect(line).not.toContain(key.token);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
