import { create, toBinary } from '@bufbuild/protobuf';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  AgentCardSchema, AgentState, AgentStateChangedSchema, DeregisterRequestSchema, DeregisterResponseSchema, DiscoverRequestSchema,
  DiscoverResponseSchema, ErrorCode, HeartbeatRequestSchema, HeartbeatResponseSchema, ListAgentsRequestSchema, ListAgentsResponseSchema,
  RegisterRequestSchema, RegisterResponseSchema, SpineError, streams, Transport, type AgentCard,
} from '@spine/contracts';
import { ProtoClient } from '@spine/messaging';
import { runMigrations } from '@spine/persistence';
import { createDatabase, within } from '@spine/testing';
import { fromBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startRegistry, type RunningRegistry } from './registry.app.js';
import { loadConfig } from './registry.config.js';
import { registryDataSource } from './registry.module.js';

const card = (over: Omit<MessageInitShape<typeof AgentCardSchema>, '$typeName'> = {}) =>
  create(AgentCardSchema, {
    name: 'planner-test',
    version: '1.0.0',
    description: 'test agent',
    transport: Transport.NATS,
    capabilities: ['plan.tools', 'plan.questions'],
    inputType: 'spine.test.v1.In',
    outputType: 'spine.test.v1.Out',
    ...over,
  });

