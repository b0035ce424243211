// Starts the whole local mesh the way `npm start` does (tools/launcher, every built app, nats-server and Postgres),
// in a temporary data dir on free ports, and reads the first admin key it prints.
import { freePorts, freeRange, within } from '@spine/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface LocalMesh {
  url: string;
  adminKey: string;
  output: string[];
  stop(): Promise<void>;
}

export async function startMesh(): Promise<LocalMesh> {
  if (!existsSync(join(repoRoot, 'apps', 'console', 'dist', 'index.html'))) throw new Error('apps/console/dist is missing: run `npm run build` first (the e2e tier runs on built apps)');
  const dataDir = await mkdtemp(join(tmpdir(), 'spine-console-'));
  const [nats, pg] = (await freePorts(2)) as [number, number];
  const pub = await freeRange(2, [nats, pg]);
  const http = await freeRange(12, [nats, pg, pub, pub + 1]);
  const args = ['--data-dir', dataDir, '--nats-port', String(nats), '--pg-port', String(pg), '--public-port', String(pub), '--http-port', String(http), '--log-level', 'warn'];
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'tools', 'launcher', 'start.ts'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const printed = new EventEmitter<{ line: [] }>();
  for (const s of [child.stdout!, child.stderr!]) {
    s.on('data', (chunk: Buffer) => {
      output.push(...chunk.toString().split('\n'));
      printed.emit('line');
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      await within(exited, 'the launcher to stop the mesh', 60_000).catch(() => child.kill('SIGKILL'));
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const up = new Promise<string>((resolve, reject) => {
    const check = () => {
      const key = output.map((l) => /spk_[A-Za-z0-9_-]+/.exec(l)?.[0]).find(Boolean);
      if (output.some((l) => l.startsWith('spine: mesh is up'))) {
        printed.off('line', check);
        if (key) resolve(key);
        else reject(new Error('the mesh is up but printed no admin key'));
      }
    };
    printed.on('line', check);
    void exited.then((code) => reject(new Error(`the launcher exited (${code}) before the mesh was up`)));
  });
  try {
    const adminKey = await within(up, 'spine: mesh is up', 300_000);
    return { url: `http://127.0.0.1:${pub}`, adminKey, output, stop };
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\nlauncher output:\n${output.join('\n')}`, { cause: err });
  }
}
