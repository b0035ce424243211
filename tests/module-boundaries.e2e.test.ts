import { ESLint } from 'eslint';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The probes are not files on disk, so no tsconfig holds them: lint them without type information.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries (apps → libs → contracts)', () => {
  it('forbids an app importing another app', async () => {
    expect(await boundaryErrors('apps/intake/src/probe.ts', "import { startRegistry } from '@spine/registry';\nexport const x = startRegistry;\n")).not.toHaveLength(0);
  });

  it('forbids a lib importing an app', async () => {
    expect(await boundaryErrors('libs/messaging/src/probe.ts', "import { startRegistry } from '@spine/registry';\nexport const x = startRegistry;\n")).not.toHaveLength(0);
  });

  it('forbids contracts depending on any lib', async () => {
    expect(await boundaryErrors('libs/contracts/src/probe.ts', "import { ProtoClient } from '@spine/messaging';\nexport const x = ProtoClient;\n")).not.toHaveLength(0);
  });

  it('lets agents use shared libs but not platform apps', async () => {
    expect(await boundaryErrors('apps/intake/src/probe.ts', "import { runMigrations } from '@spine/persistence';\nexport const x = runMigrations;\n")).toEqual([]);
    expect(await boundaryErrors('libs/agent-kit/src/probe.ts', "import { startRegistry } from '@spine/registry';\nexport const x = startRegistry;\n")).not.toHaveLength(0);
  });

  it('allows an app to use libs and contracts', async () => {
    expect(await boundaryErrors('apps/intake/src/probe.ts', "import { subjects } from '@spine/contracts';\nimport { bootstrapAgent } from '@spine/agent-kit';\nexport const x = [subjects, bootstrapAgent];\n")).toEqual([]);
  });
});
