// Summarises a V8 .cpuprofile (node --cpu-prof): self time by package and by function.
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time not idle. */
  busyMs: number;
  byPackage: { name: string; ms: number }[];
  byFunction: { name: string; where: string; ms: number }[];
  /** Inclusive time of frames whose package matches, counted once per sample. */
  inclusive: { name: string; ms: number }[];
  /** Self time with native and node:internal frames (socket writes, timers, …) charged to the nearest package that called them. */
  attributed: { name: string; ms: number }[];
}

/** Where a frame's code comes from: an npm package, a workspace app or lib, Node's internals, or a V8 pseudo-frame. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    const name = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? '?');
    return name.startsWith('@spine/') ? `libs/${name.slice('@spine/'.length)}` : name;
  }
  const ws = /\/(apps|libs)\/([^/]+)\//.exec(url);
  if (ws) return `${ws[1]}/${ws[2]}`;
  return url.replace(/^file:\/\//, '');
}

const shortUrl = (url: string) => url.replace(/^file:\/\/.*?\/(node_modules|apps|libs)\//, '$1/');

export async function summarise(file: string, top = 25): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }

  const packages = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; us: number }>();
  const inclusive = new Map<string, number>();
  const attributed = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const pkg = packageOf(frame.url, frame.functionName);
    if (pkg === '(idle)') idleUs += us;
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const key = `${frame.functionName}@${frame.url}:${frame.lineNumber}`;
    const f = functions.get(key) ?? { name: frame.functionName || '(anonymous)', where: `${shortUrl(frame.url)}:${frame.lineNumber + 1}`, us: 0 };
    f.us += us;
    functions.set(key, f);
    // Inclusive by package: every package on the stack of this sample, once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f2 = byId.get(at)!.callFrame;
      seen.add(packageOf(f2.url, f2.functionName));
    }
    for (const p of seen) inclusive.set(p, (inclusive.get(p) ?? 0) + us);
    let owner = pkg;
    for (let at = parent.get(id); at !== undefined && (owner === '(native)' || owner === 'node:internal'); at = parent.get(at)) {
      const f3 = byId.get(at)!.callFrame;
      owner = packageOf(f3.url, f3.functionName);
    }
    attributed.set(owner, (attributed.get(owner) ?? 0) + us);
  }
  const totalUs = profile.endTime - profile.startTime;
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    totalMs: ms(totalUs),
    busyMs: ms(totalUs - idleUs),
    byPackage: [...packages].map(([name, us]) => ({ name, ms: ms(us) })).sort((a, b) => b.ms - a.ms).slice(0, top),
    byFunction: [...functions.values()].sort((a, b) => b.us - a.us).slice(0, top).map((f) => ({ name: f.name, where: f.where, ms: ms(f.us) })),
    attributed: [...attributed].map(([name, us]) => ({ name, ms: ms(us) })).sort((a, b) => b.ms - a.ms).slice(0, top),
    inclusive: [...inclusive].filter(([name]) => !name.startsWith('(') && name !== 'node:internal').map(([name, us]) => ({ name, ms: ms(us) })).sort((a, b) => b.ms - a.ms).slice(0, top),
  };
}
