import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { anyPack, StructSchema } from '@bufbuild/protobuf/wkt';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import {
  AgentCardSchema, AgentInstanceSchema, AgentState, ExecutionEventSchema, InvokeRequestSchema, InvokeResponseSchema, ListAgentsResponseSchema, streams, subjects, Transport,
  type AgentInstance, type InvokeRequest,
} from '@spine/contracts';
import { runMigrations } from '@spine/persistence';
import { createDatabase, waitFor } from '@spine/testing';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AgentSecretsRepository } from '../agents/agent-secrets.repository.js';
import { SecretBox } from '../agents/secret-box.js';
import { ExecutionsService } from '../executions/executions.service.js';
import { startOrchestrator, type RunningOrchestrator } from '../orchestrator.app.js';
import { loadConfig } from '../orchestrator.config.js';
import { orchestratorDataSource } from '../orchestrator.module.js';
import type { Json } from '../store/execution.model.js';
import { ExecutionsRepository } from '../store/executions.repository.js';
import { EventPublisher } from './outbox/event-publisher.js';

// In-process tests of the executor (engine/) on the harness's real nats-server and Postgres: one orchestrator (two
// for the crash), a stand-in registry that lists the agents each test declares, built-in agents answering on
// spine.agent.<name>.invoke, and a third-party agent on HTTP. Flows are stored as versions directly, so that
// dispatch-time checks are reached even where deploy-time checks would have refused the flow.

const agents = new Map<string, AgentInstance>();
const card = (name: string, extra: Record<string, unknown> = {}) => create(AgentCardSchema, { name, version: '1', description: name, ...extra });
const builtIn = (name: string, state = AgentState.HEALTHY) => agents.set(name, create(AgentInstanceSchema, { instanceId: `${name}-1`, card: card(name), state }));
const thirdParty = (name: string, tenantId: string, endpoint: string) =>
  agents.set(name, create(AgentInstanceSchema, { instanceId: `${name}-ext`, card: card(name, { transport: Transport.HTTP, endpoint }), state: AgentState.HEALTHY, external: { tenantId } }));

/** A built-in agent: answers each request when `release` is called (or at once with `auto`), echoing the node. */
class HeldAgent {
  readonly held: { req: InvokeRequest; msg: Msg }[] = [];
  received = 0;

  constructor(
    nc: NatsConnection,
    readonly name: string,
    private readonly auto = false,
  ) {
    builtIn(name);
    nc.subscribe(subjects.agentInvoke(name), {
      callback: (_err, msg) => {
        const req = fromBinary(InvokeRequestSchema, msg.data);
        this.received++;
        this.held.push({ req, msg });
        if (this.auto) this.releaseAll();
      },
    });
  }

  releaseAll(): void {
    for (const { req, msg } of this.held.splice(0)) {
      const output = anyPack(StructSchema, create(StructSchema, { fields: { node: { kind: { case: 'stringValue', value: req.nodeId } } } }));
      msg.respond(toBinary(InvokeResponseSchema, create(InvokeResponseSchema, { output })));
    }
  }
}

