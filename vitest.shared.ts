import { readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));

/** `@spine/<lib>` → its TypeScript source, so tests never need a build. */
function libAliases(): Record<string, string> {
  const libs = join(root, 'libs');
  const aliases: Record<string, string> = {};
  for (const name of readdirSync(libs)) {
    const entry = join(libs, name, 'src', 'index.ts');
    const testing = join(libs, name, 'src', 'testing.ts');
    // The subpath first: an alias also matches as a prefix, and the first match wins.
    if (existsSync(testing)) aliases[`@spine/${name}/testing`] = testing;
    if (existsSync(entry)) aliases[`@spine/${name}`] = entry;
  }
  return aliases;
}

export type Tier = 'unit' | 'int' | 'e2e';

export function tierConfig(tier: Tier, extra: NonNullable<ViteUserConfig['test']> = {}): ViteUserConfig {
  return defineConfig({
    // Nest DI needs decorator metadata, which only swc (not esbuild) emits. swcrc: false because
    // .swcrc excludes *.test.ts from the build, and the plugin would read that too.
    plugins: [swc.vite({ swcrc: false, jsc: { target: 'es2023', transform: { legacyDecorator: true, decoratorMetadata: true } } })],
    oxc: false,
    resolve: { alias: libAliases() },
    test: {
      include: tier === 'e2e' ? ['**/*.e2e.test.ts'] : [`**/*.${tier}.test.ts`],
      exclude: ['**/node_modules/**', '**/dist/**'],
      environment: 'node',
      // Bounds that only turn a hang into a failure, never a speed check (that is bench/'s job): a CPU-heavy unit test
      // (deploy/ validation) took 16 s on the shared 2-core machine under load. int/e2e: above waitFor's 60 s bound, so
      // a stuck wait fails with its own message (what was not ready), not a bare test timeout.
      testTimeout: tier === 'unit' ? 60_000 : 180_000,
      hookTimeout: tier === 'unit' ? 120_000 : 300_000,
      // int and e2e tests share one nats-server and Postgres and measure heartbeat windows: one file at a time.
      fileParallelism: tier === 'unit',
      ...extra,
    },
  });
}

export const repoRoot = resolve(root);
