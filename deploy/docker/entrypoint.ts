// The image's entrypoint: `node deploy/docker/entrypoint.ts [main|migrate]` runs apps/$SERVICE/dist/<script>.js
// in this same process, so node stays PID 1 and the app's own SIGTERM handler drains it.
// Plain TypeScript that Node runs as it is (type stripping): no build step, no imports but node:.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SCRIPTS = { main: 'main.js', migrate: 'migrate.js' } as const;
export type Script = keyof typeof SCRIPTS;

export interface Entry {
  ok: boolean;
  /** The file to import when ok; the reason otherwise. */
  detail: string;
}

/** Which file to run for SERVICE and the command, or why not (exit 64, usage). */
export function resolveEntry(appsDir: string, service: string | undefined, command: string | undefined): Entry {
  const available = existsSync(appsDir) ? readdirSync(appsDir).filter((name) => existsSync(join(appsDir, name, 'dist', SCRIPTS.main))) : [];
  if (!service || !/^[a-z][a-z0-9-]*$/.test(service)) {
    return { ok: false, detail: `SERVICE must name an app (${available.join(', ') || 'none built'}); got ${JSON.stringify(service ?? '')}` };
  }
  const script = (command ?? 'main') as Script;
  if (!(script in SCRIPTS)) return { ok: false, detail: `unknown command ${JSON.stringify(command)}: use main or migrate` };
  const file = join(appsDir, service, 'dist', SCRIPTS[script]);
  if (!existsSync(file)) {
    const what = script === 'migrate' ? `${service} has no migrations (dist/migrate.js)` : `no app ${service} in this image`;
    return { ok: false, detail: `${what}; apps: ${available.join(', ') || 'none built'}` };
  }
  return { ok: true, detail: file };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const entry = resolveEntry(resolve(import.meta.dirname, '../../apps'), process.env['SERVICE'], process.argv[2]);
  if (!entry.ok) {
    process.stderr.write(`spine entrypoint: ${entry.detail}\n`);
    process.exit(64);
  }
  await import(pathToFileURL(entry.detail).href);
}
