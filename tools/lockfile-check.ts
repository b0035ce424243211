// Checks that package-lock.json can serve `npm ci` on every platform, not just this one.
// npm records a package's optionalDependencies (the per-platform binaries of @swc/core, rolldown, …)
// only when it resolves the tree afresh; an `npm install` that reuses an existing node_modules may
// leave them out, and then `npm ci` on a clean clone fails with "Missing: … from lock file".
// Usage: node tools/lockfile-check.ts [path/to/package-lock.json]   (exit 1 and one line per gap)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import semver from 'semver';

interface LockedPackage {
  version?: string;
  optionalDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
  link?: boolean;
}

export interface Lockfile {
  lockfileVersion?: number;
  packages?: Record<string, LockedPackage>;
}

/** The lockfile keys npm would look at, nearest first, for `name` required from the package at `from`. */
function candidates(from: string, name: string): string[] {
  const found: string[] = [];
  let dir = from;
  for (;;) {
    found.push(dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`);
    if (!dir) return found;
    const at = dir.lastIndexOf('/node_modules/');
    dir = at === -1 ? '' : dir.slice(0, at);
  }
}

export function lockfileGaps(lock: Lockfile): string[] {
  const packages = lock.packages;
  if (!packages || (lock.lockfileVersion ?? 0) < 2) return ['package-lock.json has no "packages" map (lockfileVersion 2 or 3 needed)'];
  const gaps: string[] = [];
  for (const [path, pkg] of Object.entries(packages)) {
    if (pkg.link) continue;
    for (const [name, range] of Object.entries(pkg.optionalDependencies ?? {})) {
      // npm resolves to the nearest copy; an optional dependency is satisfied only when that copy fits the range.
      const nearest = candidates(path, name).find((key) => packages[key]);
      const version = nearest ? packages[nearest]?.version : undefined;
      if (!nearest) gaps.push(`${path || '(root)'}: optional dependency ${name}@${range} is not in the lockfile`);
      else if (version && semver.validRange(range) && !semver.satisfies(version, range, { includePrerelease: true }))
        gaps.push(`${path || '(root)'}: optional dependency ${name}@${range} resolves to ${nearest}@${version}`);
    }
  }
  return gaps;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = resolve(process.argv[2] ?? 'package-lock.json');
  const gaps = lockfileGaps(JSON.parse(readFileSync(file, 'utf8')) as Lockfile);
  if (gaps.length) {
    for (const gap of gaps) console.error(`[lockfile] ${gap}`);
    console.error(`[lockfile] ${gaps.length} gap(s): regenerate with \`npm install --package-lock-only\` and commit package-lock.json`);
    process.exit(1);
  }
  console.log(`[lockfile] ${file}: every platform's optional packages are locked`);
}
