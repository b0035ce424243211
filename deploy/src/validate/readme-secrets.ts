import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployDir } from '../render/tools.js';
import type { DocumentedSecret } from './semantic.js';

export const SECRETS_BEGIN = '<!-- secrets:begin -->';
export const SECRETS_END = '<!-- secrets:end -->';

/** The Secrets deploy/README.md lists (its table between the secrets markers): names and keys, for the install `spine`. */
export function documentedSecrets(readme = readFileSync(join(deployDir, 'README.md'), 'utf8')): DocumentedSecret[] {
  const begin = readme.indexOf(SECRETS_BEGIN);
  const end = readme.indexOf(SECRETS_END);
  if (begin < 0 || end < begin) throw new Error('deploy/README.md lacks the secrets table markers');
  const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
  return readme
    .slice(begin, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => {
      const [, names = '', keys = ''] = line.split('|');
      const keyList = ticked(keys).filter((k) => /^[A-Za-z0-9._-]+$/.test(k));
      return ticked(names).filter((n) => /^[a-z0-9<>-]+$/.test(n)).map((name) => ({ name, keys: keyList }));
    });
}
