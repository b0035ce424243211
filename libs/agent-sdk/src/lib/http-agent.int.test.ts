import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { httpAgent } from './http-agent.js';
import { sign } from './signature.js';
import type { AgentHandler, AgentServer } from '../index.js';

const secret = 'test-secret';
let running: AgentServer | undefined;

async function start(handler: AgentHandler<{ n: number }>, input?: { parse(v: unknown): { n: number } }): Promise<string> {
  running = httpAgent({ name: 'test', secret, handler, port: 0, host: '127.0.0.1', handleSignals: false, shutdownGraceMs: 2_000, ...(input ? { input } : {}) });
  return `http://127.0.0.1:${await running.listen()}`;
}

function post(base: string, payload: unknown): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${base}/process`, { method: 'POST', body, headers: { 'x-spine-signature': sign(secret, body) } });
}

afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('httpAgent', () => {
  it('answers { output, usage } and health', async () => {
    const base = await start(({ input }) => ({ output: { double: input.n * 2 }, usage: { totalTokens: 1 } }));
    const res = await post(base, { input: { n: 21 } });
    expect([res.status, await res.json()]).toEqual([200, { output: { double: 42 }, usage: { totalTokens: 1 } }]);
    const health = await fetch(`${base}/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok', name: 'test' }]);
  });

  it('runs the input parser: a throw answers 400 INVALID_ARGUMENT on field input', async () => {
    const parser = { parse: (v: unknown) => { if (typeof (v as { n?: unknown })?.n !== 'number') throw new Error('n must be a number'); return v as { n: number }; } };
    const base = await start(({ input }) => ({ output: input.n }), parser);
    const res = await post(base, { input: { n: 'x' } });
    expect([res.status, await res.json()]).toEqual([400, { code: 'INVALID_ARGUMENT', message: 'input is invalid: n must be a number', details: { field: 'input' } }]);
  });

  it('refuses a body without input, unknown routes and other methods with coded JSON', async () => {
    const base = await start(() => ({ output: null }));
    const noInput = await post(base, { context: {} });
    expect([noInput.status, ((await noInput.json()) as { details: unknown }).details]).toEqual([400, { field: 'input' }]);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/process`)).status).toBe(400);
  });

  it('on close: the in-flight call finishes, then new connections are refused', async () => {
    let handling: () => void = () => undefined;
    const handlerHasIt = new Promise<void>((resolve) => (handling = resolve));
    const base = await start(async ({ input }) => {
      handling();
      await sleep(400);
      return { output: input.n };
    });
    const inFlight = post(base, { input: { n: 7 } });
    await handlerHasIt; // the call is in flight in the handler: close() now must let it finish
    const closed = running!.close();
    const res = await inFlight;
    expect([res.status, await res.json()]).toEqual([200, { output: 7 }]);
    await closed;
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  });
});
