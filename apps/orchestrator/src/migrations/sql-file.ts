import { readFileSync } from 'node:fs';

/**
 * The text of a migration's `.sql` file, given as `new URL('./<name>.sql', import.meta.url)` at the call site: swc
 * copies the file beside the built migration (`--copy-files`), and the bundle ships it as an asset
 * (tools/build/bundle-app.mjs, `resolveNewUrlToAsset`). Read when the migration runs, not when it is imported.
 */
export function sqlFile(url: URL): string {
  return readFileSync(url, 'utf8');
}
