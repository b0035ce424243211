import { create, fromJson, toBinary } from '@bufbuild/protobuf';
import { StructSchema, type Struct } from '@bufbuild/protobuf/wkt';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Injectable, Module } from '@nestjs/common';
import { CancelRequestSchema, ErrorCode, subjects } from '@spine/contracts';
import { AgentClient, ProtoClient } from '@spine/messaging';
import { waitFor } from '@spine/testing';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defineAgent, type AgentHandler, type InvokeContext } from './agent-definition.js';
import { bootstrapAgent, type RunningAgent } from './bootstrap.js';

const agent = defineAgent({ name: 'cancel-probe', version: '0.0.1', description: 'waits until cancelled', capabilities: [], input: StructSchema, output: StructSchema });

/** Waits `waitMs` (input) on the handler's signal; remembers how each run ended. */
@Injectable()
class WaitingHandler implements AgentHandler<typeof StructSchema, typeof StructSchema> {
  static readonly endings = new Map<string, string>();
  static readonly started = new Set<string>();
  static readonly runs = new Map<string, number>();

  async handle(input: Struct, ctx: InvokeContext): Promise<Struct> {
    const key = `${ctx.executionId}:${ctx.attempt}`;
    WaitingHandler.started.add(key);
    WaitingHandler.runs.set(key, (WaitingHandler.runs.get(key) ?? 0) + 1);
    const waitMs = Number((input.fields['waitMs']?.kind.value as number | undefined) ?? 0);
    try {
      await sleep(waitMs, undefined, { signal: ctx.signal });
      WaitingHandler.endings.set(key, 'finished');
      return fromJson(StructSchema, { done: true });
    } catch (err) {
      WaitingHandler.endings.set(key, `aborted: ${(ctx.signal.reason as Error | undefined)?.message ?? err}`);
      throw ctx.signal.reason;
    }
  }
}

@Module({ providers: [WaitingHandler], exports: [WaitingHandler] })
class WaitingModule {}

describe('agent-kit: a CancelRequest aborts the run it names', () => {
  let running: RunningAgent;
  let nc: NatsConnection;
  let agents: AgentClient;

  beforeAll(async () => {
    const env = { NATS_URL: inject('natsUrl'), HTTP_PORT: '0', LOG_LEVEL: 'error', REGISTRY_TIMEOUT_MS: '200' };
    running = await bootstrapAgent({ agent, module: WaitingModule, handler: WaitingHandler, env, handleSignals: false });
    nc = await connect({ servers: inject('natsUrl') });
    agents = new AgentClient(new ProtoClient(nc, 10_000));
  });

  afterAll(async () => {
    await nc?.close();
    await running?.shutdown();
  });

  const invoke = (executionId: string, waitMs: number, attempt = 1) =>
    agents.invoke(agent.name, { input: StructSchema, output: StructSchema }, { fields: { waitMs: { kind: { case: 'numberValue', value: waitMs } } } }, { executionId, nodeId: 'n1', tenantId: 'acme', attempt });

  const cancel = (fields: Partial<{ executionId: string; nodeId: string; attempt: number; tenantId: string; reason: string }>) =>
    nc.publish(subjects.agentCancel(agent.name), toBinary(CancelRequestSchema, create(CancelRequestSchema, fields)));

  async function started(key: string): Promise<void> {
    for (let i = 0; i < 200 && !WaitingHandler.started.has(key); i++) await sleep(10);
    expect(WaitingHandler.started.has(key)).toBe(true);
  }

  async function counted(metric: string, label = ''): Promise<number> {
    const text = await fetch(`${running.httpUrl}/metrics`).then((r) => r.text());
    const line = text.split('\n').find((l) => l.startsWith(`${metric}{`) && l.includes(label));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }
  const cancelsCounted = (outcome: string) => counted('spine_agent_cancels_total', `outcome="${outcome}"`);
  const replaysCounted = () => counted('spine_agent_replays_total');

  it('the handler sees its signal abort at once and the run answers CANCELLED', async () => {
    const executionId = randomUUID();
    const reply = invoke(executionId, 30_000);
    await started(`${executionId}:1`);
    const sentAt = Date.now();
    cancel({ executionId, nodeId: 'n1', attempt: 1, tenantId: 'acme', reason: 'the execution ended CANCELLED' });
    const { error } = await reply;
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    expect(error).toMatchObject({ code: ErrorCode.CANCELLED, retryable: false });
    expect(error!.message).toContain('the execution ended CANCELLED');
    expect(WaitingHandler.endings.get(`${executionId}:1`)).toMatch(/^aborted: cancelled by the orchestrator/);
    expect(await cancelsCounted('aborted')).toBeGreaterThanOrEqual(1);
  });

  it('a cancel for another attempt, node or tenant, or one that is not a CancelRequest, changes nothing', async () => {
    const executionId = randomUUID();
    const unknownBefore = await cancelsCounted('unknown');
    const invalidBefore = await cancelsCounted('invalid');
    const reply = invoke(executionId, 400, 2);
    await started(`${executionId}:2`);
    cancel({ executionId, nodeId: 'n1', attempt: 1, tenantId: 'acme' });
    cancel({ executionId, nodeId: 'n2', attempt: 2, tenantId: 'acme' });
    cancel({ executionId, nodeId: 'n1', attempt: 2, tenantId: 'globex' });
    cancel({ nodeId: 'n1', attempt: 2, tenantId: 'acme' });
    nc.publish(subjects.agentCancel(agent.name), new Uint8Array([0xff, 0xff, 0xff]));
    const { output, error } = await reply;
    expect(error).toBeUndefined();
    expect(output?.fields['done']?.kind.value).toBe(true);
    expect(WaitingHandler.endings.get(`${executionId}:2`)).toBe('finished');
    expect(await cancelsCounted('unknown')).toBe(unknownBefore + 3);
    expect(await cancelsCounted('invalid')).toBe(invalidBefore + 2);
  });

  it('a cancel after the run ended is ignored, and a redelivery still gets the reply already made', async () => {
    const executionId = randomUUID();
    const unknownBefore = await cancelsCounted('unknown');
    const replaysBefore = await replaysCounted();
    expect((await invoke(executionId, 0)).error).toBeUndefined();
    cancel({ executionId, nodeId: 'n1', attempt: 1, tenantId: 'acme' });
    await waitFor(async () => (await cancelsCounted('unknown')) === unknownBefore + 1, { what: 'the late cancel counted as unknown' });
    const again = await invoke(executionId, 0);
    expect(again.error).toBeUndefined();
    expect(again.output?.fields['done']?.kind.value).toBe(true);
    // Answered from the replay cache: the handler ran once, and the replay was counted.
    expect(WaitingHandler.runs.get(`${executionId}:1`)).toBe(1);
    expect(await replaysCounted()).toBe(replaysBefore + 1);
  });
});
