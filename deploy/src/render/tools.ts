import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const deployDir = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
export const repoRoot = dirname(deployDir);
const bin = join(deployDir, '.tools', 'bin');
export const kubectlBin = join(bin, 'kubectl');
export const helmBin = join(bin, 'helm');

let ensured = false;

/** kubectl, helm and yamllint: installs them (deploy/tools/install.sh) the first time they are missing. */
export function ensureTools(): void {
  if (ensured) return;
  const yamllint = spawnSync('yamllint', ['--version']).status === 0;
  if (!existsSync(kubectlBin) || !existsSync(helmBin) || !yamllint) {
    const result = spawnSync('sh', [join(deployDir, 'tools', 'install.sh')], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`deploy/tools/install.sh failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
  ensured = true;
}

export function run(command: string, args: string[], cwd = repoRoot): string {
  ensureTools();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
}
