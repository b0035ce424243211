import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A secret of the local mesh kept in `<data-dir>/secrets/<name>` (mode 0600), made on the first start and reused, so
 * nothing runs on a development default that is written in the source (AGENT_SECRET_KEY seals agents' signing secrets).
 */
export function localSecret(dataDir: string, name: string): string {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, name);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  const value = readFileSync(file, 'utf8').trim();
  if (value.length < 16) throw new Error(`${file} holds fewer than 16 characters: delete it and start again (agents registered since must then be registered again)`);
  return value;
}
