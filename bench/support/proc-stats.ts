// CPU time and memory of processes, read from /proc (Linux only).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Stat {
  ppid: number;
  /** utime + stime, ms. */
  cpuMs: number;
  /** cutime + cstime: children that exited and were reaped, ms. */
  reapedMs: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ms = (a: number, b: number) => ((Number(fields[a]) + Number(fields[b])) * 1000) / TICKS_PER_SECOND;
    return { ppid: Number(fields[1]), cpuMs: ms(11, 12), reapedMs: ms(13, 14) };
  } catch {
    return undefined;
  }
}

/** CPU ms used so far by `pid`; with `withChildren`, also by its children, live or exited (Postgres backends come and go with the pool). */
export function cpuMsOf(pid: number, withChildren = false): number {
  const own = stat(pid);
  if (!withChildren) return own?.cpuMs ?? 0;
  let total = (own?.cpuMs ?? 0) + (own?.reapedMs ?? 0);
  for (const name of readdirSync('/proc')) {
    const child = Number(name);
    if (!Number.isInteger(child) || child === pid) continue;
    const s = stat(child);
    if (s?.ppid === pid) total += s.cpuMs;
  }
  return total;
}

/** Resident set size in MiB (VmRSS), or NaN when the process is gone. */
export function rssMiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

/** Samples RSS of `pid` every `everyMs` until stopped; returns the peak and the last sample. */
export function watchRss(pid: number, everyMs = 200): { stop(): { peakMiB: number; lastMiB: number } } {
  let peak = rssMiB(pid);
  let last = peak;
  const timer = setInterval(() => {
    last = rssMiB(pid);
    if (last > peak) peak = last;
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      last = rssMiB(pid);
      return { peakMiB: Math.max(peak, last), lastMiB: last };
    },
  };
}