describe('registry over NATS', () => {
  let registry: RunningRegistry;
  let nc: NatsConnection;
  let client: ProtoClient;
  const call = {
    register: (c: AgentCard, instanceId = randomUUID()) =>
      client.request('spine.registry.agent.register', RegisterRequestSchema, { card: c, instanceId }, RegisterResponseSchema),
    heartbeat: (instanceId: string) => client.request('spine.registry.agent.heartbeat', HeartbeatRequestSchema, { instanceId }, HeartbeatResponseSchema),
    list: (name = '', includeGone = false) => client.request('spine.registry.agent.list', ListAgentsRequestSchema, { name, includeGone }, ListAgentsResponseSchema),
    discover: (capability: string) => client.request('spine.registry.agent.discover', DiscoverRequestSchema, { capability }, DiscoverResponseSchema),
    deregister: (instanceId: string) => client.request('spine.registry.agent.deregister', DeregisterRequestSchema, { instanceId }, DeregisterResponseSchema),
  };
  const stateOf = async (instanceId: string) => (await call.list('', true)).instances.find((i) => i.instanceId === instanceId)?.state;
  /**
   * What a rejected registration must leave untouched: which instances exist and their cards. Not their
   * states: the sweeper moves other tests' silent instances to unhealthy and gone at any moment.
   */
  const stored = async () =>
    (await call.list('', true)).instances
      .map((i) => ({ instanceId: i.instanceId, card: i.card ? toBinary(AgentCardSchema, i.card) : undefined }))
      .sort((x, y) => x.instanceId.localeCompare(y.instanceId));
  /** Resolves once the registry has published `instanceId` entering `state` (subscribe before the change happens). */
  const stateEvent = (instanceId: string, state: AgentState): Promise<void> => {
    const sub = nc.subscribe(streams.registryEvents.subjects[0]!);
    const seen = (async () => {
      for await (const msg of sub) {
        const event = fromBinary(AgentStateChangedSchema, msg.data);
        if (event.instance?.instanceId === instanceId && event.current === state) return;
      }
      throw new Error(`the registry event subscription ended before ${instanceId} became ${AgentState[state]}`);
    })();
    return within(seen, `the registry to publish ${instanceId} ${AgentState[state]}`).finally(() => sub.unsubscribe());
  };

  beforeAll(async () => {
    const databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'registry');
    await runMigrations(registryDataSource(databaseUrl));
    const config = loadConfig({
      NATS_URL: inject('natsUrl'),
      DATABASE_URL: databaseUrl,
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
      HEARTBEAT_INTERVAL_MS: '100',
      UNHEALTHY_AFTER_MS: '600',
      GONE_AFTER_MS: '1500',
      SWEEP_INTERVAL_MS: '50',
    });
    registry = await startRegistry(config);
    nc = await connect({ servers: inject('natsUrl') });
    client = new ProtoClient(nc, 3_000);
  });

  afterAll(async () => {
    await registry?.close();
    await nc?.close();
  });

  it('registers an agent and tells it the heartbeat interval', async () => {
    const res = await call.register(card({ name: 'reg-basic' }));
    expect(res.heartbeatIntervalMs).toBe(100);
    expect(res.instance).toMatchObject({ state: AgentState.HEALTHY, card: { name: 'reg-basic', capabilities: ['plan.tools', 'plan.questions'] } });
  });

  it('discovers healthy instances by capability', async () => {
    const capability = `cap.${randomUUID().slice(0, 8)}`;
    await call.register(card({ name: 'disc-a', capabilities: [capability] }));
    await call.register(card({ name: 'disc-b', capabilities: ['other.thing'] }));
    const found = await call.discover(capability);
    expect(found.instances.map((i) => i.card?.name)).toEqual(['disc-a']);
  });

  it('tracks two instances of one agent name separately', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await call.register(card({ name: 'twins' }), a);
    await call.register(card({ name: 'twins' }), b);
    const listed = await call.list('twins');
    expect(listed.instances.map((i) => i.instanceId).sort()).toEqual([a, b].sort());
  });

  it('moves a silent instance to unhealthy, then gone, and back to healthy on its next heartbeat', async () => {
    const id = randomUUID();
    // Events, not polls: the unhealthy window is 0.9 s and a slow poll could step over it.
    const [unhealthy, gone] = [stateEvent(id, AgentState.UNHEALTHY), stateEvent(id, AgentState.GONE)];
    await nc.flush(); // both subscriptions are in place before the instance exists
    await call.register(card({ name: 'silent' }), id);
    await unhealthy;
    await gone;
    expect(await stateOf(id)).toBe(AgentState.GONE);
    expect((await call.list('silent')).instances).toHaveLength(0);
    expect((await call.heartbeat(id)).known).toBe(true);
    expect(await stateOf(id)).toBe(AgentState.HEALTHY);
  });

  it('keeps a heartbeating instance healthy past the unhealthy window', async () => {
    const id = randomUUID();
    const registered = Date.now();
    await call.register(card({ name: 'beating' }), id);
    // Beat at the 100 ms interval until twice the 600 ms unhealthy window has passed since registration;
    // the state is read right after a beat, so only a heartbeat that failed to count can leave it unhealthy.
    while (Date.now() - registered < 1_200) {
      await new Promise((r) => setTimeout(r, 100));
      expect((await call.heartbeat(id)).known).toBe(true);
    }
    expect(await stateOf(id)).toBe(AgentState.HEALTHY);
  });

  it('publishes every state change to JetStream', async () => {
    const id = randomUUID();
    const name = `evt-${randomUUID().slice(0, 6)}`;
    await call.register(card({ name }), id);
    await call.deregister(id);
    const jsm = await jetstreamManager(nc);
    const consumer = await jsm.consumers.add(streams.registryEvents.name, { filter_subject: `spine.registry.events.${name}`, ack_policy: 'none' as never });
    const messages = await jetstream(nc).consumers.get(streams.registryEvents.name, consumer.name);
    const seen: [AgentState, AgentState][] = [];
    for (let i = 0; i < 2; i++) {
      const msg = await messages.next({ expires: 2_000 });
      const event = fromBinary(AgentStateChangedSchema, msg!.data);
      seen.push([event.previous, event.current]);
    }
    expect(seen).toEqual([
      [AgentState.UNSPECIFIED, AgentState.HEALTHY],
      [AgentState.HEALTHY, AgentState.GONE],
    ]);
  });

  it('answers a heartbeat from an unknown instance with known=false', async () => {
    expect((await call.heartbeat(randomUUID())).known).toBe(false);
  });

  describe('rejects bad cards with a coded error and stores nothing', () => {
    const bad: [string, AgentCard, string][] = [
      ['missing name', card({ name: '' }), 'card.name'],
      ['unknown transport', card({ transport: 7 as Transport }), 'card.transport'],
      ['1 MB description', card({ description: 'x'.repeat(1024 * 1024) }), 'card.description'],
      ['HTTP agent without URL', card({ transport: Transport.HTTP, endpoint: 'not a url' }), 'card.endpoint'],
      ['bad capability', card({ capabilities: ['Has Spaces'] }), 'card.capabilities'],
      ['missing types', card({ inputType: '', outputType: 'x' }), 'card.input_type'],
    ];
    it.each(bad)('%s', async (_label, badCard, field) => {
      const before = await stored();
      const err = await call.register(badCard).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SpineError);
      expect(err).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      expect((err as SpineError).details).toHaveProperty(field);
      expect(await stored()).toEqual(before);
    });

    it('wrong wire types and random bytes', async () => {
      const before = await stored();
      // Field 1 (card) sent as a varint instead of a message.
      const wrongType = new Uint8Array([0x08, 0x01, 0x12, 0x01, 0x61]);
      const random = Uint8Array.from({ length: 256 }, (_, i) => (i * 73 + 41) % 256);
      for (const bytes of [wrongType, random]) {
        const err = await client.requestBytes('spine.registry.agent.register', bytes).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      }
      expect(await stored()).toEqual(before);
      expect((await call.register(card({ name: 'after-garbage' }))).instance?.state).toBe(AgentState.HEALTHY);
    });

    it('an instance id already used by another agent name', async () => {
      const id = randomUUID();
      await call.register(card({ name: 'owner' }), id);
      const err = await call.register(card({ name: 'thief' }), id).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: ErrorCode.ALREADY_EXISTS });
      expect((await call.list('owner')).instances.map((i) => i.instanceId)).toContain(id);
    });
  });

  it('serves the operators read API over HTTP', async () => {
    const id = randomUUID();
    await call.register(card({ name: 'http-view' }), id);
    // A live agent heartbeats: without it the 600 ms window (and the sweeper) would race the reads below.
    const alive = setInterval(() => void call.heartbeat(id).catch(() => undefined), 100);
    try {
      const all = (await (await fetch(`${registry.httpUrl}/agents`)).json()) as { agents: { instanceId: string; state: string }[] };
      expect(all.agents).toContainEqual(expect.objectContaining({ instanceId: id, state: 'healthy' }));
      const one = await fetch(`${registry.httpUrl}/agents/http-view`);
      expect(await one.json()).toMatchObject({ name: 'http-view', instances: [{ instanceId: id, transport: 'nats' }] });
    } finally {
      clearInterval(alive);
    }
    const missing = await fetch(`${registry.httpUrl}/agents/no-such-agent`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 'NOT_FOUND', message: 'no agent named no-such-agent', details: { name: 'no-such-agent' } });
    const badFilter = await fetch(`${registry.httpUrl}/agents?state=sleepy`);
    expect(badFilter.status).toBe(400);
    expect(await badFilter.json()).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('protobuf bytes it stores round-trip to the same card', async () => {
    const c = card({ name: 'roundtrip', labels: { team: 'erp' } });
    const res = await call.register(c);
    expect(toBinary(AgentCardSchema, res.instance!.card!)).toEqual(toBinary(AgentCardSchema, c));
  });
});
