import { parse } from 'yaml';
import { SERVICES } from '../services.js';

// Lint rules for deploy/compose/docker-compose.yml, which cannot be run here (no Docker engine).

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIALS?/i;
/** `${VAR}`, `${VAR:-default}`, `${VAR:?message}`: the value comes from the environment. */
const INTERPOLATION = /^\$\{[A-Z_][A-Z0-9_]*(:?[-?][^}]*)?\}$/;
const URL_PASSWORD = /:\/\/[^/\s:@]+:([^/\s@]+)@/;

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string | null> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  restart?: string;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  user?: string;
  read_only?: boolean;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

export function parseCompose(text: string): ComposeFile {
  const compose = parse(text) as Partial<ComposeFile> | null;
  if (!compose?.services || typeof compose.services !== 'object') throw new Error('compose file has no services');
  return compose as ComposeFile;
}

const isOneShot = (s: ComposeService) => s.command?.[0] === 'migrate';

/** Environment entries with a value; `KEY` alone (or `KEY: null`) passes the shell's value through and holds no secret. */
function environment(s: ComposeService): Record<string, string> {
  const entries: [string, string | null][] = Array.isArray(s.environment)
    ? s.environment.map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, null]))
    : Object.entries(s.environment ?? {});
  return Object.fromEntries(entries.filter((e): e is [string, string] => e[1] !== null).map(([k, v]) => [k, String(v)]));
}

function dependency(s: ComposeService, name: string): string | undefined {
  if (Array.isArray(s.depends_on)) return s.depends_on.includes(name) ? 'service_started' : undefined;
  return s.depends_on?.[name]?.condition;
}

export function composeProblems(text: string): string[] {
  const { services } = parseCompose(text);
  const problems: string[] = [];
  for (const [name, s] of Object.entries(services)) {
    const image = s.image ?? '';
    if (!image) problems.push(`${name}: no image`);
    else if (!image.startsWith('${') && (!/:[^:/]+$/.test(image) || image.endsWith(':latest'))) problems.push(`${name}: image ${image} is not pinned to a version`);
    if (!s.restart) problems.push(`${name}: no restart policy`);
    if (!isOneShot(s) && (!s.healthcheck?.test || s.healthcheck.disable)) problems.push(`${name}: no healthcheck`);
    for (const [key, value] of Object.entries(environment(s))) {
      if (SECRET_NAME.test(key) && !INTERPOLATION.test(value)) problems.push(`${name}: ${key} is a literal; take it from the environment (\${${key}:?…})`);
      const password = URL_PASSWORD.exec(value)?.[1];
      if (password !== undefined && !INTERPOLATION.test(password)) problems.push(`${name}: ${key} has a literal password in its URL`);
    }
  }
  // Without a config that defines users, nats-server lets anyone in.
  if (!services['nats']?.command?.includes('-c')) problems.push('nats: started without its config (deploy/compose/nats.conf): it would accept anonymous clients');
  for (const spec of SERVICES) {
    const s = services[spec.name];
    if (!s) {
      problems.push(`${spec.name}: missing from the compose file`);
      continue;
    }
    if (dependency(s, 'nats') !== 'service_healthy') problems.push(`${spec.name}: does not wait for a healthy nats`);
    if (spec.database && dependency(s, `migrate-${spec.name}`) !== 'service_completed_successfully') problems.push(`${spec.name}: does not wait for its migrations`);
    if (spec.database && dependency(services[`migrate-${spec.name}`] ?? {}, 'postgres') !== 'service_healthy') problems.push(`migrate-${spec.name}: does not wait for a healthy postgres`);
    const env = environment(s);
    if (env['NATS_USER'] !== spec.name || !env['NATS_PASSWORD']) problems.push(`${spec.name}: does not log in to nats as its own user (NATS_USER, NATS_PASSWORD)`);
    if (!s.user || /^(0|root)(:|$)/.test(s.user)) problems.push(`${spec.name}: runs as root`);
    if (s.read_only !== true) problems.push(`${spec.name}: root filesystem is writable`);
  }
  return problems;
}
