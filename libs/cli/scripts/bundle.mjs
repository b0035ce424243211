// Bundles the CLI (src/main.ts and every package it imports) into one file, dist/spine.js, so the published
// tarball has no runtime dependencies: `npm pack` installs offline and starts without resolving a module tree.
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'rolldown';

const root = join(import.meta.dirname, '..');
const out = join(root, 'dist');
rmSync(out, { recursive: true, force: true });
await build({
  input: join(root, 'src/main.ts'),
  platform: 'node',
  logLevel: 'warn',
  output: { file: join(out, 'spine.js'), format: 'esm', banner: '#!/usr/bin/env node', minify: false, sourcemap: false },
});
chmodSync(join(out, 'spine.js'), 0o755);
