import { sign } from '@spine/agent-sdk';
import { ErrorCode, SpineError } from '@spine/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnAgent, type SpawnedAgent } from '../../fixtures/spawn-agent.js';
import { EndpointPolicy } from './endpoint-policy.js';
import { HttpAgentInvoker } from './http-agent.invoker.js';
import { probeHttp } from './probes.js';

const outputSchema = { type: 'object', required: ['echo'], properties: { echo: { type: 'string' } } };

async function failure(p: Promise<unknown>): Promise<SpineError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(SpineError);
  return err as SpineError;
}

describe('HttpAgentInvoker against an SDK agent in its own process', () => {
  let agent: SpawnedAgent;
  let endpoint: string;
  const invoker = new HttpAgentInvoker();
  const call = (input: unknown, extra: { timeoutMs?: number; secret?: string; signal?: AbortSignal } = {}) =>
    invoker.invoke({ endpoint, secret: extra.secret ?? 'fixture-secret', input, context: { user: 'ana' }, config: { max_turns: 5 }, timeoutMs: extra.timeoutMs ?? 5_000, outputSchema, ...(extra.signal ? { signal: extra.signal } : {}) });

  beforeAll(async () => {
    agent = await spawnAgent('http');
    endpoint = `http://127.0.0.1:${agent.port}`;
  });
  afterAll(async () => {
    await invoker.close();
    await agent?.stop('SIGKILL');
  });

  it('signs the call and returns output and usage; context and config reach the handler', async () => {
    const result = await call({ mode: 'echo', text: 'hola' });
    expect(result).toEqual({
      output: { echo: 'hola', context: { user: 'ana' }, config: { max_turns: 5 }, pid: agent.child.pid },
      usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5, model: 'fixture' },
    });
  });

  // The agent would sleep two minutes: only the invoker's deadline (or the caller's signal) can end these calls.
  it('a slow agent → TIMEOUT, retryable', async () => {
    const err = await failure(call({ mode: 'slow', ms: 120_000 }, { timeoutMs: 300 }));
    expect(err).toMatchObject({ code: ErrorCode.TIMEOUT, retryable: true });
  });

  it('the execution cancelled → CANCELLED, not retryable', async () => {
    const err = await failure(call({ mode: 'slow', ms: 120_000 }, { signal: AbortSignal.timeout(200) }));
    expect(err).toMatchObject({ code: ErrorCode.CANCELLED, retryable: false });
  });

  it('output violating outputSchema → SCHEMA_VIOLATION with the ajv path, not retryable', async () => {
    const err = await failure(call({ mode: 'bad-output' }));
    expect(err).toMatchObject({ code: ErrorCode.SCHEMA_VIOLATION, retryable: false, details: expect.objectContaining({ path: '/echo' }) });
  });

  it('a handler crash (500) → INTERNAL, retryable, without the agent internals', async () => {
    const err = await failure(call({ mode: 'fail' }));
    expect(err).toMatchObject({ code: ErrorCode.INTERNAL, retryable: true, details: expect.objectContaining({ status: '500' }) });
    expect(err.message).not.toContain('database exploded');
  });

  it("a typed 4xx → the agent's code and message, not retryable", async () => {
    const err = await failure(call({ mode: 'reject' }));
    expect(err).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, retryable: false, message: 'agent answered 400: text is required', details: expect.objectContaining({ field: 'text' }) });
  });

  it('a wrong secret is rejected by the SDK (401) → UNAUTHENTICATED, not retryable', async () => {
    const err = await failure(call({ mode: 'echo' }, { secret: 'stolen' }));
    expect(err).toMatchObject({ code: ErrorCode.UNAUTHENTICATED, retryable: false, details: expect.objectContaining({ status: '401', reason: 'mismatch' }) });
  });

  it('an unsigned, stale or oversized request is refused by the SDK', async () => {
    const body = JSON.stringify({ input: {} });
    const unsigned = await fetch(`${endpoint}/process`, { method: 'POST', body });
    expect([unsigned.status, await unsigned.json()]).toEqual([401, { code: 'UNAUTHENTICATED', message: 'bad request signature: missing', details: { reason: 'missing' } }]);
    const stale = await fetch(`${endpoint}/process`, { method: 'POST', body, headers: { 'x-spine-signature': sign('fixture-secret', body, Date.now() - 6 * 60_000) } });
    expect(stale.status).toBe(401);
    const big = JSON.stringify({ input: 'x'.repeat(100_000) });
    const tooBig = await fetch(`${endpoint}/process`, { method: 'POST', body: big, headers: { 'x-spine-signature': sign('fixture-secret', big) } });
    expect([tooBig.status, ((await tooBig.json()) as { code: string }).code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const notJson = '{"input":';
    const bad = await fetch(`${endpoint}/process`, { method: 'POST', body: notJson, headers: { 'x-spine-signature': sign('fixture-secret', notJson) } });
    expect([bad.status, ((await bad.json()) as { code: string }).code]).toEqual([400, 'INVALID_ARGUMENT']);
  });

  it('connection refused → AGENT_UNAVAILABLE, retryable', async () => {
    const err = await failure(invoker.invoke({ endpoint: 'http://127.0.0.1:1', secret: 's', input: {}, timeoutMs: 2_000 }));
    expect(err).toMatchObject({ code: ErrorCode.AGENT_UNAVAILABLE, retryable: true, details: { cause: 'ECONNREFUSED' } });
  });

  it('with a policy, re-checks DNS at connect time', async () => {
    const fakeDns = { 'agent.test': ['127.0.0.1'] } as Record<string, string[]>;
    const resolve = async (host: string) => fakeDns[host] ?? [];
    const allowed = new HttpAgentInvoker({ policy: new EndpointPolicy({ allow: ['127.0.0.1'], resolve }) });
    const refused = new HttpAgentInvoker({ policy: new EndpointPolicy({ resolve }) });
    const req = { endpoint: `http://agent.test:${agent.port}`, secret: 'fixture-secret', input: { text: 'x' }, timeoutMs: 5_000 };
    await expect(allowed.invoke(req)).resolves.toMatchObject({ output: { echo: 'x' } });
    await expect(failure(refused.invoke(req))).resolves.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, details: { field: 'endpoint', reason: 'loopback', address: '127.0.0.1' } });
    await Promise.all([allowed.close(), refused.close()]);
  });
});

