// Build-time budget of the console: the gzipped size of everything the browser downloads (dist/, all of it) must
// stay under 500 kB. Run by the build (`vite build && node scripts/bundle-size.ts`); exits 1 over budget.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 500 * 1024;

export function gzippedSizes(dir: string): { file: string; bytes: number }[] {
  const out: { file: string; bytes: number }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push({ file: relative(dir, path), bytes: gzipSync(readFileSync(path), { level: 9 }).length });
    }
  };
  walk(dir);
  return out.sort((a, b) => b.bytes - a.bytes);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = join(import.meta.dirname, '..', 'dist');
  const sizes = gzippedSizes(dist);
  const total = sizes.reduce((sum, s) => sum + s.bytes, 0);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  const line = `console bundle: ${kb(total)} gzipped (budget ${kb(BUDGET_BYTES)}); largest: ${sizes.slice(0, 3).map((s) => `${s.file} ${kb(s.bytes)}`).join(', ')}`;
  if (total > BUDGET_BYTES) {
    process.stderr.write(`${line}\nover budget\n`);
    process.exit(1);
  }
  process.stdout.write(`${line}\n`);
}
