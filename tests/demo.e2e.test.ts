import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('npm run demo', () => {
  it('boots the mesh, walks the Spanish and the English conversation, and exits 0', async () => {
    // --no-build: the e2e tier runs on built apps already; the demo itself runs tools/launcher as npm start does.
    const child = spawn(process.execPath, [join(root, 'tools/demo/demo.ts'), '--no-build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const text = output.join('');
    expect(code, text).toBe(0);
    expect(text).toContain('=== Español (Europe/Madrid) ===');
    expect(text).toContain('=== English (America/New_York) ===');
    expect(text).toMatch(/assistant> Listo: creé la tarea «revisar el contrato»/);
    expect(text).toMatch(/assistant> Done: I created the task «call the bank»/);
    expect(text).toContain('spine demo: every turn went as expected');
  }, 420_000);
});
