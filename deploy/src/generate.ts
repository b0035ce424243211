// `npm run deploy:generate` writes the files generated from deploy/src/services.ts;
// `--check` fails (exit 1) when a committed copy differs, naming each stale file.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generated-files.js';
import { withTable } from './readme-table.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const complain = (line: string) => process.stderr.write(`${line}\n`);

export const deployDir = dirname(dirname(fileURLToPath(import.meta.url)));

/** Paths (relative to deploy/) whose content on disk differs from what the generator produces. */
export function staleFiles(): string[] {
  const files = generatedFiles();
  const stale = [...files].filter(([path, text]) => {
    const file = join(deployDir, path);
    return !existsSync(file) || readFileSync(file, 'utf8') !== text;
  });
  const orphans = readdirSync(join(deployDir, 'k8s/base'))
    .map((name) => `k8s/base/${name}`)
    .filter((path) => !files.has(path));
  const readme = readFileSync(join(deployDir, 'README.md'), 'utf8');
  const readmeStale = withTable(readme) !== readme ? ['README.md (services table)'] : [];
  return [...stale.map(([path]) => path), ...orphans, ...readmeStale];
}

function write(): void {
  const files = generatedFiles();
  const baseDir = join(deployDir, 'k8s/base');
  if (existsSync(baseDir)) rmSync(baseDir, { recursive: true });
  for (const [path, text] of files) {
    const file = join(deployDir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  const readme = join(deployDir, 'README.md');
  writeFileSync(readme, withTable(readFileSync(readme, 'utf8')));
  say(`deploy: wrote ${files.size} files and the README's services table`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const stale = staleFiles();
    if (stale.length > 0) {
      complain(`deploy: generated files are stale, run \`npm run deploy:generate\`:\n  ${stale.join('\n  ')}`);
      process.exit(1);
    }
    say('deploy: generated files are up to date');
  } else {
    write();
  }
}
