import { create } from '@bufbuild/protobuf';
import { Client, credentials, Metadata, status } from '@grpc/grpc-js';
import { agentServiceDefinition, packJson, sign, SIGNATURE_HEADER } from '@spine/agent-sdk';
import { ErrorCode, InvokeRequestSchema, SpineError } from '@spine/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnAgent, type SpawnedAgent } from '../../fixtures/spawn-agent.js';
import { EndpointPolicy } from './endpoint-policy.js';
import { GrpcAgentInvoker } from './grpc-agent.invoker.js';
import { probeGrpc } from './probes.js';

const SECRET = 'fixture-secret';
const outputSchema = { type: 'object', required: ['echo'], properties: { echo: { type: 'string' } } };

async function failure(p: Promise<unknown>): Promise<SpineError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(SpineError);
  return err as SpineError;
}

describe('GrpcAgentInvoker against an SDK agent in its own process', () => {
  let agent: SpawnedAgent;
  let endpoint: string;
  const invoker = new GrpcAgentInvoker();
  const call = (input: unknown, extra: { timeoutMs?: number; signal?: AbortSignal; secret?: string } = {}) =>
    invoker.invoke({ endpoint, secret: extra.secret ?? SECRET, input, context: { user: 'ana' }, config: { max_turns: 5 }, timeoutMs: extra.timeoutMs ?? 5_000, outputSchema, ...(extra.signal ? { signal: extra.signal } : {}) });

  beforeAll(async () => {
    agent = await spawnAgent('grpc');
    endpoint = `grpc://127.0.0.1:${agent.port}`;
  });
  afterAll(async () => {
    invoker.close();
    await agent?.stop('SIGKILL');
  });

  it('signs the call: Invoke returns output and usage; context and config reach the handler', async () => {
    await expect(call({ mode: 'echo', text: 'hola' })).resolves.toEqual({
      output: { echo: 'hola', context: { user: 'ana' }, config: { max_turns: 5 }, pid: agent.child.pid },
      usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5, model: 'fixture' },
    });
  });

  it('InvokeStream delivers the deltas, then the result', async () => {
    const deltas: string[] = [];
    const result = await invoker.invokeStream({ endpoint, secret: SECRET, input: { mode: 'stream', text: 'uno dos tres' }, timeoutMs: 5_000, outputSchema }, (d) => deltas.push(d));
    expect(deltas).toEqual(['uno ', 'dos ', 'tres ']);
    expect(result).toEqual({ output: { echo: 'uno dos tres' } });
  });

  // The agent would sleep two minutes: only the invoker's deadline (or the caller's signal) can end these calls.
  it('a slow agent → TIMEOUT (deadline), retryable', async () => {
    expect(await failure(call({ mode: 'slow', ms: 120_000 }, { timeoutMs: 300 }))).toMatchObject({ code: ErrorCode.TIMEOUT, retryable: true });
  });

  it('the execution cancelled → CANCELLED, not retryable', async () => {
    expect(await failure(call({ mode: 'slow', ms: 120_000 }, { signal: AbortSignal.timeout(200) }))).toMatchObject({ code: ErrorCode.CANCELLED, retryable: false });
  });

  it('output violating outputSchema → SCHEMA_VIOLATION with the ajv path', async () => {
    expect(await failure(call({ mode: 'bad-output' }))).toMatchObject({ code: ErrorCode.SCHEMA_VIOLATION, retryable: false, details: expect.objectContaining({ path: '/echo' }) });
  });

  it('a handler crash → INTERNAL, retryable, without the agent internals', async () => {
    const err = await failure(call({ mode: 'fail' }));
    expect(err).toMatchObject({ code: ErrorCode.INTERNAL, retryable: true, message: 'internal error' });
  });

  it("a typed handler error keeps the agent's code, message and details", async () => {
    expect(await failure(call({ mode: 'reject' }))).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, retryable: false, message: 'text is required', details: { field: 'text' } });
  });

  it('a wrong secret or no signature is refused by the SDK → UNAUTHENTICATED, not retryable; streams too', async () => {
    for (const secret of ['stolen', '']) {
      expect(await failure(call({ mode: 'echo' }, { secret }))).toMatchObject({ code: ErrorCode.UNAUTHENTICATED, retryable: false, message: expect.stringContaining(secret ? 'mismatch' : 'missing') });
    }
    const stream = invoker.invokeStream({ endpoint, secret: 'stolen', input: { mode: 'stream', text: 'x' }, timeoutMs: 5_000 }, () => undefined);
    expect(await failure(stream)).toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
  });

  it('a stale signature, or one over other bytes, is refused', async () => {
    const client = new Client(`127.0.0.1:${agent.port}`, credentials.createInsecure());
    const method = agentServiceDefinition.invoke;
    const bytes = method.requestSerialize(create(InvokeRequestSchema, { input: packJson({ mode: 'echo', text: 'hola' }) }));
    const other = method.requestSerialize(create(InvokeRequestSchema, { input: packJson({ mode: 'echo', text: 'adiós' }) }));
    const send = (signature: string) =>
      new Promise<{ code?: number; details?: string }>((resolve) => {
        const metadata = new Metadata();
        metadata.set(SIGNATURE_HEADER, signature);
        client.makeUnaryRequest(method.path, () => bytes, method.responseDeserialize, null, metadata, { deadline: Date.now() + 5_000 }, (err) => resolve(err ?? {}));
      });
    try {
      expect(await send(sign(SECRET, bytes, Date.now() - 6 * 60_000))).toMatchObject({ code: status.UNAUTHENTICATED, details: 'bad request signature: stale' });
      expect(await send(sign(SECRET, other))).toMatchObject({ code: status.UNAUTHENTICATED, details: 'bad request signature: mismatch' });
      expect(await send(sign(SECRET, bytes))).toEqual({});
    } finally {
      client.close();
    }
  });

  it('nobody listening → AGENT_UNAVAILABLE, retryable', async () => {
    const err = await failure(invoker.invoke({ endpoint: 'grpc://127.0.0.1:1', input: {}, timeoutMs: 2_000 }));
    expect(err).toMatchObject({ code: ErrorCode.AGENT_UNAVAILABLE, retryable: true });
  });

  it('with a policy, refuses a host that resolves to a non-allowed address and pins allowed ones', async () => {
    const resolve = async () => ['127.0.0.1'];
    const refused = new GrpcAgentInvoker({ policy: new EndpointPolicy({ resolve }) });
    const allowed = new GrpcAgentInvoker({ policy: new EndpointPolicy({ resolve, allow: ['127.0.0.1'] }) });
    const req = { endpoint: `grpc://agent.test:${agent.port}`, secret: SECRET, input: { text: 'x' }, timeoutMs: 5_000 };
    expect(await failure(refused.invoke(req))).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, details: { field: 'endpoint', reason: 'loopback' } });
    await expect(allowed.invoke(req)).resolves.toMatchObject({ output: { echo: 'x' } });
    refused.close();
    allowed.close();
  });
});

