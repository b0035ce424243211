import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './mesh.js';

/** The built CLI (libs/cli: `npm run build` bundles it into this one file). */
export const spineBin = join(repoRoot, 'libs/cli/dist/spine.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** This process's environment without any SPINE_* variable, so a test says exactly which it sets. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('SPINE_') && k !== 'NO_COLOR' && k !== 'FORCE_COLOR') env[k] = v;
  return { ...env, ...extra };
}

/** Runs `spine …` (the built binary, with this process's node) to its end; `input` is written to its stdin. */
export function spine(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [spineBin, ...args], { env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Lines of --json output that stream one object per line. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
