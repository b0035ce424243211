// Where migrate.js puts the first admin API key: the terminal (local development, the default), a file, or a
// Kubernetes Secret. Only the terminal shows it; the other two never put it in a log.
import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';

const schema = z.object({
  /** `stdout` (default), `file:<path>` (mode 0600) or `secret:<name>` (in the pod's namespace, key `key`). */
  ADMIN_KEY_OUTPUT: z
    .string()
    .regex(/^(stdout|file:\/.+|secret:[a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/, 'is stdout, file:/<absolute path> or secret:<Secret name>')
    .default('stdout'),
});

export type AdminKeyOutput = { kind: 'stdout' } | { kind: 'file'; path: string } | { kind: 'secret'; name: string };

export function loadAdminKeyOutput(env: NodeJS.ProcessEnv = process.env): AdminKeyOutput {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`orchestrator-migrate: invalid configuration\n${lines.join('\n')}`);
  }
  const value = parsed.data.ADMIN_KEY_OUTPUT;
  if (value.startsWith('file:')) return { kind: 'file', path: value.slice('file:'.length) };
  if (value.startsWith('secret:')) return { kind: 'secret', name: value.slice('secret:'.length) };
  return { kind: 'stdout' };
}

/** How a pod reaches the Kubernetes API: the in-cluster service address and the mounted service-account files. */
export interface KubeApi {
  url: string;
  token: string;
  namespace: string;
  /** PEM of the cluster CA (https). */
  ca?: string;
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

export function inClusterApi(env: NodeJS.ProcessEnv = process.env): KubeApi {
  const host = env['KUBERNETES_SERVICE_HOST'];
  if (!host) throw new Error('ADMIN_KEY_OUTPUT=secret:… needs the Kubernetes API: KUBERNETES_SERVICE_HOST is not set (not in a pod?)');
  const read = (file: string) => readFileSync(`${SERVICE_ACCOUNT}/${file}`, 'utf8').trim();
  return { url: `https://${host.includes(':') ? `[${host}]` : host}:${env['KUBERNETES_SERVICE_PORT'] ?? '443'}`, token: read('token'), namespace: read('namespace'), ca: read('ca.crt') };
}

function call(api: KubeApi, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const url = new URL(path, api.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method,
        ca: api.ca,
        headers: { authorization: `Bearer ${api.token}`, accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function secretObject(api: KubeApi, name: string, data: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: api.namespace, labels: { 'app.kubernetes.io/part-of': 'spine', 'app.kubernetes.io/component': 'admin-key' } },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

const secretsPath = (api: KubeApi) => `/api/v1/namespaces/${encodeURIComponent(api.namespace)}/secrets`;

/**
 * Before a key exists: can this pod create the Secret (a server-side dry run: RBAC, admission, quota)? A key that
 * could not be delivered would be lost, and no second first key is ever made.
 */
export async function checkKeySecret(api: KubeApi, name: string): Promise<void> {
  const res = await call(api, 'POST', `${secretsPath(api)}?dryRun=All`, secretObject(api, name, { key: 'dry-run' }));
  if (res.status !== 201 && res.status !== 409) throw new Error(`cannot create Secret ${name} (dry run): Kubernetes API answered ${res.status} ${res.text.slice(0, 300)}`);
}

/** Creates the Secret, or replaces its data when it exists (the database was recreated, a new first key made). */
export async function writeKeySecret(api: KubeApi, name: string, data: Record<string, string>): Promise<'created' | 'updated'> {
  const base = secretsPath(api);
  const secret = secretObject(api, name, data);
  const created = await call(api, 'POST', base, secret);
  if (created.status === 201) return 'created';
  if (created.status !== 409) throw new Error(`cannot create Secret ${name}: Kubernetes API answered ${created.status} ${created.text.slice(0, 300)}`);
  const current = await call(api, 'GET', `${base}/${encodeURIComponent(name)}`);
  if (current.status !== 200) throw new Error(`cannot read Secret ${name}: Kubernetes API answered ${current.status} ${current.text.slice(0, 300)}`);
  const { metadata } = JSON.parse(current.text) as { metadata: { resourceVersion: string } };
  const replaced = await call(api, 'PUT', `${base}/${encodeURIComponent(name)}`, { ...secret, metadata: { ...secret.metadata, resourceVersion: metadata.resourceVersion } });
  if (replaced.status !== 200) throw new Error(`cannot update Secret ${name}: Kubernetes API answered ${replaced.status} ${replaced.text.slice(0, 300)}`);
  return 'updated';
}

export interface AdminKeyDeps {
  stdout: (text: string) => void;
  kubeApi: () => KubeApi;
}

const defaultDeps: AdminKeyDeps = { stdout: (text) => process.stdout.write(text), kubeApi: () => inClusterApi() };

/** Fails before any key is made when the output cannot take it (no writable directory, no right to the Secret). */
export async function checkAdminKeyOutput(output: AdminKeyOutput, deps: AdminKeyDeps = defaultDeps): Promise<void> {
  if (output.kind === 'file') accessSync(dirname(output.path), constants.W_OK);
  if (output.kind === 'secret') await checkKeySecret(deps.kubeApi(), output.name);
}

/** Puts the key where the output says; returns a line to log, which never contains the key. */
export async function deliverAdminKey(
  key: { tenantId: string; token: string },
  output: AdminKeyOutput,
  deps: AdminKeyDeps = defaultDeps,
): Promise<string> {
  switch (output.kind) {
    case 'stdout':
      deps.stdout(`\n  First admin API key for tenant "${key.tenantId}" (shown once, store it now):\n  ${key.token}\n\n`);
      return 'first admin key printed';
    case 'file':
      writeFileSync(output.path, `${key.token}\n`, { mode: 0o600 });
      return `first admin key for tenant "${key.tenantId}" written to ${output.path}`;
    case 'secret': {
      const how = await writeKeySecret(deps.kubeApi(), output.name, { key: key.token, tenant: key.tenantId });
      return `first admin key for tenant "${key.tenantId}" ${how} in Secret ${output.name} (key "key")`;
    }
  }
}
