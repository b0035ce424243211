import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a running launcher started, kept in <data-dir>/run.json so a run after a crash can clean up. */
export interface RunRecord {
  supervisor: number;
  nats: number | undefined;
  postgres: number | undefined;
  services: { name: string; pid: number; entry: string }[];
}

const fileOf = (dataDir: string): string => join(dataDir, 'run.json');

/**
 * Replaces run.json whole: written to a temporary file and renamed over it, synchronously, so records written
 * in quick succession (each service's pid as it starts) never interleave into a corrupt file.
 */
export async function recordRun(dataDir: string, record: RunRecord | undefined): Promise<void> {
  if (!record) return rm(fileOf(dataDir), { force: true });
  const temporary = `${fileOf(dataDir)}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, fileOf(dataDir));
}

/**
 * Stops what a launcher that died without cleaning up (SIGKILL, a crash) left running with this data dir,
 * each pid only while its command line still matches. Throws when that launcher is in fact still running.
 */
export async function clearLeftovers(dataDir: string): Promise<string[]> {
  const file = fileOf(dataDir);
  if (!existsSync(file)) return [];
  let record: RunRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
  } catch {
    // Unreadable (cut short by a crash): nothing in it can be trusted to name a process of ours.
    await rm(file, { force: true });
    return [];
  }
  if (record.supervisor !== process.pid && commandLine(record.supervisor)?.includes('launcher/start.ts')) {
    throw new Error(`another launcher (pid ${record.supervisor}) uses ${dataDir}: stop it first, or pass another --data-dir`);
  }
  const stopped: string[] = [];
  for (const s of record.services) {
    if (commandLine(s.pid)?.includes(s.entry)) stopped.push(await terminate(`${s.name} (pid ${s.pid})`, s.pid, 'SIGTERM'));
  }
  const nats = record.nats ? commandLine(record.nats) : undefined;
  if (record.nats && nats?.includes('nats-server')) {
    stopped.push(await terminate(`nats-server (pid ${record.nats})`, record.nats, 'SIGTERM'));
    // @spine/testing keeps the server's config and log in a temp dir, which its stop() would have removed.
    const workDir = /-c (\S+\/spine-nats-[^/\s]+)\/nats\.conf/.exec(nats)?.[1];
    if (workDir?.startsWith(join(tmpdir(), 'spine-nats-'))) await rm(workDir, { recursive: true, force: true });
  }
  // SIGINT is Postgres' fast shutdown: it rolls back open transactions and leaves a clean cluster.
  if (record.postgres && commandLine(record.postgres)?.includes('postgres')) stopped.push(await terminate(`postgres (pid ${record.postgres})`, record.postgres, 'SIGINT'));
  await rm(file, { force: true });
  return stopped;
}

/** The command line of a live, non-zombie process (Linux /proc), or undefined. */
function commandLine(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return undefined;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

async function terminate(what: string, pid: number, signal: NodeJS.Signals): Promise<string> {
  process.kill(pid, signal);
  for (let waited = 0; commandLine(pid) !== undefined; waited += 100) {
    if (waited === 10_000) process.kill(pid, 'SIGKILL');
    if (waited === 15_000) throw new Error(`${what}, left running by an earlier run, survived SIGKILL`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return what;
}
