// `npm run proto:check`: buf lint, then regenerate into a temp dir and compare with the committed
// libs/contracts/src/gen (the working tree is never written). Runs `buf breaking` against
// $PROTO_BREAKING_AGAINST when set (e.g. '.git#branch=main').
// Usage: node tools/proto-check.ts [--root DIR]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const GEN_DIR = 'libs/contracts/src/gen';
const repo = dirname(dirname(fileURLToPath(import.meta.url)));
// buf and its local plugin protoc-gen-es come from this repo's node_modules, whatever --root says.
const binDir = join(repo, 'node_modules', '.bin');

function parseRoot(argv: string[]): string {
  const i = argv.indexOf('--root');
  if (i === -1) return repo;
  const dir = argv[i + 1];
  if (!dir) throw new Error('--root needs a directory');
  return resolve(dir);
}

function buf(root: string, args: string[]): boolean {
  console.log(`[proto] buf ${args.join(' ')}`);
  const result = spawnSync(join(binDir, 'buf'), args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PATH: `${binDir}${delimiter}${process.env['PATH'] ?? ''}` },
  });
  if (result.error) console.error(`[proto] could not run buf: ${result.error.message}`);
  return result.status === 0;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** Lines naming each file that is missing from, extra in, or different in `committed`. */
function compare(committed: string, regenerated: string): string[] {
  const have = new Set(filesUnder(committed));
  const want = new Set(filesUnder(regenerated));
  const problems: string[] = [];
  for (const file of want) {
    if (!have.has(file)) problems.push(`missing: ${join(GEN_DIR, file)}`);
    else if (!readFileSync(join(committed, file)).equals(readFileSync(join(regenerated, file)))) {
      problems.push(`differs: ${join(GEN_DIR, file)}`);
    }
  }
  for (const file of have) if (!want.has(file)) problems.push(`extra:   ${join(GEN_DIR, file)}`);
  return problems;
}

function checkGenerated(root: string): boolean {
  const out = mkdtempSync(join(tmpdir(), 'spine-proto-'));
  try {
    if (!buf(root, ['generate', '--output', out])) return false;
    const problems = compare(join(root, GEN_DIR), join(out, GEN_DIR));
    if (problems.length === 0) return true;
    for (const line of problems) console.error(`[proto]   ${line}`);
    console.error('[proto] generated code is stale: run npm run proto:generate');
    return false;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function main(): number {
  const root = parseRoot(process.argv.slice(2));
  if (!buf(root, ['lint'])) return fail('buf lint failed');
  if (!checkGenerated(root)) return 1;
  const against = process.env['PROTO_BREAKING_AGAINST'];
  if (against && !buf(root, ['breaking', '--against', against])) return fail(`breaking change against ${against}`);
  console.log('[proto] ok');
  return 0;
}

function fail(message: string): number {
  console.error(`[proto] ${message}`);
  return 1;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(`[proto] ${(err as Error).message}`);
  process.exitCode = 1;
}
