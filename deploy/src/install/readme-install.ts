// Walks deploy/README.md's install steps: runs its `sh install=<path>` blocks with fake `kubectl` and `helm` that only
// record their arguments, then replays the record against the objects those commands would create (the chart rendered
// by helm, the overlay by kustomize, the dependency files) and reports every Secret, key, namespace or namespace
// label that an object needs before it exists, and every step that runs before the one it depends on.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { helmTemplate, kustomize, parseObjects, type K8sObject } from '../render/render.js';
import { deployDir, repoRoot } from '../render/tools.js';

export const INSTALL_PATHS = ['helm', 'kustomize'] as const;
export type InstallPath = (typeof INSTALL_PATHS)[number];

/** The blocks of one install path, in README order. */
export function installScript(readme: string, path: InstallPath): string {
  const blocks = [...readme.matchAll(/^```sh install=([a-z,]+)\n([\s\S]*?)^```$/gm)];
  return blocks
    .filter((m) => (m[1] ?? '').split(',').includes(path))
    .map((m) => m[2] ?? '')
    .join('\n');
}

/** One recorded command: the program's name and its arguments. */
export type Call = string[];

const RECORDER = `#!/bin/sh
{ printf '%s' "$(basename "$0")"; for a in "$@"; do printf '\\037%s' "$a"; done; printf '\\n'; } >> "$SPINE_INSTALL_LOG"
`;

