import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const copied = ['proto', 'buf.yaml', 'buf.gen.yaml', 'libs/contracts/src/gen'];

function copyOfContracts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spine-proto-check-'));
  for (const path of copied) cpSync(join(repo, path), join(dir, path), { recursive: true });
  return dir;
}

function protoCheck(root: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(repo, 'tools', 'proto-check.ts'), '--root', root], {
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('npm run proto:check', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('passes when the generated code matches the protos', () => {
    const root = copyOfContracts();
    dirs.push(root);
    const { status, output } = protoCheck(root);
    expect(output).toContain('[proto] ok');
    expect(status).toBe(0);
  });

  it('fails and names the stale file when a proto changed without regenerating', () => {
    const root = copyOfContracts();
    dirs.push(root);
    const proto = join(root, 'proto/spine/agent/v1/agent.proto');
    // A new field in the first message, after its opening line.
    writeFileSync(proto, readFileSync(proto, 'utf8').replace(/^(message \w+ \{)$/m, '$1\n  string stale_probe = 9999;'));
    const { status, output } = protoCheck(root);
    expect(status).not.toBe(0);
    expect(output).toContain('differs: libs/contracts/src/gen/spine/agent/v1/agent_pb.ts');
    expect(output).toContain('generated code is stale: run npm run proto:generate');
    expect(readFileSync(join(root, 'libs/contracts/src/gen/spine/agent/v1/agent_pb.ts'), 'utf8')).not.toContain('staleProbe');
  });
});
