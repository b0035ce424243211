import { create, fromBinary, toBinary, type DescMessage, type JsonObject, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import { StructSchema, type Struct } from '@bufbuild/protobuf/wkt';
import { Client, credentials, Metadata, status, type MethodDefinition, type ServiceError } from '@grpc/grpc-js';
import { Controller, Injectable, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { bootstrapAgent, defineAgent, type AgentHandler, type InvokeContext, type RunningAgent } from '@spine/agent-kit';
import {
  AgentState, DeregisterRequestSchema, ErrorCode, ErrorSchema, ExecutionState, HeartbeatRequestSchema, ListAgentsRequestSchema, ListAgentsResponseSchema,
  NodeRunState, OrchestratorService, RegisterRequestSchema, RegisterResponseSchema, subjects, type AgentInstance, type DeregisterRequest, type HeartbeatRequest,
  type RegisterRequest, type StreamExecutionResponse,
} from '@spine/contracts';
import { NatsProtoServer, ProtoPipe } from '@spine/messaging';
import { SpineExceptionFilter } from '@spine/observability';
import { runMigrations } from '@spine/persistence';
import { createDatabase, waitFor } from '@spine/testing';
import { service as healthService } from 'grpc-health-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { startOrchestrator, type RunningOrchestrator } from '../orchestrator.app.js';
import { loadConfig } from '../orchestrator.config.js';
import { orchestratorDataSource } from '../orchestrator.module.js';

// ---- A stand-in registry on NATS: keeps what agents register and lists them healthy, as the real one does.
const instances = new Map<string, AgentInstance>();

@Controller()
class FakeRegistry {
  @MessagePattern(subjects.registry('register'))
  register(@Payload(new ProtoPipe(RegisterRequestSchema)) req: RegisterRequest) {
    instances.set(req.instanceId, { $typeName: 'spine.registry.v1.AgentInstance', instanceId: req.instanceId, card: req.card, state: AgentState.HEALTHY } as AgentInstance);
    return create(RegisterResponseSchema, { heartbeatIntervalMs: 200 });
  }

  @MessagePattern(subjects.registry('heartbeat'))
  heartbeat(@Payload(new ProtoPipe(HeartbeatRequestSchema)) req: HeartbeatRequest) {
    return { $typeName: 'spine.registry.v1.HeartbeatResponse', known: instances.has(req.instanceId) };
  }

  @MessagePattern(subjects.registry('deregister'))
  deregister(@Payload(new ProtoPipe(DeregisterRequestSchema)) req: DeregisterRequest) {
    return { $typeName: 'spine.registry.v1.DeregisterResponse', found: instances.delete(req.instanceId) };
  }

  @MessagePattern(subjects.registry('list'))
  list(@Payload(new ProtoPipe(ListAgentsRequestSchema)) _req: unknown) {
    return create(ListAgentsResponseSchema, { instances: [...instances.values()] });
  }
}

@Module({ controllers: [FakeRegistry] })
class FakeRegistryModule {}

// ---- A Struct-in, Struct-out agent on agent-kit that echoes what it got and which node it ran.
const echoAgent = defineAgent({ name: 'grpc-echo', version: '0.0.1', description: 'echo', capabilities: [], input: StructSchema, output: StructSchema });

@Injectable()
class EchoHandler implements AgentHandler<typeof StructSchema, typeof StructSchema> {
  handle(message: Struct, ctx: InvokeContext): Promise<Struct> {
    return Promise.resolve(create(StructSchema, { fields: { ...message.fields, node: { kind: { case: 'stringValue', value: ctx.nodeId } } } }));
  }
}

@Module({ providers: [EchoHandler], exports: [EchoHandler] })
class EchoModule {}

// ---- The client a third party writes: the protobuf-es descriptors generated from orchestrator.proto, on @grpc/grpc-js.
type Methods = typeof OrchestratorService.method;
type UnaryName = { [K in keyof Methods]: Methods[K]['methodKind'] extends 'unary' ? K : never }[keyof Methods];

function methodOf<I extends DescMessage, O extends DescMessage>(name: string, input: I, output: O): MethodDefinition<MessageShape<I>, MessageShape<O>> {
  return {
    path: `/${OrchestratorService.typeName}/${name}`,
    requestStream: false,
    responseStream: false,
    requestSerialize: (m) => Buffer.from(toBinary(input, m)),
    requestDeserialize: (b) => fromBinary(input, b),
    responseSerialize: (m) => Buffer.from(toBinary(output, m)),
    responseDeserialize: (b) => fromBinary(output, b),
  };
}

class OrchestratorClient {
  constructor(
    private readonly client: Client,
    private readonly token: string | undefined,
  ) {}

  private metadata(): Metadata {
    const md = new Metadata();
    if (this.token) md.set('authorization', `Bearer ${this.token}`);
    return md;
  }

  call<K extends UnaryName>(name: K, request: MessageInitShape<Methods[K]['input']>): Promise<MessageShape<Methods[K]['output']>> {
    const desc = OrchestratorService.method[name];
    const m = methodOf(desc.name, desc.input, desc.output);
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(m.path, m.requestSerialize, m.responseDeserialize, create(desc.input, request as never), this.metadata(), (err: ServiceError | null, res?: unknown) =>
        err ? reject(err) : resolve(res as MessageShape<Methods[K]['output']>),
      );
    });
  }

  /** Every update of StreamExecution until the server ends the stream. */
  stream(executionId: string, resumeFrom = ''): Promise<StreamExecutionResponse[]> {
    const desc = OrchestratorService.method.streamExecution;
    const m = methodOf(desc.name, desc.input, desc.output);
    const call = this.client.makeServerStreamRequest(m.path, m.requestSerialize, m.responseDeserialize, create(desc.input, { executionId, resumeFrom }), this.metadata(), { deadline: Date.now() + 30_000 });
    const updates: StreamExecutionResponse[] = [];
    return new Promise((resolve, reject) => {
      call.on('data', (u: StreamExecutionResponse) => updates.push(u));
      call.on('error', reject);
      call.on('end', () => resolve(updates));
    });
  }
}

