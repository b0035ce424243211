import { create } from '@bufbuild/protobuf';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  AgentCardSchema, AgentState, DeleteExternalAgentRequestSchema, DeleteExternalAgentResponseSchema, ErrorCode, ListAgentsRequestSchema,
  ListAgentsResponseSchema, RegisterRequestSchema, RegisterResponseSchema, SpineError, Transport, UpsertExternalAgentRequestSchema,
  UpsertExternalAgentResponseSchema, UpsertMode, type AgentCard,
} from '@spine/contracts';
import { ProtoClient } from '@spine/messaging';
import { runMigrations } from '@spine/persistence';
import { createDatabase, waitFor } from '@spine/testing';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../registry.app.js';
import { loadConfig } from '../registry.config.js';
import { registryDataSource } from '../registry.module.js';

const schema = JSON.stringify({ type: 'object', properties: { echo: { type: 'string' } }, required: ['echo'] });
// Long enough that a replica slowed down by a loaded machine keeps its leases (the handover below is by release).
const LEASE_MS = 3_000;
const uniq = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A third-party agent's health endpoint whose answer the test flips. */
async function healthServer(): Promise<{ url: string; setHealthy(ok: boolean): void; close(): Promise<void>; server: Server }> {
  let healthy = true;
  const server = createServer((req, res) => {
    res.statusCode = req.url === '/health' && healthy ? 200 : 500;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, setHealthy: (ok) => (healthy = ok), close: () => new Promise((r) => server.close(() => r())) };
}

describe('registry: third-party agents', () => {
  let registry: RunningRegistry;
  let second: RunningRegistry | undefined;
  let nc: NatsConnection;
  let client: ProtoClient;
  let databaseUrl: string;
  let agent: Awaited<ReturnType<typeof healthServer>>;

  const card = (over: Omit<MessageInitShape<typeof AgentCardSchema>, '$typeName'> = {}): AgentCard =>
    create(AgentCardSchema, {
      name: uniq('ext'), version: '1.0.0', transport: Transport.HTTP, endpoint: agent.url, capabilities: ['text.echo'],
      inputSchemaJson: '{"type":"object"}', outputSchemaJson: schema, limits: { timeoutMs: 2_000 }, ...over,
    });
  const upsert = (tenantId: string, c: AgentCard, mode = UpsertMode.CREATE, maxAttempts = 0) =>
    client.request('spine.registry.agent.upsert_external', UpsertExternalAgentRequestSchema, { tenantId, card: c, mode, retry: { maxAttempts } }, UpsertExternalAgentResponseSchema);
  const remove = (tenantId: string, name: string) =>
    client.request('spine.registry.agent.delete_external', DeleteExternalAgentRequestSchema, { tenantId, name }, DeleteExternalAgentResponseSchema);
  const list = async (name = '') => (await client.request('spine.registry.agent.list', ListAgentsRequestSchema, { name }, ListAgentsResponseSchema)).instances;
  const stateOf = async (name: string) => (await list(name))[0]?.state;
  const query = async <T extends object>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      return (await db.query<T>(sql, params)).rows;
    } finally {
      await db.end();
    }
  };
  const rows = () => query<{ name: string; probe_owner: string | null }>('SELECT name, probe_owner FROM registry.external_agents ORDER BY name');
  const config = (replica: string) =>
    loadConfig({
      NATS_URL: inject('natsUrl'), DATABASE_URL: databaseUrl, HTTP_PORT: '0', LOG_LEVEL: 'warn', REPLICA_ID: replica,
      PROBE_INTERVAL_MS: '100', PROBE_TIMEOUT_MS: '80', PROBE_HEALTHY_THRESHOLD: '1', PROBE_UNHEALTHY_THRESHOLD: '2', PROBE_LEASE_MS: String(LEASE_MS),
      AGENT_ENDPOINT_ALLOW: '127.0.0.1',
    });

  beforeAll(async () => {
    databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'registry');
    await runMigrations(registryDataSource(databaseUrl));
    agent = await healthServer();
    registry = await startRegistry(config('replica-a'));
    nc = await connect({ servers: inject('natsUrl') });
    client = new ProtoClient(nc, 3_000);
  });

  afterAll(async () => {
    await second?.close();
    await registry?.close();
    await nc?.close();
    await agent?.close();
  });

  it('stores a tenant-owned agent, unhealthy until its first probe answers, then healthy', async () => {
    const c = card();
    const res = await upsert('acme', c, UpsertMode.CREATE, 3);
    expect(res.instance).toMatchObject({ state: AgentState.UNHEALTHY, external: { tenantId: 'acme', retry: { maxAttempts: 3 } }, card: { name: c.name, endpoint: agent.url } });
    await waitFor(async () => (await stateOf(c.name)) === AgentState.HEALTHY, { timeoutMs: 3_000, intervalMs: 25, what: 'healthy' });
  });

  it('probe failures past the threshold make it unhealthy, with the reason; recovery makes it healthy again', async () => {
    const c = card();
    await upsert('acme', c);
    await waitFor(async () => (await stateOf(c.name)) === AgentState.HEALTHY, { timeoutMs: 3_000, intervalMs: 25, what: 'healthy' });
    agent.setHealthy(false);
    try {
      const started = Date.now();
      await waitFor(async () => (await stateOf(c.name)) === AgentState.UNHEALTHY, { timeoutMs: 3_000, intervalMs: 25, what: 'unhealthy' });
      // two failed probes 100 ms apart, plus one tick of scheduling slack
      expect(Date.now() - started).toBeLessThan(1_500);
      expect((await list(c.name))[0]?.external?.lastProbeError).toBe('status 500');
    } finally {
      agent.setHealthy(true);
    }
    await waitFor(async () => (await stateOf(c.name)) === AgentState.HEALTHY, { timeoutMs: 3_000, intervalMs: 25, what: 'healthy again' });
    expect((await list(c.name))[0]?.external?.lastProbeError).toBe('');
  });

  it('marks an agent that stops answering (connection refused) unhealthy', async () => {
    const down = await healthServer();
    const c = card({ endpoint: down.url });
    await upsert('acme', c);
    await waitFor(async () => (await stateOf(c.name)) === AgentState.HEALTHY, { timeoutMs: 3_000, intervalMs: 25, what: 'healthy' });
    await down.close();
    await waitFor(async () => (await stateOf(c.name)) === AgentState.UNHEALTHY, { timeoutMs: 3_000, intervalMs: 25, what: 'unhealthy' });
  });

  describe('refuses unsafe or invalid cards with INVALID_ARGUMENT and stores nothing', () => {
    const registryPort = () => new URL(registry.httpUrl).port;
    const natsPort = () => new URL(inject('natsUrl')).port;
    const cases: [string, () => Partial<AgentCard>, string, string?][] = [
      ['cloud metadata (link-local)', () => ({ endpoint: 'http://169.254.169.254/latest/meta-data' }), 'card.endpoint', 'link-local'],
      ["the registry's own port on localhost", () => ({ endpoint: `http://localhost:${registryPort()}` }), 'card.endpoint', 'cluster-service'],
      ['the NATS port over gRPC', () => ({ transport: Transport.GRPC, endpoint: `127.0.0.1:${natsPort()}` }), 'card.endpoint', 'cluster-service'],
      ['a file URL', () => ({ endpoint: 'file:///etc/passwd' }), 'card.endpoint', 'scheme'],
      ['a private address not on the allow-list', () => ({ endpoint: 'http://10.1.2.3:8080' }), 'card.endpoint', 'private'],
      ['a decimal-encoded loopback outside the allow-list', () => ({ endpoint: 'http://2130706434:8080' }), 'card.endpoint', 'loopback'],
      ['an output schema that does not compile', () => ({ outputSchemaJson: '{"type":"strng"}' }), 'card.output_schema_json'],
      ['no input schema', () => ({ inputSchemaJson: '' }), 'card.input_schema_json'],
      ['a timeout past the bound', () => ({ limits: { timeoutMs: 600_000 } as never }), 'card.limits.timeout_ms'],
      ['a NATS transport', () => ({ transport: Transport.NATS }), 'card.transport'],
      ['a bad name', () => ({ name: 'Bad Name' }), 'card.name'],
      ['a reserved built-in name', () => ({ name: 'planner' }), 'card.name'],
    ];
    it.each(cases)('%s', async (_label, over, field, reason) => {
      const before = await rows();
      const err = await upsert('acme', card(over())).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SpineError);
      expect(err).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      expect((err as SpineError).details).toHaveProperty(field);
      if (reason) expect((err as SpineError).details['card.endpoint.reason']).toBe(reason);
      expect(await rows()).toEqual(before);
    });
  });

  it("keeps a tenant's agent to itself: another tenant can neither take its name, replace it nor delete it", async () => {
    const c = card();
    await upsert('acme', c);
    await expect(upsert('globex', card({ name: c.name }))).rejects.toMatchObject({ code: ErrorCode.ALREADY_EXISTS });
    await expect(upsert('globex', card({ name: c.name, description: 'mine now' }), UpsertMode.REPLACE)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    expect((await remove('globex', c.name)).found).toBe(false);
    expect((await list(c.name))[0]?.external?.tenantId).toBe('acme');
    const replaced = await upsert('acme', card({ name: c.name, description: 'v2', version: '2.0.0' }), UpsertMode.REPLACE);
    expect(replaced.instance?.card).toMatchObject({ version: '2.0.0', description: 'v2' });
    expect((await remove('acme', c.name)).found).toBe(true);
    expect(await list(c.name)).toEqual([]);
  });

  it('refuses a name a built-in agent already uses', async () => {
    const name = uniq('builtin');
    await client.request('spine.registry.agent.register', RegisterRequestSchema, { instanceId: randomUUID(), card: { name, version: '1.0.0', transport: Transport.NATS, inputType: 'a.b.C', outputType: 'a.b.D' } }, RegisterResponseSchema);
    await expect(upsert('acme', card({ name }))).rejects.toMatchObject({ code: ErrorCode.ALREADY_EXISTS });
  });

  it('shares probes between replicas (one owner per agent) and hands them over when a replica stops', async () => {
    second = await startRegistry(config('replica-b'));
    const names = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(async () => (await upsert('acme', card())).instance!.card!.name));
    await waitFor(async () => (await rows()).filter((r) => r.probe_owner === 'replica-b').length > 0, { timeoutMs: 5_000, intervalMs: 50, what: 'replica-b claims some agents' });
    const owners = await rows();
    expect(owners.every((r) => r.probe_owner === 'replica-a' || r.probe_owner === 'replica-b')).toBe(true);
    // One owner per agent: while both replicas run, each renews its own leases and takes none of the other's, so no
    // agent changes hands. Watched until every agent's lease was renewed a few times after the first look.
    const ownerOf = new Map(owners.map((r) => [r.name, r.probe_owner]));
    const handedOver: string[] = [];
    const since = (await query<{ since: Date }>('SELECT now() AS since'))[0]!.since;
    await waitFor(
      async () => {
        const now = await query<{ name: string; probe_owner: string | null; renewed: boolean }>(
          `SELECT name, probe_owner, probe_lease_until > $2::timestamptz + make_interval(secs => $3::float8 / 1000) AS renewed
           FROM registry.external_agents WHERE name = ANY($1)`,
          [names, since, LEASE_MS + 300],
        );
        for (const r of now) if (r.probe_owner !== ownerOf.get(r.name)) handedOver.push(`${r.name}: ${ownerOf.get(r.name)} → ${r.probe_owner}`);
        return now.length === names.length && now.every((r) => r.renewed);
      },
      { timeoutMs: 10_000, intervalMs: 20, what: 'every lease renewed' },
    );
    expect(handedOver).toEqual([]);
    for (const n of names) await waitFor(async () => (await stateOf(n)) === AgentState.HEALTHY, { timeoutMs: 3_000, intervalMs: 25, what: `${n} healthy` });
    await second.close();
    second = undefined;
    await waitFor(async () => (await rows()).every((r) => r.probe_owner === 'replica-a'), { timeoutMs: 5_000, intervalMs: 50, what: 'replica-a owns every agent' });
  });
});