/** Runs the script with `kubectl` and `helm` replaced by recorders (openssl and the shell are real). */
export function recordCommands(script: string): Call[] {
  const dir = mkdtempSync(join(deployDir, '.tools', 'install-'));
  try {
    const log = join(dir, 'calls');
    writeFileSync(log, '');
    for (const tool of ['kubectl', 'helm']) {
      writeFileSync(join(dir, tool), RECORDER);
      chmodSync(join(dir, tool), 0o755);
    }
    const result = spawnSync('sh', ['-e', '-c', script], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { PATH: `${dir}:${process.env['PATH'] ?? ''}`, SPINE_INSTALL_LOG: log, HOME: dir },
    });
    if (result.status !== 0) throw new Error(`the install script failed (exit ${result.status}): ${result.stderr}`);
    return readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\x1f'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Flags of a command line: `-n x`, `--namespace=x`, repeated ones collected. */
function flags(args: string[]): { positional: string[]; get: (...names: string[]) => string[]; has: (name: string) => boolean } {
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  const boolean = new Set(['--wait', '--create-namespace', '--install', '--atomic']);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const [name, value] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : boolean.has(arg) ? [arg, 'true'] : [arg, args[++i] ?? ''];
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { positional, get: (...names) => names.flatMap((n) => values.get(n) ?? []), has: (name) => values.has(name) };
}

interface SecretNeed {
  name: string;
  keys: string[];
  optional: boolean;
  by: string;
}

/** The Secrets an object reads: secretKeyRef (optional ones skipped), CloudNativePG role passwords, object-store credentials. */
export function secretNeeds(object: unknown, by: string): SecretNeed[] {
  const needs: SecretNeed[] = [];
  const visit = (node: unknown, key: string): void => {
    if (Array.isArray(node)) return node.forEach((child) => visit(child, key));
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const ref = record['secretKeyRef'] as { name?: string; key?: string; optional?: boolean } | undefined;
    if (ref?.name && ref.key) needs.push({ name: ref.name, keys: [ref.key], optional: ref.optional === true, by });
    const password = record['passwordSecret'] as { name?: string } | undefined;
    if (password?.name) needs.push({ name: password.name, keys: ['username', 'password'], optional: false, by });
    if (key === 's3Credentials') {
      for (const value of Object.values(record)) {
        const cred = value as { name?: string; key?: string };
        if (cred.name && cred.key) needs.push({ name: cred.name, keys: [cred.key], optional: false, by });
      }
    }
    for (const [k, v] of Object.entries(record)) if (k !== 'secretKeyRef') visit(v, k);
  };
  visit(object, '');
  return needs;
}

/** The cluster as the recorded commands leave it, and what went wrong on the way. */
export class InstallReplay {
  readonly namespaces = new Map<string, Record<string, string>>();
  readonly secrets = new Map<string, Set<string>>();
  readonly problems: string[] = [];
  /** What ran: `helm:<release>`, `kustomize-migrations`, `kustomize-all`, `wait:job/<name>`, … */
  readonly done: string[] = [];

  constructor(
    /** Value files the README names that are yours to write (`my-values.yaml`), mapped to one of ours. */
    private readonly valueFiles: Record<string, string>,
  ) {}

  replay(calls: readonly Call[]): this {
    calls.forEach((call, index) => this.step(call, `step ${index + 1} (${call.join(' ')})`));
    return this;
  }

  private needNamespace(ns: string, where: string): void {
    if (!this.namespaces.has(ns)) this.problems.push(`${where}: namespace ${ns} does not exist yet`);
  }

  private needSecrets(needs: readonly SecretNeed[], ns: string, where: string): void {
    for (const need of needs.filter((n) => !n.optional)) {
      const keys = this.secrets.get(`${ns}/${need.name}`);
      if (!keys) this.problems.push(`${where}: ${need.by} reads Secret ${ns}/${need.name}, not created before this step`);
      else for (const key of need.keys) if (!keys.has(key)) this.problems.push(`${where}: ${need.by} reads key ${key} of Secret ${ns}/${need.name}, which has ${[...keys].join(', ')}`);
    }
  }

  private needRestricted(ns: string, where: string): void {
    this.needNamespace(ns, where);
    const labels = this.namespaces.get(ns) ?? {};
    if (labels['pod-security.kubernetes.io/enforce'] !== 'restricted') {
      this.problems.push(`${where}: namespace ${ns} lacks the label pod-security.kubernetes.io/enforce=restricted`);
    }
  }

  /** Objects applied to the Spine namespace: it must exist and be restricted; pods' Secrets must exist there. */
  private applySpine(objects: readonly K8sObject[], ns: string, where: string): void {
    const namespace = objects.find((o) => o.kind === 'Namespace');
    if (namespace) this.namespaces.set(namespace.metadata.name, { ...namespace.metadata.labels });
    this.needRestricted(ns, where);
    for (const o of objects) {
      if (o.kind === 'Namespace' || o.metadata.annotations?.['helm.sh/hook'] === 'test') continue;
      this.needSecrets(secretNeeds(o['spec'], `${o.kind}/${o.metadata.name}`), o.metadata.namespace ?? ns, where);
    }
  }

  private step(call: Call, where: string): void {
    const [tool, ...args] = call;
    const f = flags(args);
    const ns = f.get('-n', '--namespace')[0];
    const [verb, ...rest] = f.positional;
    if (tool === 'kubectl') {
      if (verb === 'create' && rest[0] === 'namespace' && rest[1]) this.namespaces.set(rest[1], {});
      else if (verb === 'label' && rest[0] === 'namespace' && rest[1]) {
        this.needNamespace(rest[1], where);
        for (const pair of rest.slice(2)) {
          const [k, v] = pair.split('=');
          if (k && v !== undefined) this.namespaces.set(rest[1], { ...this.namespaces.get(rest[1]), [k]: v });
        }
      } else if (verb === 'create' && rest[0] === 'secret' && rest[2]) {
        const target = ns ?? 'default';
        this.needNamespace(target, where);
        const keys = f.get('--from-literal', '--from-file').map((pair) => pair.split('=')[0] ?? '');
        this.secrets.set(`${target}/${rest[2]}`, new Set(keys));
      } else if (verb === 'apply' && f.has('-f')) {
        for (const file of f.get('-f')) {
          const objects = parseAllDocuments(readFileSync(resolve(repoRoot, file), 'utf8')).map((d) => d.toJS() as K8sObject).filter(Boolean);
          for (const o of objects) {
            if (o.kind === 'Namespace') this.namespaces.set(o.metadata.name, { ...o.metadata.labels });
            else {
              const target = o.metadata.namespace ?? ns ?? 'default';
              this.needNamespace(target, where);
              this.needSecrets(secretNeeds(o['spec'], `${o.kind}/${o.metadata.name}`), target, where);
            }
          }
          this.done.push(`apply:${file}`);
        }
      } else if (verb === 'apply' && f.has('-k')) {
        const dir = f.get('-k')[0] ?? '';
        let objects = parseObjects(kustomize(resolve(repoRoot, dir)), dir);
        const selector = f.get('-l', '--selector')[0];
        if (selector) {
          const [k, v] = selector.split('=');
          objects = objects.filter((o) => k && o.metadata.labels?.[k] === v);
        }
        const target = objects.find((o) => o.kind !== 'Namespace')?.metadata.namespace ?? ns ?? 'default';
        const hasApps = objects.some((o) => o.kind === 'Deployment');
        const job = objects.find((o) => o.kind === 'Job');
        if (hasApps && !this.done.some((d) => d.startsWith('wait:job/'))) {
          this.problems.push(`${where}: the apps are applied before the migrations Job completed (apply it alone first, then kubectl wait)`);
        }
        this.applySpine(objects, target, where);
        if (job && !hasApps) this.done.push(`kustomize-migrations:job/${job.metadata.name}`);
        if (hasApps) this.done.push('kustomize-all');
      } else if (verb === 'wait') {
        const what = rest.find((r) => r.startsWith('job/'));
        if (what) {
          if (!this.done.some((d) => d === `kustomize-migrations:${what}`)) this.problems.push(`${where}: waits for ${what}, which was not applied before`);
          this.done.push(`wait:${what}`);
        }
      }
      return;
    }
    if (tool === 'helm') {
      if (verb === 'upgrade' || verb === 'install') {
        const [release = '', chart = ''] = rest;
        const target = ns ?? 'default';
        const files = f.get('-f', '--values').map((file) => this.valueFiles[file] ?? resolve(repoRoot, file));
        if (!f.has('--create-namespace')) this.needNamespace(target, where);
        else this.namespaces.set(target, this.namespaces.get(target) ?? {});
        if (chart === 'deploy/helm/spine') {
          this.applySpine(parseObjects(helmTemplate(files, { release, namespace: target }), `helm ${release}`), target, where);
          this.done.push(`helm:${release}`);
        } else {
          // A dependency's chart: the Secrets its values reference (NATS passwords, the Qdrant key).
          for (const file of files) this.needSecrets(secretNeeds(parse(readFileSync(file, 'utf8')), `${chart} values ${file}`), target, where);
          this.done.push(`helm:${release}`);
        }
      } else if (verb === 'test') {
        if (!this.done.includes(`helm:${rest[0] ?? ''}`)) this.problems.push(`${where}: helm test before the release is installed`);
        this.done.push(`test:${rest[0] ?? ''}`);
      }
    }
  }
}

export const README = () => readFileSync(join(deployDir, 'README.md'), 'utf8');