/** The status of a failed call, with the Spine error the server put in the trailers. */
async function failure(promise: Promise<unknown>) {
  const err = (await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  )) as ServiceError;
  const bin = err.metadata?.get('spine-error-bin')[0];
  return { code: err.code, message: err.details, spineCode: err.metadata?.get('spine-error-code')[0], error: bin ? fromBinary(ErrorSchema, bin as Buffer) : undefined };
}

const twoNodes = (id: string): JsonObject => ({
  id,
  nodes: [
    { id: 'first', agent: 'grpc-echo', inputs: { text: '{{ trigger.content }}' } },
    { id: 'second', agent: 'grpc-echo', dependsOn: ['first'], inputs: { previous: '{{ first.node }}', text: '{{ first.text }}' } },
  ],
});
const stateOfUpdate = (u: StreamExecutionResponse) => (u.update.case === 'event' && u.update.value.kind.case === 'stateChanged' ? u.update.value.kind.value.current : undefined);

describe('public gRPC API (spine.orchestrator.v1.OrchestratorService)', () => {
  let registry: INestMicroservice;
  let agent: RunningAgent;
  let orchestrator: RunningOrchestrator;
  let channel: Client;
  let admin: OrchestratorClient;
  let client: OrchestratorClient;
  let otherTenant: OrchestratorClient;
  let anonymous: OrchestratorClient;

  beforeAll(async () => {
    const natsUrl = inject('natsUrl');
    registry = await NestFactory.createMicroservice(FakeRegistryModule, { strategy: new NatsProtoServer({ servers: natsUrl, name: 'fake-registry', queue: `registry-${Date.now()}` }), logger: false });
    registry.useGlobalFilters(new SpineExceptionFilter());
    await registry.listen();
    const env = { NATS_URL: natsUrl, HTTP_PORT: '0', LOG_LEVEL: 'error', HEARTBEAT_INTERVAL_MS: '200', SHUTDOWN_GRACE_MS: '500', REGISTRY_TIMEOUT_MS: '500' };
    agent = await bootstrapAgent({ agent: echoAgent, module: EchoModule, handler: EchoHandler, env, handleSignals: false });
    await waitFor(() => [...instances.values()].some((i) => i.card?.name === 'grpc-echo'), { what: 'grpc-echo registered' });

    const databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'orch');
    await runMigrations(orchestratorDataSource(databaseUrl));
    orchestrator = await startOrchestrator(loadConfig({ NATS_URL: natsUrl, DATABASE_URL: databaseUrl, HTTP_PORT: '0', GRPC_PORT: '0', LOG_LEVEL: 'error' }));
    const keys = orchestrator.app.get(ApiKeysService);
    channel = new Client(orchestrator.grpcAddress, credentials.createInsecure());
    admin = new OrchestratorClient(channel, (await keys.create('acme', 'admin', 'grpc admin')).token);
    client = new OrchestratorClient(channel, (await keys.create('acme', 'client', 'grpc client')).token);
    otherTenant = new OrchestratorClient(channel, (await keys.create('globex', 'admin', 'other tenant')).token);
    anonymous = new OrchestratorClient(channel, undefined);
    // The flow the run, read, tenant and conversation tests share, deployed here: tests run in any order.
    await admin.call('deployFlow', { flow: { document: { case: 'definition', value: twoNodes('grpc-two') } } });
  });

  afterAll(async () => {
    channel?.close();
    await orchestrator?.close();
    await agent?.shutdown();
    await registry?.close();
  });

  it('deploys a flow, runs it, and streams its events in order up to DONE; resuming from a position continues with no gap or duplicate', async () => {
    const deployed = await admin.call('deployFlow', { flow: { document: { case: 'definition', value: twoNodes('grpc-deployed') } } });
    expect(deployed.flow).toMatchObject({ id: 'grpc-deployed', version: 1, nodes: [{ id: 'first', agent: 'grpc-echo' }, { id: 'second', dependsOn: ['first'] }] });

    const started = await client.call('startExecution', { flowId: 'grpc-deployed', input: { content: 'hola' } });
    const executionId = started.execution!.id;
    expect(started.execution).toMatchObject({ flowId: 'grpc-deployed', flowVersion: 1 });

    const updates = await client.stream(executionId);
    const events = updates.flatMap((u) => (u.update.case === 'event' ? [u.update.value] : []));
    expect(events.map((e) => Number(e.sequence))).toEqual(events.map((_, i) => i + 1));
    expect(events.every((e) => e.executionId === executionId && e.tenantId === 'acme')).toBe(true);
    const nodeEvents = events.flatMap((e) => (e.kind.case === 'nodeStarted' || e.kind.case === 'nodeCompleted' ? [`${e.kind.case}:${e.kind.value.nodeId}`] : []));
    expect(nodeEvents).toEqual(['nodeStarted:first', 'nodeCompleted:first', 'nodeStarted:second', 'nodeCompleted:second']);
    expect(stateOfUpdate(updates.at(-1)!)).toBe(ExecutionState.DONE);
    const second = events.find((e) => e.kind.case === 'nodeCompleted' && e.kind.value.nodeId === 'second');
    expect(second?.kind.value).toMatchObject({ output: { previous: 'first', text: 'hola', node: 'second' } });

    const cut = 2;
    const resumed = await client.stream(executionId, updates[cut]!.position);
    expect(resumed.map((u) => u.position)).toEqual(updates.slice(cut + 1).map((u) => u.position));
  });

  it('shows every node of the execution with its input, output, attempts and timings', async () => {
    const { execution } = await client.call('startExecution', { flowId: 'grpc-two', input: { content: 'adiós' }, wait: true });
    expect(execution?.state).toBe(ExecutionState.DONE);
    const { execution: read } = await client.call('getExecution', { executionId: execution!.id });
    expect(read?.state).toBe(ExecutionState.DONE);
    expect(read?.nodes.map((n) => [n.nodeId, n.state, n.attempts])).toEqual([
      ['first', NodeRunState.SUCCEEDED, 1],
      ['second', NodeRunState.SUCCEEDED, 1],
    ]);
    const second = read!.nodes[1]!;
    expect(second.input?.kind).toMatchObject({ case: 'structValue', value: { fields: { previous: { kind: { case: 'stringValue', value: 'first' } } } } });
    expect(second.output?.kind).toMatchObject({ case: 'structValue', value: { fields: { text: { kind: { case: 'stringValue', value: 'adiós' } } } } });
    expect(second.durationMs).toBeGreaterThanOrEqual(0);
    expect(second.startedAt && second.finishedAt).toBeTruthy();
  });

  it('answers UNAUTHENTICATED without a key or with a bad one', async () => {
    for (const caller of [anonymous, new OrchestratorClient(channel, 'spk_nope')]) {
      expect(await failure(caller.call('listFlows', {}))).toMatchObject({ code: status.UNAUTHENTICATED, spineCode: 'UNAUTHENTICATED' });
      await expect(caller.stream('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
    }
  });

  it('answers PERMISSION_DENIED to a client key that deploys, and stores nothing', async () => {
    const denied = await failure(client.call('deployFlow', { flow: { document: { case: 'definition', value: twoNodes('by-client') } } }));
    expect(denied).toMatchObject({ code: status.PERMISSION_DENIED, spineCode: 'PERMISSION_DENIED' });
    expect(await failure(admin.call('getFlow', { flowId: 'by-client' }))).toMatchObject({ code: status.NOT_FOUND });
  });

  it("answers NOT_FOUND for another tenant's execution, whatever the call", async () => {
    const { execution } = await client.call('startExecution', { flowId: 'grpc-two', input: { content: 'mine' }, wait: true });
    const id = execution!.id;
    expect(await failure(otherTenant.call('getExecution', { executionId: id }))).toMatchObject({ code: status.NOT_FOUND, spineCode: 'NOT_FOUND' });
    expect(await failure(otherTenant.call('cancelExecution', { executionId: id }))).toMatchObject({ code: status.NOT_FOUND });
    await expect(otherTenant.stream(id)).rejects.toMatchObject({ code: status.NOT_FOUND });
    expect(await failure(otherTenant.call('getFlow', { flowId: 'grpc-two' }))).toMatchObject({ code: status.NOT_FOUND });
    expect((await otherTenant.call('listFlows', {})).flows).toEqual([]);
  });

  it('rejects a bad flow with INVALID_ARGUMENT naming every issue and its path; ValidateFlow lists the same issues', async () => {
    const bad = { id: 'bad', nodes: [{ id: 'x', agent: 'no-such-agent', dependsOn: ['y'] }, { id: 'y', agent: 'grpc-echo', dependsOn: ['x'] }] };
    const rejected = await failure(admin.call('deployFlow', { flow: { document: { case: 'text', value: JSON.stringify(bad) } } }));
    expect(rejected).toMatchObject({ code: status.INVALID_ARGUMENT, spineCode: 'INVALID_ARGUMENT' });
    expect(rejected.message).toMatch(/no-such-agent/);
    expect(rejected.message).toMatch(/cycle/i);
    expect(rejected.error?.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(Object.keys(rejected.error?.details ?? {})).toContain('nodes[0].agent');

    const validated = await client.call('validateFlow', { flow: { document: { case: 'definition', value: bad as JsonObject } } });
    expect(validated.valid).toBe(false);
    expect(validated.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'UNKNOWN_AGENT', path: 'nodes[0].agent' })]));
    expect(await failure(admin.call('deployFlow', {}))).toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('takes a YAML flow as text and lists the versions', async () => {
    // A flow of its own: version 2 here must not change the flow the other tests run.
    await admin.call('deployFlow', { flow: { document: { case: 'definition', value: twoNodes('grpc-yaml') } } });
    const yaml = 'id: grpc-yaml\nnodes:\n  - id: first\n    agent: grpc-echo\n  - id: second\n    agent: grpc-echo\n    dependsOn: [first]\n';
    const deployed = await admin.call('deployFlow', { flow: { document: { case: 'text', value: yaml } } });
    expect(deployed.flow).toMatchObject({ id: 'grpc-yaml', version: 2 });
    expect((await client.call('getFlow', { flowId: 'grpc-yaml', version: 1 })).flow?.version).toBe(1);
    expect((await client.call('listFlows', {})).flows).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'grpc-yaml', latestVersion: 2, versions: 2 })]));
  });

  it('creates a conversation, sends a message that runs its flow, and reads it back', async () => {
    const { conversation } = await client.call('createConversation', { flowId: 'grpc-two', userId: 'ana' });
    const sent = await client.call('sendMessage', { conversationId: conversation!.id, text: 'hola desde gRPC' });
    expect(sent.executionId).toMatch(/^[0-9a-f-]{36}$/);
    const updates = await client.stream(sent.executionId);
    expect(stateOfUpdate(updates.at(-1)!)).toBe(ExecutionState.DONE);
    const read = await client.call('getConversation', { conversationId: conversation!.id });
    expect(read.conversation?.messages).toEqual([expect.objectContaining({ role: 'user', text: 'hola desde gRPC', executionId: sent.executionId })]);
    expect(await failure(otherTenant.call('getConversation', { conversationId: conversation!.id }))).toMatchObject({ code: status.NOT_FOUND });
    expect(await failure(client.call('sendMessage', { conversationId: conversation!.id, text: '  ' }))).toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('answers INVALID_ARGUMENT, storing nothing, for a NUL in a message or in a Struct input', async () => {
    const { conversation } = await client.call('createConversation', { flowId: 'grpc-two', userId: 'nul' });
    const nul = await failure(client.call('sendMessage', { conversationId: conversation!.id, text: 'hola\u0000' }));
    expect(nul).toMatchObject({ code: status.INVALID_ARGUMENT, error: { details: { field: 'request.text' } } });
    expect((await client.call('getConversation', { conversationId: conversation!.id })).conversation?.messages).toEqual([]);
    const input = await failure(client.call('startExecution', { flowId: 'grpc-two', input: { content: 'a\u0000b' } }));
    expect(input).toMatchObject({ code: status.INVALID_ARGUMENT, error: { details: { field: 'request.input.content' } } });
  });

  it('lists, reads and decides a human task (reviewer role, validated, once only); the execution then ends DONE', async () => {
    const keys = orchestrator.app.get(ApiKeysService);
    const reviewer = new OrchestratorClient(channel, (await keys.create('acme', 'reviewer', 'grpc reviewer')).token);
    const flow: JsonObject = {
      id: 'grpc-review',
      nodes: [
        { id: 'first', agent: 'grpc-echo', inputs: { text: '{{ trigger.content }}' } },
        { id: 'review', kind: 'human', dependsOn: ['first'], inputs: { draft: '{{ first.text }}' }, prompt: 'Send it?', editSchema: { type: 'object', properties: { draft: { type: 'string', minLength: 3 } }, required: ['draft'] } },
      ],
    };
    await admin.call('deployFlow', { flow: { document: { case: 'definition', value: flow } } });
    const { execution } = await client.call('startExecution', { flowId: 'grpc-review', input: { content: 'borrador' } });
    const executionId = execution!.id;
    const listed = await waitFor(async () => (await reviewer.call('listHumanTasks', { executionId })).tasks[0], { what: 'the human task listed' });
    expect(listed).toMatchObject({ executionId, nodeId: 'review', flowId: 'grpc-review', prompt: 'Send it?', state: 'open', assigneeRole: 'reviewer', decisions: ['approve', 'reject', 'edit'] });
    expect(listed.data?.kind).toMatchObject({ case: 'structValue', value: { fields: { draft: { kind: { case: 'stringValue', value: 'borrador' } } } } });
    expect((await reviewer.call('listHumanTasks', { flowId: 'grpc-review' })).tasks.map((t) => t.id)).toContain(listed.id);
    expect((await reviewer.call('getHumanTask', { taskId: listed.id })).task?.id).toBe(listed.id);

    expect(await failure(client.call('listHumanTasks', {}))).toMatchObject({ code: status.PERMISSION_DENIED });
    expect(await failure(client.call('decideHumanTask', { taskId: listed.id, decision: 'approve' }))).toMatchObject({ code: status.PERMISSION_DENIED });
    expect(await failure(otherTenant.call('getHumanTask', { taskId: listed.id }))).toMatchObject({ code: status.NOT_FOUND });
    expect(await failure(otherTenant.call('decideHumanTask', { taskId: listed.id, decision: 'approve' }))).toMatchObject({ code: status.NOT_FOUND });
    expect((await otherTenant.call('listHumanTasks', {})).tasks).toEqual([]);
    expect(await failure(reviewer.call('decideHumanTask', { taskId: listed.id, decision: 'maybe' }))).toMatchObject({ code: status.INVALID_ARGUMENT });
    const badEdit = await failure(reviewer.call('decideHumanTask', { taskId: listed.id, decision: 'edit', data: { kind: { case: 'structValue', value: { fields: { draft: { kind: { case: 'stringValue', value: 'no' } } } } } } }));
    expect(badEdit).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(badEdit.message).toMatch(/schema/);

    const edited = { kind: { case: 'structValue', value: { fields: { draft: { kind: { case: 'stringValue', value: 'borrador final' } } } } } } as const;
    const decided = await reviewer.call('decideHumanTask', { taskId: listed.id, decision: 'edit', data: edited, comment: 'mejor así' });
    expect(decided.task).toMatchObject({ id: listed.id, state: 'decided', decision: 'edit', comment: 'mejor así' });
    expect(await failure(reviewer.call('decideHumanTask', { taskId: listed.id, decision: 'approve' }))).toMatchObject({ code: status.ALREADY_EXISTS });

    const updates = await client.stream(executionId);
    expect(stateOfUpdate(updates.at(-1)!)).toBe(ExecutionState.DONE);
    const review = (await client.call('getExecution', { executionId })).execution?.nodes.find((n) => n.nodeId === 'review');
    expect(review?.output?.kind).toMatchObject({ case: 'structValue', value: { fields: { decision: { kind: { case: 'stringValue', value: 'edit' } } } } });
    expect((await reviewer.call('listHumanTasks', { executionId })).tasks).toEqual([]);
  });

  it('serves the knowledge API to admin and knowledge-editor keys, reindex to admins only, nothing to a client key', async () => {
    const editor = new OrchestratorClient(channel, (await orchestrator.app.get(ApiKeysService).create('acme', 'knowledge-editor', 'grpc editor')).token);
    const documentId = `grpc-doc-${Date.now().toString(36)}`;
    const put = await editor.call('putKnowledgeDocument', { documentId, title: 'Holidays', content: { case: 'text', value: 'Everyone has 23 working days of holiday.' }, language: 'en', metadata: { area: documentId } });
    expect(put.document).toMatchObject({ documentId, title: 'Holidays', status: 'pending', version: 1 });
    // No retrieval agent runs here: indexing ends failed, with the reason, and the text is kept for a reindex.
    await waitFor(async () => (await editor.call('listKnowledgeDocuments', { metadata: { area: documentId }, status: 'failed' })).documents.length === 1, { what: 'the document failed' });
    expect((await failure(client.call('listKnowledgeDocuments', {})))).toMatchObject({ code: status.PERMISSION_DENIED });
    expect((await failure(editor.call('reindexKnowledge', {})))).toMatchObject({ code: status.PERMISSION_DENIED });
    expect((await admin.call('reindexKnowledge', {})).documents).toBeGreaterThanOrEqual(1);
    expect((await failure(editor.call('getKnowledgeDocument', { documentId: 'not a valid id!' })))).toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('answers grpc.health.v1 Check with SERVING', async () => {
    const check = healthService['Check'] as MethodDefinition<object, { status?: string }>;
    const res = await new Promise<{ status?: string }>((resolve, reject) => {
      channel.makeUnaryRequest(check.path, check.requestSerialize, check.responseDeserialize, { service: OrchestratorService.typeName }, new Metadata(), (err: ServiceError | null, value?: { status?: string }) =>
        err ? reject(err) : resolve(value!),
      );
    });
    expect(res.status).toBe('SERVING');
  });
});
