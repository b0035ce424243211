// Runs the vitest tiers one after another (unit, int, e2e) over the whole repo and ends with
// the line CI reads: `N passed, N failed[, N skipped]`.
// Usage: node tools/test.ts [--tier unit|int|e2e]... [vitest file filters or options]...
// Files and tests run in a shuffled order (vitest --sequence.shuffle) so a test that leans on another's
// state fails here, not by luck in CI. The seed is printed; `--sequence.seed=N` replays an order,
// `--sequence.shuffle=false` turns shuffling off.
import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const TIERS = ['unit', 'int', 'e2e'] as const;
type Tier = (typeof TIERS)[number];

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

interface Args {
  tiers: Tier[];
  passThrough: string[];
}

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const vitestBin = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const resultsDir = join(root, 'tmp', 'test-results');

/** `--tier` (repeatable) is ours; every other token goes to vitest in the order it came. */
function parseCli(argv: string[]): Args {
  const { tokens } = parseArgs({ args: argv, options: { tier: { type: 'string', multiple: true } }, strict: false, allowPositionals: true, tokens: true });
  const tiers: Tier[] = [];
  const passThrough: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option' && token.name === 'tier') {
      const tier = TIERS.find((t) => t === token.value);
      if (!tier) throw new Error(`--tier takes one of ${TIERS.join(', ')}; got ${token.value ?? 'nothing'}`);
      if (!tiers.includes(tier)) tiers.push(tier);
    } else if (token.kind === 'option') {
      passThrough.push(token.inlineValue ? `${token.rawName}=${token.value ?? ''}` : token.rawName);
    } else if (token.kind === 'positional') {
      passThrough.push(token.value);
    } else {
      passThrough.push('--');
    }
  }
  // Keep the fixed order whatever order the flags came in.
  return { tiers: tiers.length ? TIERS.filter((t) => tiers.includes(t)) : [...TIERS], passThrough };
}

function runVitest(tier: Tier, outputFile: string, passThrough: string[]): Promise<number | NodeJS.Signals> {
  const args = [
    vitestBin,
    'run',
    '--config',
    `vitest.${tier}.config.ts`,
    '--passWithNoTests',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${outputFile}`,
    ...passThrough,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.once('error', (err) => {
      console.error(`[test] could not start vitest: ${err.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(signal ?? code ?? 1));
  });
}

interface Report {
  counts: Counts;
  success: boolean;
}

function readReport(outputFile: string): Report | undefined {
  if (!existsSync(outputFile)) return undefined;
  try {
    const report = JSON.parse(readFileSync(outputFile, 'utf8')) as Record<string, unknown>;
    const count = (key: string): number => {
      const value = report[key];
      return typeof value === 'number' ? value : 0;
    };
    const counts = {
      // A file that fails to load fails no test; count it as one.
      passed: count('numPassedTests'),
      failed: count('numFailedTests') + filesFailedWithoutATest(report['testResults']),
      skipped: count('numPendingTests'),
    };
    return { counts, success: report['success'] === true };
  } catch {
    return undefined;
  }
}

function filesFailedWithoutATest(results: unknown): number {
  if (!Array.isArray(results)) return 0;
  return results.filter((file: { status?: unknown; assertionResults?: Array<{ status?: unknown }> }) => {
    const tests = Array.isArray(file.assertionResults) ? file.assertionResults : [];
    return file.status === 'failed' && !tests.some((t) => t.status === 'failed');
  }).length;
}

async function runTier(tier: Tier, passThrough: string[]): Promise<Counts & { interrupted: boolean }> {
  const outputFile = join(resultsDir, `${tier}.json`);
  rmSync(outputFile, { force: true });
  console.log(`\n[test] ${tier}: vitest run --config vitest.${tier}.config.ts ${passThrough.join(' ')}`.trimEnd());
  const started = Date.now();
  const exit = await runVitest(tier, outputFile, passThrough);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const report = readReport(outputFile);
  const counts = report?.counts ?? { passed: 0, failed: 0, skipped: 0 };
  // A crash or an error outside any test fails the tier without failing a test.
  if ((exit !== 0 || !report?.success) && counts.failed === 0) {
    console.error(`[test] ${tier}: vitest exited with ${exit}, ${report ? 'success: false' : 'no JSON report'}; counting 1 failed`);
    counts.failed = 1;
  }
  console.log(`[test] ${tier}: ${summary(counts)} in ${seconds}s${seed(passThrough)}`);
  return { ...counts, interrupted: exit === 'SIGINT' || exit === 'SIGTERM' };
}

/** ` (seed N)` when the run is shuffled with a seed, so the tier's line says how to replay it. */
function seed(passThrough: string[]): string {
  const arg = passThrough.find((a) => a.startsWith('--sequence.seed='));
  return arg ? ` (seed ${arg.slice('--sequence.seed='.length)})` : '';
}

function summary({ passed, failed, skipped }: Counts): string {
  return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

/** Adds `--sequence.shuffle --sequence.seed=N` unless the caller chose an order; prints how to replay it. */
function shuffled(passThrough: string[]): string[] {
  if (passThrough.some((a) => a.startsWith('--sequence.shuffle') || a.startsWith('--no-sequence.shuffle'))) return passThrough;
  const given = passThrough.find((a) => a.startsWith('--sequence.seed'));
  if (given) {
    console.log(`[test] shuffled with the given ${given}`);
    return ['--sequence.shuffle', ...passThrough];
  }
  const seed = randomInt(1, 2 ** 31 - 1);
  console.log(`[test] shuffled with seed ${seed}; replay this order with --sequence.seed=${seed}`);
  return ['--sequence.shuffle', `--sequence.seed=${seed}`, ...passThrough];
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseCli(process.argv.slice(2));
  } catch (err) {
    console.error(`[test] ${(err as Error).message}`);
    console.log(summary({ passed: 0, failed: 1, skipped: 0 }));
    return 1;
  }
  args.passThrough = shuffled(args.passThrough);
  mkdirSync(resultsDir, { recursive: true });
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const tier of args.tiers) {
    if (tier === 'e2e' && !buildServices()) {
      total.failed += 1;
      break;
    }
    const result = await runTier(tier, args.passThrough);
    total.passed += result.passed;
    total.failed += result.failed;
    total.skipped += result.skipped;
    if (result.interrupted || interrupted) break;
  }
  console.log(summary(total));
  return total.failed > 0 ? 1 : 0;
}

/** e2e tests run the services from their built dist/: build them first (Nx cache makes this quick). */
function buildServices(): boolean {
  console.log('\n[test] e2e: building the services (nx run-many -t build)');
  const env = { ...process.env, NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_DAEMON: 'false' };
  const result = spawnSync(join(root, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '--outputStyle=static'], { cwd: root, stdio: 'inherit', env });
  if (result.status === 0) return true;
  console.error(`[test] e2e: build failed (exit ${result.status}); counting 1 failed`);
  return false;
}

// Ctrl-C reaches vitest too (same process group): let it tear its servers down, then skip the later tiers.
let interrupted = false;
process.on('SIGINT', () => (interrupted = true));
process.exitCode = await main();
