import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LauncherOptions } from './options.ts';

export interface ServiceSpec {
  name: string;
  entry: string;
  migrate: string | undefined;
  port: number;
  /** The option that moves this service's port, for "port taken" messages. */
  portOption: string;
}

const REGISTRY = 'registry';
const PUBLIC = 'orchestrator';

/** Every app with a built dist/main.js: the registry first, the others in name order, with their ports. */
export function discoverServices(options: LauncherOptions): ServiceSpec[] {
  if (!existsSync(options.appsDir)) throw new Error(`no apps folder at ${options.appsDir}`);
  const folders = readdirSync(options.appsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  const built = folders.filter((name) => existsSync(join(options.appsDir, name, 'dist', 'main.js')));
  built.sort((a, b) => (a === REGISTRY ? -1 : b === REGISTRY ? 1 : a.localeCompare(b)));
  if (options.services) {
    const unbuilt = options.services.filter((s) => folders.includes(s) && !built.includes(s));
    if (unbuilt.length > 0) throw new Error(`not built: ${unbuilt.join(', ')} (no dist/main.js); npm start builds every app`);
    const unknown = options.services.filter((s) => !folders.includes(s));
    if (unknown.length > 0) throw new Error(`unknown service(s): ${unknown.join(', ')}; known: ${built.join(', ') || 'none'}`);
  }

  // Ports are numbered over every built app, so --services does not move a service to another port.
  let next = options.httpPort;
  const all = built.map((name): ServiceSpec => {
    const dist = join(options.appsDir, name, 'dist');
    const migrate = join(dist, 'migrate.js');
    const port = name === PUBLIC ? options.publicPort : name === REGISTRY ? options.httpPort : ++next;
    return {
      name,
      entry: join(dist, 'main.js'),
      migrate: existsSync(migrate) ? migrate : undefined,
      port,
      portOption: name === PUBLIC ? '--public-port' : '--http-port',
    };
  });
  const selected = all.filter((s) => !options.services || options.services.includes(s.name));
  if (selected.length === 0) throw new Error(`no built apps in ${options.appsDir}: npm start builds them (or npm run build)`);
  return selected;
}

export const isRegistry = (name: string): boolean => name === REGISTRY;
