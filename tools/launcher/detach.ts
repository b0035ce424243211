import { spawn } from 'node:child_process';

const CHILD_FLAG = 'SPINE_LAUNCHER_SUPERVISOR';
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** True in the process started by runSupervisorDetached; the flag is not passed on to the services. */
export function takeSupervisorRole(): boolean {
  const supervisor = process.env[CHILD_FLAG] === '1';
  delete process.env[CHILD_FLAG];
  return supervisor;
}

/**
 * Runs this script again as the supervisor, in a process group of its own, and hands it one stop signal.
 * A terminal's Ctrl-C signals the whole foreground group: without this, nats-server, Postgres and every
 * app would get SIGINT at the same moment, and agents could not deregister over a NATS that is gone.
 */
export function runSupervisorDetached(script: string, args: string[]): void {
  const child = spawn(process.execPath, [script, ...args], {
    detached: true,
    // The IPC channel closes when this process dies, however it dies: the supervisor then stops the mesh.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [CHILD_FLAG]: '1' },
  });
  let forwarded = false;
  // npm forwards the terminal's SIGINT to its child as well, so one Ctrl-C can arrive twice: pass on one.
  const forward = (signal: NodeJS.Signals): void => {
    if (forwarded) return;
    forwarded = true;
    child.kill(signal);
  };
  for (const signal of FORWARDED) process.on(signal, forward);
  child.once('error', (err) => {
    process.stderr.write(`spine: could not start the supervisor: ${err.message}\n`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** In the supervisor: calls `stop` when the launcher process in front of it goes away without a signal. */
export function onLauncherGone(stop: () => void): void {
  process.once('disconnect', stop);
}
