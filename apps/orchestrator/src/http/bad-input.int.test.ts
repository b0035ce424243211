import { runMigrations } from '@spine/persistence';
import { createDatabase } from '@spine/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiKeysRepository } from '../auth/api-keys.repository.js';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { startOrchestrator, type RunningOrchestrator } from '../orchestrator.app.js';
import { loadConfig } from '../orchestrator.config.js';
import { orchestratorDataSource } from '../orchestrator.module.js';

type Body = Record<string, unknown>;

// Bad input from outside answers a coded 400 and stores nothing; before these checks each of these was a 500
// (Postgres refusing NUL or a lone surrogate, JSON.stringify overflowing its stack, a bigint out of range).
describe('bad input answers 400, not 500', () => {
  let orchestrator: RunningOrchestrator;
  let admin: string;

  const call = async (path: string, init: RequestInit & { token?: string | null; raw?: string } = {}) => {
    const { token = admin, raw, ...rest } = init;
    const res = await fetch(`${orchestrator.httpUrl}${path}`, {
      ...rest,
      ...(raw !== undefined ? { body: raw } : {}),
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(rest.headers as Record<string, string>) },
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Body };
  };
  const keyNames = async () => ((await call('/v1/admin/api-keys')).body['keys'] as Body[] | undefined)?.map((k) => k['name']) ?? [];

  beforeAll(async () => {
    const databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'badinput');
    await runMigrations(orchestratorDataSource(databaseUrl));
    orchestrator = await startOrchestrator(loadConfig({ NATS_URL: inject('natsUrl'), DATABASE_URL: databaseUrl, HTTP_PORT: '0', LOG_LEVEL: 'fatal' }));
    admin = (await orchestrator.app.get(ApiKeysService).bootstrapAdmin('tenant-a'))!.token;
  });

  afterAll(async () => {
    await orchestrator?.close();
  });

  it.each([
    ['a NUL character', 'ci\u0000key', /NUL/],
    ['a lone surrogate', 'ci\ud800key', /surrogate/],
  ])('refuses %s in a JSON string with INVALID_ARGUMENT and stores nothing', async (_what, name, message) => {
    const before = await keyNames();
    // JSON.stringify escapes a lone surrogate as \ud800, which JSON.parse turns back into one.
    const res = await call('/v1/admin/api-keys', { method: 'POST', raw: JSON.stringify({ name, role: 'client' }) });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'body.name' } });
    expect(String(res.body['message'])).toMatch(message);
    expect(await keyNames()).toEqual(before);
  });

  it('refuses a NUL in an object key, naming where', async () => {
    const res = await call('/v1/flows/validate', { method: 'POST', raw: JSON.stringify({ id: 'f', nodes: [{ id: 'x', inputs: { 'a\u0000': 1 } }] }) });
    expect(res.status).toBe(400);
    expect(res.body['details']).toMatchObject({ field: 'body.nodes[0].inputs' });
  });

  it('refuses JSON nested 100,000 deep, and stays live', async () => {
    const deep = `{"id":"deep","nodes":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const res = await call('/v1/flows/validate', { method: 'POST', raw: deep });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ code: 'INVALID_ARGUMENT', details: { max_depth: '64' } });
    expect((await fetch(`${orchestrator.httpUrl}/health/live`)).status).toBe(200);
  });

  it('accepts nesting up to the limit', async () => {
    // 64 levels: the body object, then 63 arrays.
    const res = await call('/v1/admin/api-keys', { method: 'POST', raw: `{"name":"nested","role":"client","x":${'['.repeat(63)}${']'.repeat(63)}}` });
    // It gets past the guard to the route's own schema, which knows no `x`.
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ code: 'INVALID_ARGUMENT', details: { body: expect.stringMatching(/Unrecognized key/) } });
    const deeper = await call('/v1/admin/api-keys', { method: 'POST', raw: `{"name":"deeper","role":"client","x":${'['.repeat(64)}${']'.repeat(64)}}` });
    expect(deeper.body).toMatchObject({ code: 'INVALID_ARGUMENT', details: { max_depth: '64' } });
  });

  it.each([
    ['/v1/executions/00000000-0000-0000-0000-000000000000/events?after=99999999999999999999', 'after'],
    ['/v1/executions/00000000-0000-0000-0000-000000000000/events?after=-1', 'after'],
    ['/v1/executions/00000000-0000-0000-0000-000000000000/events?after=1e3', 'after'],
    ['/v1/flows/some-flow/versions/99999999999', 'version'],
    ['/v1/flows/some-flow/versions/0', 'version'],
  ])('refuses an out-of-range integer in %s', async (path, field) => {
    const res = await call(path);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field } });
  });

  it('reads the Bearer scheme in any case', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer', 'bEaReR']) {
      const res = await call('/v1/whoami', { token: null, headers: { authorization: `${scheme} ${admin}` } });
      expect(res.status, scheme).toBe(200);
    }
    expect((await call('/v1/whoami', { token: null, headers: { authorization: `Basic ${admin}` } })).status).toBe(401);
  });

  it('answers an unknown key id like a wrong secret, reading the id from Postgres once', async () => {
    const repository = orchestrator.app.get(ApiKeysRepository);
    const reads: string[] = [];
    const byId = repository.byId.bind(repository);
    repository.byId = (id: string) => {
      reads.push(id);
      return byId(id);
    };
    try {
      const unknown = `spk_zzzzzzzzzzzz_${'A'.repeat(43)}`;
      const wrongSecret = `${admin.slice(0, admin.lastIndexOf('_') + 1)}${'B'.repeat(43)}`;
      for (const token of [unknown, unknown, wrongSecret, wrongSecret]) {
        const res = await call('/v1/whoami', { token });
        expect(res).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
      }
      // The unknown id is remembered as unknown: no query per attempt, as for a known id.
      expect(reads.filter((id) => id === 'zzzzzzzzzzzz')).toHaveLength(1);
    } finally {
      repository.byId = byId;
    }
  });
});
