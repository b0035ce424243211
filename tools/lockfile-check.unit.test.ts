import { describe, expect, it } from 'vitest';
import { lockfileGaps, type Lockfile } from './lockfile-check.ts';

const lock = (packages: Lockfile['packages']): Lockfile => ({ lockfileVersion: 3, packages });

describe('lockfileGaps', () => {
  it('passes when every optional platform package is locked at a version in range', () => {
    const gaps = lockfileGaps(
      lock({
        '': { dependencies: { swc: '^1' } },
        'node_modules/swc': { version: '1.2.0', optionalDependencies: { 'swc-darwin': '1.2.0', 'swc-linux': '1.2.0' } },
        'node_modules/swc-darwin': { version: '1.2.0' },
        'node_modules/swc-linux': { version: '1.2.0' },
      }),
    );
    expect(gaps).toEqual([]);
  });

  it('names an optional package that npm left out (the "Missing: … from lock file" of npm ci)', () => {
    const gaps = lockfileGaps(
      lock({
        'node_modules/swc': { version: '1.2.0', optionalDependencies: { 'swc-darwin': '1.2.0', 'swc-linux': '1.2.0' } },
        'node_modules/swc-linux': { version: '1.2.0' },
      }),
    );
    expect(gaps).toEqual(['node_modules/swc: optional dependency swc-darwin@1.2.0 is not in the lockfile']);
  });

  it('finds a nested copy first and flags a hoisted copy of the wrong version', () => {
    const packages: Lockfile['packages'] = {
      'node_modules/rolldown': { version: '1.3.2', optionalDependencies: { 'binding-mac': '1.3.2', 'binding-win': '1.3.2' } },
      'node_modules/rolldown/node_modules/binding-mac': { version: '1.3.2' },
      // hoisted for another consumer at an older version: npm ci would need 1.3.2 under rolldown
      'node_modules/binding-win': { version: '1.2.19' },
    };
    expect(lockfileGaps(lock(packages))).toEqual([
      'node_modules/rolldown: optional dependency binding-win@1.3.2 resolves to node_modules/binding-win@1.2.19',
    ]);
  });

  it('refuses a lockfile without a packages map', () => {
    expect(lockfileGaps({ lockfileVersion: 1 })).toHaveLength(1);
  });
});