describe('executor (in process, real NATS and Postgres)', () => {
  let nc: NatsConnection;
  let databaseUrl: string;
  let orchestrator: RunningOrchestrator;
  let executions: ExecutionsService;
  let repository: ExecutionsRepository;
  let version = 0;

  const env = (extra: Record<string, string> = {}) =>
    loadConfig({
      NATS_URL: inject('natsUrl'), DATABASE_URL: databaseUrl, HTTP_PORT: '0', GRPC_PORT: '0', LOG_LEVEL: 'error', NODE_PARALLELISM: '2',
      NODE_MAX_ATTEMPTS: '1', AGENT_SECRET_KEY: 'executor-int-test-secret-key', AGENT_ENDPOINT_ALLOW: '127.0.0.1', ...extra,
    });
  /** Stores a flow version as is (no deploy-time checks) and starts it. */
  const run = async (flow: Json, tenantId = 'acme') => {
    const id = `f${++version}`;
    await repository.saveFlowVersion(repository.db, tenantId, id, 1, { id, ...(flow as object) });
    return executions.start(tenantId, id, { content: 'hi' });
  };
  const nodeRuns = (executionId: string) =>
    repository.db.query<{ node_id: string; state: string }[]>(`SELECT node_id, state FROM orchestrator.node_runs WHERE execution_id = $1 ORDER BY node_id`, [executionId]);
  const settled = (tenantId: string, id: string) => executions.waitFor(tenantId, id, 30_000);
  /** The sequence numbers of the execution's events on JetStream, in stream order (repeats included). */
  const published = async (executionId: string): Promise<number[]> => {
    const consumer = await jetstream(nc)
      .consumers.get(streams.executionEvents.name, { filter_subjects: subjects.executionEvents('acme', executionId), deliver_policy: DeliverPolicy.All })
      .catch(() => undefined);
    if (!consumer) return [];
    const seqs: number[] = [];
    for (let pending = (await consumer.info()).num_pending; pending > 0; ) {
      const msg = await consumer.next({ expires: 5_000 });
      if (!msg) break;
      seqs.push(Number(fromBinary(ExecutionEventSchema, msg.data).sequence));
      pending = msg.info.pending;
    }
    return seqs;
  };

  beforeAll(async () => {
    nc = await connect({ servers: inject('natsUrl') });
    // The stand-in registry: lists the agents this file declared.
    nc.subscribe(subjects.registry('list'), { queue: `executor-int-${process.pid}`, callback: (_err, msg) => {
        msg.respond(toBinary(ListAgentsResponseSchema, create(ListAgentsResponseSchema, { instances: [...agents.values()] })));
      },
    });
    databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'engine');
    await runMigrations(orchestratorDataSource(databaseUrl));
    orchestrator = await startOrchestrator(env({ REPLICA_ID: 'engine-a' }));
    executions = orchestrator.app.get(ExecutionsService);
    repository = orchestrator.app.get(ExecutionsRepository);
  });

  afterAll(async () => {
    await orchestrator?.close();
    await nc?.close();
  });

  it('keeps no more than NODE_PARALLELISM nodes of an execution in flight', async () => {
    const agent = new HeldAgent(nc, 'par-agent');
    const nodes = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, agent: 'par-agent', inputs: {} }));
    const execution = await run({ nodes });
    let maxRunning = 0;
    for (let released = 0; released < nodes.length; ) {
      // A node's start is committed before it is dispatched: what is running in Postgres is what is in flight.
      await waitFor(() => agent.held.length > 0, { timeoutMs: 20_000, what: 'a dispatch' });
      const running = (await nodeRuns(execution.id)).filter((r) => r.state === 'running').length;
      maxRunning = Math.max(maxRunning, running, agent.held.length);
      released += agent.held.length;
      agent.releaseAll();
    }
    expect((await settled('acme', execution.id)).state).toBe('DONE');
    expect(maxRunning).toBe(2);
  });

  it('refuses at dispatch time a node outside the flow scopes, another tenant\'s agent, and an agent with no healthy instance', async () => {
    // Each agent would answer at once: only the dispatch-time check stands between the node and success.
    new HeldAgent(nc, 'scoped-out', true);
    new HeldAgent(nc, 'sick', true);
    builtIn('sick', AgentState.UNHEALTHY);
    const foreign = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ output: { ok: true } })));
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    thirdParty('globex-agent', 'globex', `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`);
    await orchestrator.app.get(AgentSecretsRepository).put(repository.db, 'acme', 'globex-agent', orchestrator.app.get(SecretBox).seal('a-secret'));
    try {
      const failureOf = async (flow: Json) => {
        const done = await settled('acme', (await run(flow)).id);
        expect(done.state).toBe('FAILED');
        return done.error as { code: string; message: string; nodeId: string };
      };
      expect(await failureOf({ scopes: { allowedAgents: ['someone-else'] }, nodes: [{ id: 'n', agent: 'scoped-out', inputs: {} }] })).toMatchObject({
        code: 'PERMISSION_DENIED', nodeId: 'n', message: "node 'n': agent 'scoped-out' is outside the flow's scopes",
      });
      expect(await failureOf({ nodes: [{ id: 'n', agent: 'globex-agent', inputs: {} }] })).toMatchObject({ code: 'AGENT_UNAVAILABLE', message: "agent 'globex-agent' is not registered" });
      expect(await failureOf({ nodes: [{ id: 'n', agent: 'sick', inputs: {} }] })).toMatchObject({ code: 'AGENT_UNAVAILABLE', message: "agent 'sick' has no healthy instance" });
    } finally {
      foreign.close();
    }
  });

  it('aborts the HTTP request of a running third-party agent when the execution is cancelled', async () => {
    const requests: { req: IncomingMessage; res: ServerResponse; aborted: boolean }[] = [];
    const server: Server = createServer((req, res) => {
      const r = { req, res, aborted: false };
      res.on('close', () => (r.aborted = !res.writableEnded));
      requests.push(r); // never answered: the agent is still working when the cancel comes
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    thirdParty('slow-http', 'acme', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await orchestrator.app.get(AgentSecretsRepository).put(repository.db, 'acme', 'slow-http', orchestrator.app.get(SecretBox).seal('a-secret'));
    try {
      const execution = await run({ nodes: [{ id: 'n', agent: 'slow-http', inputs: {}, timeoutMs: 60_000 }] });
      await waitFor(() => requests.length === 1, { timeoutMs: 20_000, what: 'the agent called' });
      expect((await executions.cancel('acme', execution.id)).cancelRequested).toBe(true);
      await waitFor(() => requests[0]!.aborted, { timeoutMs: 20_000, what: 'the agent call aborted' });
      expect((await settled('acme', execution.id)).state).toBe('CANCELLED');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('publishes to JetStream, once each, the events a replica committed and never published, when another replica resumes the execution', async () => {
    const agent = new HeldAgent(nc, 'outbox-agent');
    const crashed = await startOrchestrator(env({ REPLICA_ID: 'engine-crashed', CLAIM_INTERVAL_MS: '600000' }));
    // This replica commits its steps but dies before publishing any of them.
    crashed.app.get(EventPublisher).publish = () => Promise.reject(new Error('replica died before publishing'));
    const crashedRepo = crashed.app.get(ExecutionsRepository);
    const id = `f${++version}`;
    await crashedRepo.saveFlowVersion(crashedRepo.db, 'acme', id, 1, { id, nodes: [{ id: 'a', agent: 'outbox-agent', inputs: {} }, { id: 'b', agent: 'outbox-agent', inputs: {}, dependsOn: ['a'] }, { id: 'c', agent: 'outbox-agent', inputs: {}, dependsOn: ['b'] }] });
    // Only the crashing replica may hold it: the other one is not claiming while it starts.
    const execution = await crashed.app.get(ExecutionsService).start('acme', id, { content: 'hi' });
    await waitFor(() => agent.held.length === 1, { timeoutMs: 20_000, what: 'node a dispatched' });
    agent.releaseAll(); // a's finish and b's start are committed; none of it reaches JetStream
    await waitFor(() => agent.held.length === 1, { timeoutMs: 20_000, what: 'node b dispatched' });
    const committed = await repository.eventsAfter('acme', execution.id, 0);
    expect(committed.map((e) => e.type)).toEqual(['state_changed', 'node_started', 'node_completed', 'node_started']);
    expect(await published(execution.id)).toEqual([]);
    agent.held.splice(0); // the dead replica's call of b goes unanswered
    await crashed.close(); // gives the lease up; the surviving replica claims the execution and runs b again
    await waitFor(() => agent.held.length === 1, { timeoutMs: 30_000, what: 'node b dispatched again by the survivor' });
    agent.releaseAll(); // the survivor's first commit (b's finish, c's start) publishes what it found unpublished
    await waitFor(() => agent.held.length === 1, { timeoutMs: 20_000, what: 'node c dispatched' });
    // Still running, so the sweeper (settled executions only) has not touched it: these come from the resume.
    const sofar = (await repository.eventsAfter('acme', execution.id, 0)).length;
    await waitFor(async () => (await published(execution.id)).length >= sofar, { timeoutMs: 20_000, what: 'the committed events published on resume' });
    expect(await published(execution.id)).toEqual(Array.from({ length: sofar }, (_, i) => i + 1));
    agent.releaseAll();
    expect((await settled('acme', execution.id)).state).toBe('DONE');
    const last = (await repository.eventsAfter('acme', execution.id, 0)).at(-1)!.seq;
    await waitFor(async () => (await published(execution.id)).length >= last, { timeoutMs: 20_000, what: 'every event published' });
    expect(await published(execution.id)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
  });
});
