import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// The users and permissions of the Kubernetes and compose NATS servers: one table for every deployment.
import { DEBUG_USER, debugPermissions, natsAccountsConfig, serviceUsers, type NatsUser } from '../../deploy/src/nats/permissions.ts';
import { SERVICES } from '../../deploy/src/services.ts';

/** The launcher's NATS users: one per service of deploy/src/services.ts, and a read-only `debug` user for people. */
export interface NatsAuth {
  /** <data-dir>/nats/users.json, mode 0600: `{ "<user>": "<password>" }`. */
  file: string;
  /** The accounts block of the nats-server config. */
  config: string;
  /** NATS_USER and NATS_PASSWORD for a service, or undefined for an app that has no user. */
  credentials(service: string): { NATS_USER: string; NATS_PASSWORD: string } | undefined;
}

export const usersFile = (dataDir: string): string => join(dataDir, 'nats', 'users.json');

/** Reads the passwords kept in the data dir, making the missing ones (all of them, on a first start). */
export function natsAuth(dataDir: string): NatsAuth {
  const users: NatsUser[] = [...serviceUsers(SERVICES), { user: DEBUG_USER, permissions: debugPermissions() }];
  const file = usersFile(dataDir);
  const kept = existsSync(file) ? readPasswords(file) : {};
  const passwords = Object.fromEntries(users.map((u) => [u.user, kept[u.user] ?? randomBytes(24).toString('base64url')]));
  if (users.some((u) => kept[u.user] === undefined)) {
    mkdirSync(join(dataDir, 'nats'), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  }
  // A file made by hand, or copied with a looser mode, is narrowed: it holds every service's password.
  chmodSync(file, 0o600);
  const services = new Set<string>(SERVICES.map((s) => s.name));
  return {
    file,
    config: natsAccountsConfig(users, (user) => JSON.stringify(passwords[user])),
    credentials: (service) => (services.has(service) ? { NATS_USER: service, NATS_PASSWORD: passwords[service]! } : undefined),
  };
}

function readPasswords(file: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (err) {
    throw new Error(`${file} is not readable JSON (${(err as Error).message}): delete it, and the next start makes new NATS passwords`, { cause: err });
  }
}