describe('HTTP probes and shutdown', () => {
  it('stopped agent → probe unhealthy; restarted on the same port → healthy', async () => {
    const first = await spawnAgent('http');
    const endpoint = `http://127.0.0.1:${first.port}`;
    expect(await probeHttp(endpoint, 1_000)).toMatchObject({ healthy: true });
    await first.stop('SIGKILL');
    expect(await probeHttp(endpoint, 1_000)).toMatchObject({ healthy: false, error: 'ECONNREFUSED' });
    const second = await spawnAgent('http', { port: first.port });
    try {
      expect(await probeHttp(endpoint, 1_000)).toMatchObject({ healthy: true });
    } finally {
      await second.stop('SIGKILL');
    }
  });

  it('SIGTERM lets the in-flight call finish, then the process exits 0', async () => {
    const agent = await spawnAgent('http');
    const invoker = new HttpAgentInvoker();
    const endpoint = `http://127.0.0.1:${agent.port}`;
    const inFlight = invoker.invoke({ endpoint, secret: 'fixture-secret', input: { mode: 'slow', ms: 800, text: 'in-flight' }, timeoutMs: 5_000 });
    await agent.printed('SLOW STARTED in-flight'); // the agent has the call: SIGTERM now reaches it mid-call
    const exit = agent.stop('SIGTERM');
    await expect(inFlight).resolves.toEqual({ output: { echo: 'slept' } });
    expect(await exit).toBe(0);
    expect(await probeHttp(endpoint, 500)).toMatchObject({ healthy: false });
    await invoker.close();
  });
});