describe('gRPC probes and shutdown', () => {
  it('stopped agent → probe unhealthy; restarted on the same port → healthy', async () => {
    const first = await spawnAgent('grpc');
    const endpoint = `127.0.0.1:${first.port}`;
    expect(await probeGrpc(endpoint, 1_000)).toMatchObject({ healthy: true });
    await first.stop('SIGKILL');
    expect(await probeGrpc(endpoint, 1_000)).toMatchObject({ healthy: false });
    const second = await spawnAgent('grpc', { port: first.port });
    try {
      expect(await probeGrpc(endpoint, 1_000)).toMatchObject({ healthy: true });
    } finally {
      await second.stop('SIGKILL');
    }
  });

  it('SIGTERM lets the in-flight call finish, then the process exits 0', async () => {
    const agent = await spawnAgent('grpc');
    const invoker = new GrpcAgentInvoker();
    const endpoint = `grpc://127.0.0.1:${agent.port}`;
    const inFlight = invoker.invoke({ endpoint, secret: SECRET, input: { mode: 'slow', ms: 800, text: 'in-flight' }, timeoutMs: 5_000 });
    await agent.printed('SLOW STARTED in-flight'); // the agent has the call: SIGTERM now reaches it mid-call
    const exit = agent.stop('SIGTERM');
    await expect(inFlight).resolves.toEqual({ output: { echo: 'slept' } });
    expect(await exit).toBe(0);
    expect(await probeGrpc(endpoint, 500)).toMatchObject({ healthy: false });
    invoker.close();
  });
});
