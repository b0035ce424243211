import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { deployDir, ensureTools } from '../render/tools.js';

export const yamllintConfig = join(deployDir, '.yamllint.yaml');

function lint(args: string[], input?: string): string[] {
  ensureTools();
  const result = spawnSync('yamllint', ['-f', 'parsable', '-s', '-c', yamllintConfig, ...args], { encoding: 'utf8', input, cwd: deployDir });
  if (result.error) throw result.error;
  return result.stdout.split('\n').filter((line) => line.trim() !== '');
}

/** yamllint findings (errors and warnings) for YAML text, e.g. a rendered overlay. */
export function yamllintText(text: string, source: string): string[] {
  return lint(['-'], text).map((line) => line.replace(/^stdin/, source));
}

/** yamllint findings for every YAML file under deploy/ (config's `ignore` skips .tools). */
export function yamllintDeployTree(): string[] {
  return lint(['.']);
}
