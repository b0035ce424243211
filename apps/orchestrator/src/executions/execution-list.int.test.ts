import { runMigrations } from '@spine/persistence';
import { createDatabase } from '@spine/testing';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { startOrchestrator, type RunningOrchestrator } from '../orchestrator.app.js';
import { loadConfig } from '../orchestrator.config.js';
import { orchestratorDataSource } from '../orchestrator.module.js';
import type { Json } from '../store/execution.model.js';
import { ExecutionsRepository } from '../store/executions.repository.js';

interface Page {
  executions: { id: string; flowId: string; state: string; createdAt: string }[];
  nextCursor: string | null;
}

describe('GET /v1/executions: tenant-scoped, filtered, cursor paging', () => {
  let orchestrator: RunningOrchestrator;
  let repository: ExecutionsRepository;
  const keys: Record<string, string> = {};
  const consoleDir = mkdtempSync(join(tmpdir(), 'spine-console-'));

  const list = async (tenant: string, query: Record<string, string>): Promise<Page> => {
    const res = await fetch(`${orchestrator.httpUrl}/v1/executions?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${keys[tenant]}` } });
    const body = (await res.json()) as Page;
    if (res.status !== 200) throw new Error(`GET /v1/executions answered ${res.status}: ${JSON.stringify(body)}`);
    return body;
  };
  /** Every page, following nextCursor; `between` runs after each page is read (to insert meanwhile). */
  const allPages = async (tenant: string, query: Record<string, string>, between: () => Promise<void> = async () => undefined) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(tenant, { ...query, ...(cursor ? { cursor } : {}) });
      ids.push(...page.executions.map((e) => e.id));
      cursor = page.nextCursor;
      await between();
    } while (cursor);
    return ids;
  };
  // Held by a replica that is not this one, so this orchestrator never claims and runs them: they stay as created.
  const create = async (tenantId: string, flowId: string, input: Json = {}) =>
    (await repository.create(repository.db, { tenantId, flowId, input }, { replica: 'elsewhere', leaseMs: 600_000 }))!.id;

  beforeAll(async () => {
    const databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'execlist');
    await runMigrations(orchestratorDataSource(databaseUrl));
    mkdirSync(join(consoleDir, 'assets'));
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(consoleDir, 'assets', 'app-1.js'), 'console.log(1)');
    orchestrator = await startOrchestrator(loadConfig({ NATS_URL: inject('natsUrl'), DATABASE_URL: databaseUrl, HTTP_PORT: '0', LOG_LEVEL: 'fatal', CONSOLE_DIR: consoleDir }));
    repository = orchestrator.app.get(ExecutionsRepository);
    for (const tenant of ['tenant-a', 'tenant-b']) {
      keys[tenant] = (await orchestrator.app.get(ApiKeysService).create(tenant, 'admin', 'list test')).token;
      for (const flow of ['alpha', 'beta']) await repository.saveFlowVersion(repository.db, tenant, flow, 1, { id: flow, nodes: [] });
    }
  });

  afterAll(async () => {
    await orchestrator?.close();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  it('pages through every execution once, newest first, while executions are created between pages', async () => {
    const tenant = 'tenant-a';
    const flowId = `paging-${Date.now()}`;
    await repository.saveFlowVersion(repository.db, tenant, flowId, 1, { id: flowId, nodes: [] });
    const before: string[] = [];
    for (let i = 0; i < 23; i++) before.push(await create(tenant, flowId));
    const during: string[] = [];
    // Inserts run the whole time the pages are read (this tenant's and another's), several in flight at once.
    let paging = true;
    const inserter = (async () => {
      while (paging) {
        const ids = await Promise.all([create(tenant, flowId), create(tenant, flowId), create('tenant-b', 'alpha')]);
        during.push(ids[0]!, ids[1]!);
      }
    })();
    // And at least one batch lands between every two pages.
    const seen = await allPages(tenant, { flowId, limit: '5' }, async () => {
      during.push(await create(tenant, flowId));
    }).finally(() => (paging = false));
    await inserter;
    expect(new Set(seen).size, 'no execution on two pages').toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(before));
    // Those that existed when paging began come in creation order, newest first, and none is missing.
    expect(seen.filter((id) => before.includes(id))).toEqual([...before].reverse());
    expect(seen.every((id) => before.includes(id) || during.includes(id))).toBe(true);
  });

  it("never shows another tenant's executions, whatever the filter", async () => {
    const mine = await create('tenant-a', 'beta', { text: 'shared words' });
    const theirs = await create('tenant-b', 'beta', { text: 'shared words' });
    for (const query of [{}, { flowId: 'beta' }, { q: 'shared words' }, { q: theirs }, { q: theirs.slice(0, 8) }, { state: 'RECEIVED' }] as Record<string, string>[]) {
      const ids = await allPages('tenant-a', { ...query, limit: '200' });
      expect(ids, JSON.stringify(query)).not.toContain(theirs);
    }
    expect(await allPages('tenant-a', { q: 'shared words' })).toContain(mine);
    expect(await allPages('tenant-b', { q: mine })).toEqual([]);
  });

  it('filters by flow, state, time and text', async () => {
    const marker = `needle-${Date.now()}`;
    const hit = await create('tenant-a', 'alpha', { text: `a ${marker} here` });
    await create('tenant-a', 'beta', { text: `a ${marker} there` });
    expect(await allPages('tenant-a', { q: marker, flowId: 'alpha' })).toEqual([hit]);
    expect(await allPages('tenant-a', { q: hit.slice(0, 13) })).toEqual([hit]);
    expect(await allPages('tenant-a', { q: marker, state: 'DONE' })).toEqual([]);
    const { executions } = await list('tenant-a', { q: marker, flowId: 'alpha' });
    const at = new Date(executions[0]!.createdAt).getTime();
    expect(await allPages('tenant-a', { q: marker, flowId: 'alpha', from: new Date(at - 1000).toISOString(), to: new Date(at + 1000).toISOString() })).toEqual([hit]);
    expect(await allPages('tenant-a', { q: marker, from: new Date(at + 1000).toISOString() })).toEqual([]);
    // LIKE's wildcards are text like any other.
    expect(await allPages('tenant-a', { q: '%' })).toEqual([]);
  });

  it('refuses a cursor it did not give and an unknown filter with 400', async () => {
    for (const query of [{ cursor: 'bm90LWEtY3Vyc29y' }, { state: 'NOPE' }, { limit: '0' }, { color: 'red' }] as Record<string, string>[]) {
      const res = await fetch(`${orchestrator.httpUrl}/v1/executions?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${keys['tenant-a']}` } });
      expect(res.status, JSON.stringify(query)).toBe(400);
    }
  });

  it('serves the console at /console: files, index.html for its routes, no external origin allowed', async () => {
    const page = await fetch(`${orchestrator.httpUrl}/console/executions/123`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const asset = await fetch(`${orchestrator.httpUrl}/console/assets/app-1.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${orchestrator.httpUrl}/console/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${orchestrator.httpUrl}/console`)).status).toBe(200);
  });
});
