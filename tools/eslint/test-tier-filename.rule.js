// A test file that no vitest tier picks up never runs, and nothing says so: name every test
// `*.unit.test.ts` or `*.int.test.ts` beside the code, or `*.e2e.test.ts` under tests/ (STYLE.md §9).
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// Relative to the repository, not to ESLint's cwd: nx lints each project from its own folder.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
const E2E = /\.e2e\.test\.ts$/;
const BESIDE_THE_CODE = /\.(unit|int)\.test\.ts$/;

/** @returns {'notE2e' | 'e2eOutsideTests' | 'untiered' | undefined} */
function problemOf(/** @type {string} */ file) {
  if (!TEST_FILE.test(file)) return undefined;
  if (file.startsWith('tests/')) return E2E.test(file) ? undefined : 'notE2e';
  if (E2E.test(file)) return 'e2eOutsideTests';
  return BESIDE_THE_CODE.test(file) ? undefined : 'untiered';
}

/** @type {import('eslint').Rule.RuleModule} */
export const testTierFilename = {
  meta: {
    type: 'problem',
    docs: { description: 'Test files are named by the vitest tier that runs them' },
    schema: [],
    messages: {
      notE2e: '{{file}}: tests under tests/ are e2e tests; name it *.e2e.test.ts',
      e2eOutsideTests: '{{file}}: e2e tests live under tests/; beside the code use *.unit.test.ts or *.int.test.ts',
      untiered: '{{file}}: no vitest tier runs this file; name it *.unit.test.ts or *.int.test.ts (or *.e2e.test.ts under tests/)',
    },
  },
  create(context) {
    const file = relative(repoRoot, context.filename).split(sep).join('/');
    const messageId = problemOf(file);
    if (!messageId) return {};
    return { Program: (node) => context.report({ node, messageId, data: { file } }) };
  },
};

export const spinePlugin = { meta: { name: 'spine' }, rules: { 'test-tier-filename': testTierFilename } };
