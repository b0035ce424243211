import { create } from '@bufbuild/protobuf';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AgentCardSchema, Transport, UpsertExternalAgentRequestSchema, UpsertExternalAgentResponseSchema, UpsertMode } from '@spine/contracts';
import { ProtoClient } from '@spine/messaging';
import { runMigrations } from '@spine/persistence';
import { createDatabase } from '@spine/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../registry.app.js';
import { loadConfig } from '../registry.config.js';
import { registryDataSource } from '../registry.module.js';

const TOKEN = `op-${randomUUID()}-${randomUUID()}`;

// GET /agents lists every tenant's third-party agents with their endpoints: it must not answer just anyone.
describe('registry operator API', () => {
  let withToken: RunningRegistry;
  let loopbackOnly: RunningRegistry;
  let nc: NatsConnection;
  const names = { a: `ext-a-${randomUUID().slice(0, 8)}`, b: `ext-b-${randomUUID().slice(0, 8)}` };

  const get = async (registry: RunningRegistry, path: string, token?: string) => {
    const res = await fetch(`${registry.httpUrl}${path}`, token ? { headers: { authorization: token } } : {});
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const namesIn = (body: Record<string, unknown>) => (body['agents'] as { name: string }[]).map((a) => a.name);

  beforeAll(async () => {
    const databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'registry');
    await runMigrations(registryDataSource(databaseUrl));
    const env = { NATS_URL: inject('natsUrl'), DATABASE_URL: databaseUrl, HTTP_PORT: '0', LOG_LEVEL: 'warn', AGENT_ENDPOINT_ALLOW: '127.0.0.1', PROBE_INTERVAL_MS: '60000', PROBE_TIMEOUT_MS: '1000', PROBE_LEASE_MS: '120000' };
    withToken = await startRegistry(loadConfig({ ...env, OPERATOR_TOKEN: TOKEN, REPLICA_ID: 'op-a' }));
    loopbackOnly = await startRegistry(loadConfig({ ...env, REPLICA_ID: 'op-b' }));
    nc = await connect({ servers: inject('natsUrl') });
    const client = new ProtoClient(nc, 5_000);
    for (const [tenantId, name] of [['tenant-a', names.a], ['tenant-b', names.b]] as const) {
      const card = create(AgentCardSchema, {
        name, version: '1.0.0', transport: Transport.HTTP, endpoint: 'http://127.0.0.1:9', capabilities: ['text.echo'],
        inputSchemaJson: '{"type":"object"}', outputSchemaJson: '{"type":"object"}', limits: { timeoutMs: 1_000 },
      });
      await client.request('spine.registry.agent.upsert_external', UpsertExternalAgentRequestSchema, { tenantId, card, mode: UpsertMode.CREATE }, UpsertExternalAgentResponseSchema);
    }
  });

  afterAll(async () => {
    await Promise.allSettled([withToken?.close(), loopbackOnly?.close(), nc?.close()]);
  });

  it('with OPERATOR_TOKEN set, refuses a call without it or with another token, even from loopback', async () => {
    for (const auth of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const res = await get(withToken, '/agents', auth);
      expect(res.status, String(auth)).toBe(401);
      expect(res.body['code']).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(res.body)).not.toContain(names.a);
    }
    expect((await get(withToken, `/agents/${names.a}`)).status).toBe(401);
  });

  it('answers the token (the scheme in any case) with every tenant, or one tenant with ?tenant=', async () => {
    const all = await get(withToken, '/agents?state=unhealthy', `bearer ${TOKEN}`);
    expect(all.status).toBe(200);
    expect(namesIn(all.body)).toEqual(expect.arrayContaining([names.a, names.b]));
    const onlyA = await get(withToken, '/agents?state=unhealthy&tenant=tenant-a', `Bearer ${TOKEN}`);
    expect(namesIn(onlyA.body)).toContain(names.a);
    expect(namesIn(onlyA.body)).not.toContain(names.b);
    expect((await get(withToken, `/agents/${names.b}?tenant=tenant-a`, `Bearer ${TOKEN}`)).status).toBe(404);
    expect((await get(withToken, `/agents/${names.b}?tenant=tenant-b`, `Bearer ${TOKEN}`)).status).toBe(200);
  });

  it('without a token, answers loopback calls (npm start, kubectl port-forward)', async () => {
    const res = await get(loopbackOnly, '/agents?state=unhealthy');
    expect(res.status).toBe(200);
    expect(namesIn(res.body)).toEqual(expect.arrayContaining([names.a, names.b]));
  });

  it('keeps health and metrics open for probes and scrapers', async () => {
    expect((await fetch(`${withToken.httpUrl}/health/live`)).status).toBe(200);
    expect((await fetch(`${withToken.httpUrl}/metrics`)).status).toBe(200);
  });

  it('refuses a token shorter than 32 characters at boot', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x', OPERATOR_TOKEN: 'short' })).toThrow(/OPERATOR_TOKEN/);
  });
});
