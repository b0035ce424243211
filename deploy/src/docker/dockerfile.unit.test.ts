import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveEntry } from '../../docker/entrypoint.js';
import { deployDir, repoRoot } from '../render/tools.js';
import { dockerfileFacts, dockerfileProblems } from './dockerfile-rules.js';

const dockerfile = readFileSync(join(deployDir, 'docker/Dockerfile'), 'utf8');

describe('deploy/docker/Dockerfile', () => {
  it('passes the hadolint-equivalent rules', () => {
    expect(dockerfileProblems(dockerfile)).toEqual([]);
  });

  it('builds on the Node version the repo runs (node_modules/node, .nvmrc)', () => {
    const installed = (JSON.parse(readFileSync(join(repoRoot, 'node_modules/node/package.json'), 'utf8')) as { version: string }).version;
    const nvmrc = readFileSync(join(repoRoot, '.nvmrc'), 'utf8').trim();
    const image = dockerfileFacts(dockerfile).nodeImage ?? '';
    expect(image.startsWith(`node:${installed}-`)).toBe(true);
    expect(image.startsWith(`node:${nvmrc}.`)).toBe(true);
  });

  it.each([
    ['an unpinned base', (d: string) => d.replace(/ARG NODE_IMAGE=\S+/, 'ARG NODE_IMAGE=node:latest'), /must pin node/],
    ['ADD of a URL', (d: string) => d.replace('WORKDIR /app', 'WORKDIR /app\nADD https://example.com/x.tgz /tmp/'), /ADD; use COPY/],
    ['no USER', (d: string) => d.replace(/^USER .*$/m, ''), /no USER/],
    ['USER root', (d: string) => d.replace(/^USER .*$/m, 'USER 0'), /numeric, non-zero uid/],
    ['a named user', (d: string) => d.replace(/^USER .*$/m, 'USER spine'), /numeric, non-zero uid/],
    ['shell-form ENTRYPOINT', (d: string) => d.replace(/^ENTRYPOINT .*$/m, 'ENTRYPOINT node deploy/docker/entrypoint.ts'), /exec-form ENTRYPOINT/],
    ['no HEALTHCHECK', (d: string) => d.replace(/^HEALTHCHECK .*$/m, ''), /HEALTHCHECK/],
    ['a single stage', (d: string) => `ARG NODE_IMAGE=node:24.21.0-bookworm-slim\n${d.slice(d.indexOf('FROM ${NODE_IMAGE} AS runtime'))}`.replace(/COPY --from=build.*\n/, 'COPY . .\n'), /not multi-stage/],
    ['no prune', (d: string) => d.replace('npm prune --omit=dev', 'true'), /not pruned/],
    ['a secret baked in', (d: string) => d.replace('ENV NODE_ENV=production', 'ENV NODE_ENV=production OPENAI_API_KEY=sk-1'), /secret-looking name/],
    ['COPY from an unknown stage', (d: string) => d.replace('COPY --from=build', 'COPY --from=builder'), /not a stage of this Dockerfile/],
  ])('flags %s', (_case, breakIt, message) => {
    const broken = breakIt(dockerfile);
    expect(broken).not.toBe(dockerfile);
    expect(dockerfileProblems(broken).join('\n')).toMatch(message);
  });
});

describe('.dockerignore', () => {
  it('keeps node_modules, dist, git data and local state out of the build context', () => {
    const lines = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(lines).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git', '.spine', 'tmp', 'deploy/.tools']));
    // npm ci needs every workspace's package.json, tests/ included.
    expect(lines).toContain('!tests/package.json');
  });
});

describe('the image entrypoint', () => {
  const apps = mkdtempSync(join(tmpdir(), 'spine-apps-'));
  for (const [app, files] of [['registry', ['main.js', 'migrate.js']], ['intake', ['main.js']]] as const) {
    mkdirSync(join(apps, app, 'dist'), { recursive: true });
    for (const file of files) writeFileSync(join(apps, app, 'dist', file), '');
  }
  afterAll(() => rmSync(apps, { recursive: true, force: true }));

  it('runs apps/$SERVICE/dist/main.js, or migrate.js for `migrate`', () => {
    expect(resolveEntry(apps, 'intake', undefined)).toEqual({ ok: true, detail: join(apps, 'intake/dist/main.js') });
    expect(resolveEntry(apps, 'registry', 'migrate')).toEqual({ ok: true, detail: join(apps, 'registry/dist/migrate.js') });
  });

  it('refuses what it cannot run, listing the apps it has', () => {
    expect(resolveEntry(apps, undefined, 'main')).toEqual({ ok: false, detail: expect.stringMatching(/SERVICE must name an app \((intake, registry|registry, intake)\)/) });
    expect(resolveEntry(apps, '../etc', 'main').ok).toBe(false);
    expect(resolveEntry(apps, 'intake', 'migrate').detail).toMatch(/intake has no migrations/);
    expect(resolveEntry(apps, 'planner', 'main').detail).toMatch(/no app planner in this image/);
    expect(resolveEntry(apps, 'intake', 'shell').detail).toMatch(/unknown command "shell"/);
  });
});
