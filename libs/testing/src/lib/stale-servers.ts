import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLine, isAlive, terminate } from './pid.js';

// One file per server a test run started, named after the run's pid. Only servers whose run is
// gone are killed, so two runs at once (two engineers, or the launcher) leave each other alone.
const registryDir = join(tmpdir(), 'spine-testing');

interface ServerRecord {
  owner: number;
  pid: number;
  kind: 'nats-server' | 'postgres';
  /** The server's temp dir, removed with it. */
  dir?: string;
}

export async function recordServer(kind: ServerRecord['kind'], pid: number, dir?: string): Promise<() => Promise<void>> {
  await mkdir(registryDir, { recursive: true });
  const file = join(registryDir, `${process.pid}-${kind}.json`);
  const record: ServerRecord = { owner: process.pid, pid, kind, dir };
  await writeFile(file, JSON.stringify(record));
  return () => rm(file, { force: true });
}

/** Kills servers left by an earlier run that crashed before its teardown; returns what it killed. */
export async function killStaleServers(): Promise<string[]> {
  // No registry directory yet: no earlier run left anything.
  const files = await readdir(registryDir).catch(() => []);
  const killed: string[] = [];
  for (const name of files.filter((f) => f.endsWith('.json'))) {
    const file = join(registryDir, name);
    const record = await readRecord(file);
    if (record && isAlive(record.owner)) continue;
    if (record && (await commandLine(record.pid))?.includes(record.kind)) {
      await terminate(record.pid, record.kind === 'postgres' ? 'SIGINT' : 'SIGTERM', 5_000);
      killed.push(`${record.kind} pid ${record.pid}`);
    }
    if (record?.dir?.startsWith(join(tmpdir(), 'spine-'))) await rm(record.dir, { recursive: true, force: true });
    await rm(file, { force: true });
  }
  return killed;
}

async function readRecord(file: string): Promise<ServerRecord | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { owner, pid, kind, dir } = value as Record<string, unknown>;
    if (typeof owner !== 'number' || typeof pid !== 'number') return undefined;
    if (kind !== 'nats-server' && kind !== 'postgres') return undefined;
    return { owner, pid, kind, dir: typeof dir === 'string' ? dir : undefined };
  } catch {
    return undefined;
  }
}
