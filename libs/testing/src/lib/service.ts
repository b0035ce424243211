import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { LineBuffer } from './log-tail.js';
import { EventEmitter, on } from 'node:events';
import { waitFor, within } from './wait-for.js';

/**
 * How long a started process may take to answer its readyUrl. Twice the usual wait: a test often starts nine
 * Node processes at once, and on a loaded 2-core machine each can take over a minute; one that dies ends the wait at once.
 */
const READY_TIMEOUT_MS = 120_000;

/** Runs a TypeScript entry point from source (workspace libs resolve to their src/), for int tests of one app that need another running. */
export const SOURCE_NODE_ARGS: readonly string[] = ['--conditions=@spine/source', '--import', '@swc-node/register/esm-register'];

export interface StartServiceOptions {
  name: string;
  /** A built .js entry point, run with this process's node. */
  entry: string;
  /** Node options before the entry, e.g. SOURCE_NODE_ARGS to run a .ts entry from source. */
  nodeArgs?: string[];
  /** Added to this process's environment. */
  env: Record<string, string>;
  /** Polled until it answers HTTP 200 (bounded by READY_TIMEOUT_MS; the process exiting ends the wait at once). */
  readyUrl?: string;
  cwd?: string;
  /** Echo each output line to this process's stdout as `[name] line`. */
  logPrefix?: boolean;
  onLine?: (line: string) => void;
}

export interface ServiceHandle {
  name: string;
  pid: number;
  /** The last 200 lines of stdout and stderr. */
  lines(): string[];
  /**
   * Resolves with the first output line (already printed, or printed later) that `matches`; fails
   * naming `what` when the process exits first or after `timeoutMs` (default WAIT_TIMEOUT_MS).
   */
  line(matches: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** Exit code, or null when ended by a signal. */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}


export async function startService(opts: StartServiceOptions): Promise<ServiceHandle> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.entry], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const buffer = new LineBuffer(200);
  const printed = new EventEmitter<{ line: [string] }>();
  const onLine = (line: string): void => {
    buffer.push(line);
    printed.emit('line', line);
    if (opts.logPrefix) process.stdout.write(`[${opts.name}] ${line}\n`);
    opts.onLine?.(line);
  };
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (err) => {
      onLine(`spawn failed: ${err.message}`);
      resolve(null);
    });
    // 'close' comes after the output streams end, so lines() is complete when exited resolves.
    child.once('close', (code) => resolve(code));
  });
  readLines(child.stdout, onLine);
  readLines(child.stderr, onLine);

  let done = false;
  void exited.then(() => (done = true));
  const kill = (signal: NodeJS.Signals = 'SIGTERM'): void => {
    if (!done) child.kill(signal);
  };
  const stop = async (graceMs = 5_000): Promise<void> => {
    if (done) return;
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), graceMs);
    await exited.finally(() => clearTimeout(timer));
  };
  const line = async (matches: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string> => {
    const seen = buffer.lines().find(matches);
    if (seen !== undefined) return seen;
    const ac = new AbortController();
    // on() queues every line from now on, also those readline emits in one synchronous burst.
    const lines = on(printed, 'line', { signal: ac.signal });
    const next = (async () => {
      for await (const [l] of lines) if (matches(l as string)) return l as string;
      throw new Error('unreachable: the line iterator ended');
    })();
    const ended = exited.then((code) => {
      throw new Error(`${opts.name} exited (${code}) before printing ${what}\n${buffer.tail()}`);
    });
    try {
      return await within(Promise.race([next, ended]), `${opts.name} to print ${what}`, timeoutMs);
    } finally {
      ac.abort();
      // The wait for the next line was aborted just above: its AbortError is expected, not a failure to report.
      next.catch(() => undefined);
      ended.catch(() => undefined);
    }
  };
  const handle: ServiceHandle = { name: opts.name, pid: child.pid ?? -1, lines: () => buffer.lines(), line, exited, kill, stop };

  if (opts.readyUrl) await untilReady(handle, opts.readyUrl);
  return handle;
}

async function untilReady(service: ServiceHandle, url: string): Promise<void> {
  const died = service.exited.then((code) => `exited with code ${code} before it was ready`);
  const ready = waitFor(() => answersOk(url), {
    timeoutMs: READY_TIMEOUT_MS,
    what: `${url} to answer 200`,
  }).then(
    () => undefined,
    (err: Error) => err.message,
  );
  const problem = await Promise.race([ready, died]);
  if (problem === undefined) return;
  await service.stop(1_000);
  const output = service.lines().slice(-50).join('\n');
  throw new Error(`${service.name} ${problem}\n--- ${service.name} output ---\n${output}`);
}

async function answersOk(url: string): Promise<boolean> {
  const res = await fetch(url);
  await res.body?.cancel();
  return res.status === 200;
}

function readLines(stream: Readable, onLine: (line: string) => void): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}
