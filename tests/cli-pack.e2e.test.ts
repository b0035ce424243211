import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv } from './support/cli.js';
import { repoRoot } from './support/mesh.js';

const run = promisify(execFile);

describe('spine CLI package', () => {
  const work = mkdtempSync(join(tmpdir(), 'spine-pack-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs into a tarball with no runtime dependencies that installs offline into an empty directory, where npx spine --help works', async () => {
    // This test's node first on PATH: npm, npx and the bin's `#!/usr/bin/env node` all run on it.
    const env = cleanEnv({ PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`, npm_config_update_notifier: 'false' });
    const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: join(repoRoot, 'libs/cli'), env });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    expect(info!.files.map((f) => f.path).sort()).toEqual(['README.md', 'dist/spine.js', 'package.json']);

    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'uses-spine', version: '1.0.0', private: true }));
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(work, info!.filename)], { cwd: app, env });

    const help = await run('npx', ['--offline', 'spine', '--help'], { cwd: app, env });
    expect(help.stdout).toContain('Usage: spine [options] [command]');
    expect(help.stdout).toContain('flows');
    const version = await run('npx', ['--offline', 'spine', '--version'], { cwd: app, env });
    expect(version.stdout.trim()).toBe('0.1.0');
  });
});
