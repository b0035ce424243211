import { runMigrations } from '@spine/persistence';
import { createDatabase } from '@spine/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startOrchestrator, type RunningOrchestrator } from '../orchestrator.app.js';
import { loadConfig } from '../orchestrator.config.js';
import { orchestratorDataSource } from '../orchestrator.module.js';
import { ApiKeysService } from './api-keys.service.js';

describe('API keys, roles, tenants, rate limit and body size', () => {
  let orchestrator: RunningOrchestrator;
  let databaseUrl: string;
  let adminA: string;
  let adminB: string;

  const call = (path: string, token: string | undefined, init: RequestInit = {}) =>
    fetch(`${orchestrator.httpUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
    });

  beforeAll(async () => {
    databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'orch');
    await runMigrations(orchestratorDataSource(databaseUrl));
    const config = loadConfig({ NATS_URL: inject('natsUrl'), DATABASE_URL: databaseUrl, HTTP_PORT: '0', LOG_LEVEL: 'error', RATE_LIMIT_PER_SECOND: '5', RATE_LIMIT_BURST: '20', MAX_BODY_BYTES: '2048' });
    orchestrator = await startOrchestrator(config);
    const keys = orchestrator.app.get(ApiKeysService);
    adminA = (await keys.bootstrapAdmin('tenant-a'))!.token;
    adminB = (await keys.create('tenant-b', 'admin', 'b admin')).token;
  });

  afterAll(async () => {
    await orchestrator?.close();
  });

  it('creates the first admin key only when there is none', async () => {
    expect(await orchestrator.app.get(ApiKeysService).bootstrapAdmin('tenant-a')).toBeUndefined();
  });

  it('stores keys hashed: the token is nowhere in the table', async () => {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const { rows } = await db.query(`SELECT * FROM orchestrator.api_keys`);
    await db.end();
    const dump = JSON.stringify(rows);
    for (const token of [adminA, adminB]) expect(dump).not.toContain(token.split('_')[2]);
  });

  it('answers 401 without a key or with a bad one', async () => {
    for (const token of [undefined, 'spk_nope', `${adminA.slice(0, -4)}AAAA`]) {
      const res = await call('/v1/whoami', token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('lets an admin create a client key, shown once, which then authenticates as that tenant and role', async () => {
    const res = await call('/v1/admin/api-keys', adminA, { method: 'POST', body: JSON.stringify({ name: 'web app', role: 'client' }) });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; token: string };
    expect(await (await call('/v1/whoami', created.token)).json()).toEqual({ tenantId: 'tenant-a', role: 'client', keyId: created.id });
    const listed = (await (await call('/v1/admin/api-keys', adminA)).json()) as { keys: Record<string, unknown>[] };
    expect(listed.keys.map((k) => k.id)).toContain(created.id);
    expect(JSON.stringify(listed)).not.toContain(created.token);
  });

  it('answers 403 to a client key on an admin route', async () => {
    const client = (await (await call('/v1/admin/api-keys', adminA, { method: 'POST', body: JSON.stringify({ name: 'c', role: 'client' }) })).json()) as { token: string };
    const res = await call('/v1/admin/api-keys', client.token);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('revokes a key, after which it answers 401; another tenant cannot see or revoke it (404)', async () => {
    const key = (await (await call('/v1/admin/api-keys', adminA, { method: 'POST', body: JSON.stringify({ name: 'temp', role: 'client' }) })).json()) as { id: string; token: string };
    const foreign = await call(`/v1/admin/api-keys/${key.id}`, adminB, { method: 'DELETE' });
    expect(foreign.status).toBe(404);
    expect(((await (await call('/v1/admin/api-keys', adminB)).json()) as { keys: { id: string }[] }).keys.map((k) => k.id)).not.toContain(key.id);
    expect((await call('/v1/whoami', key.token)).status).toBe(200);
    expect((await call(`/v1/admin/api-keys/${key.id}`, adminA, { method: 'DELETE' })).status).toBe(200);
    expect((await call('/v1/whoami', key.token)).status).toBe(401);
  });

  it('stops honouring a key revoked by another replica within AUTH_CACHE_MS (1 s by default)', async () => {
    const key = (await (await call('/v1/admin/api-keys', adminA, { method: 'POST', body: JSON.stringify({ name: 'elsewhere', role: 'client' }) })).json()) as { id: string; token: string };
    expect((await call('/v1/whoami', key.token)).status).toBe(200);
    // What another replica's DELETE does to the row; this replica learns it when its cached row expires.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query(`UPDATE orchestrator.api_keys SET revoked_at = now() WHERE id = $1`, [key.id]);
    await db.end();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await call('/v1/whoami', key.token)).status).toBe(401);
  });

  it.each([
    ['an unknown role', { name: 'x', role: 'root' }],
    ['a missing name', { role: 'client' }],
    ['an extra field', { name: 'x', role: 'client', tenantId: 'tenant-b' }],
  ])('refuses a key body with %s and creates nothing', async (_label, body) => {
    const before = ((await (await call('/v1/admin/api-keys', adminA)).json()) as { keys: unknown[] }).keys.length;
    const res = await call('/v1/admin/api-keys', adminA, { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(((await (await call('/v1/admin/api-keys', adminA)).json()) as { keys: unknown[] }).keys).toHaveLength(before);
  });

  it('answers malformed JSON with 400 and a body over the limit with 413', async () => {
    const bad = await call('/v1/admin/api-keys', adminA, { method: 'POST', body: '{"name": ' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'INVALID_ARGUMENT' });
    const big = await call('/v1/admin/api-keys', adminA, { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(4096), role: 'client' }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('limits each tenant: over the rate → 429 with Retry-After, other tenants unaffected', async () => {
    // A tenant of its own: the bucket it empties is no other test's (the suites run shuffled).
    const adminC = (await orchestrator.app.get(ApiKeysService).create('tenant-c', 'admin', 'c admin')).token;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 40; i++) {
      const res = await call('/v1/whoami', adminC);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 200).length).toBeLessThan(40);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await call('/v1/whoami', adminA)).status).toBe(200);
  });
});
