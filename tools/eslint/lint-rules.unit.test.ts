// The lint rules STYLE.md promises, run through the repository's own eslint.config.js on fixtures
// that break them (tools/eslint/fixtures/, which the normal lint run ignores).
import { ESLint, Linter } from 'eslint';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spinePlugin } from './test-tier-filename.rule.js';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(import.meta.dirname, 'fixtures');
// Type-aware linting builds a TypeScript program: seconds, more on a loaded machine.
const LINT_TIMEOUT_MS = 120_000;

describe('eslint.config.js on deliberately broken fixtures', () => {
  const ruleHits = new Map<string, string[]>();

  beforeAll(async () => {
    // ignore: false lints the fixtures that the config's own ignores keep out of `npm run lint`.
    const results = await new ESLint({ cwd: root, ignore: false }).lintFiles([fixtures]);
    for (const r of results) ruleHits.set(r.filePath.slice(fixtures.length + 1), r.messages.map((m) => `${m.ruleId ?? 'parse'}:${m.line}`));
  }, LINT_TIMEOUT_MS);

  it('fails on two files that import each other (import-x/no-cycle, resolving ./x.js to x.ts)', () => {
    expect(ruleHits.get('cycle/left.ts')).toContain('import-x/no-cycle:2');
    expect(ruleHits.get('cycle/right.ts')).toContain('import-x/no-cycle:1');
  });

  it('fails on a promise nobody handles and an async callback where void is expected', () => {
    expect(ruleHits.get('promises/background.ts')).toEqual(['@typescript-eslint/no-floating-promises:7', '@typescript-eslint/no-misused-promises:8']);
  });

  it('keeps the fixtures out of the normal lint run', async () => {
    expect(await new ESLint({ cwd: root }).isPathIgnored(join(fixtures, 'cycle', 'left.ts'))).toBe(true);
  });

  it('turns the test-filename rule on for every TypeScript file', async () => {
    const config = (await new ESLint({ cwd: root }).calculateConfigForFile(join(root, 'apps/intake/src/intake.test.ts'))) as Linter.Config;
    expect(config.rules?.['spine/test-tier-filename']).toEqual([2]);
  });
});

describe('spine/test-tier-filename', () => {
  const linter = new Linter({ configType: 'flat', cwd: root });
  const problems = (file: string): string[] =>
    linter
      .verify('export {};\n', [{ files: ['**/*.ts'], plugins: { spine: spinePlugin }, rules: { 'spine/test-tier-filename': 'error' } }], { filename: join(root, file) })
      .map((m) => m.messageId ?? m.message);

  it('accepts unit and int tests beside the code and e2e tests under tests/', () => {
    expect(problems('apps/intake/src/intake.unit.test.ts')).toEqual([]);
    expect(problems('libs/messaging/src/lib/nats-connect.int.test.ts')).toEqual([]);
    expect(problems('tools/lockfile-check.unit.test.ts')).toEqual([]);
    expect(problems('tests/assistant/rules.e2e.test.ts')).toEqual([]);
    expect(problems('apps/intake/src/intake.service.ts')).toEqual([]);
  });

  it('fails a test file that no tier runs', () => {
    expect(problems('apps/intake/src/intake.test.ts')).toEqual(['untiered']);
    expect(problems('libs/flow/src/lib/flow.spec.ts')).toEqual(['untiered']);
    expect(problems('tools/launcher/ports.integration.test.ts')).toEqual(['untiered']);
  });

  it('fails an e2e test beside the code and a non-e2e test under tests/', () => {
    expect(problems('apps/orchestrator/src/executions/executions.e2e.test.ts')).toEqual(['e2eOutsideTests']);
    expect(problems('tests/support/waits.unit.test.ts')).toEqual(['notE2e']);
  });
});
