import { create } from '@bufbuild/protobuf';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { SpineExceptionFilter } from '@spine/observability';
import { AgentCardSchema, ErrorCode, Header, ListAgentsRequestSchema, type ListAgentsRequest, SpineError } from '@spine/contracts';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NatsProtoContext } from './call-context.js';
import { NatsProtoServer } from './nats-proto.server.js';
import { ProtoClient } from './proto.client.js';
import { ProtoPipe } from './proto.pipe.js';

const prefix = `t${randomUUID().slice(0, 8)}`;
const subject = (verb: string) => `spine.test.${prefix}.${verb}`;
const executed: string[] = [];
/** Slow requests whose handler has finished (and so could have answered). */
const finished: string[] = [];
const events: string[] = [];

// The request's `name` field drives the test handler; the reply echoes what the server saw.
@Controller()
class EchoHandler {
  @MessagePattern(subject('echo'))
  async echo(@Payload(new ProtoPipe(ListAgentsRequestSchema)) req: ListAgentsRequest, @Ctx() ctx: NatsProtoContext) {
    executed.push(req.name);
    if (req.name === 'missing') throw SpineError.notFound('no such thing', { name: req.name });
    if (req.name === 'crash') throw new Error('boom with secrets');
    if (req.name.startsWith('slow')) {
      await sleep(300);
      finished.push(req.name);
      return create(AgentCardSchema, { name: req.name, labels: { aborted: String(ctx.call.signal.aborted) } });
    }
    const { subject: s, correlationId = '', traceparent = '', tenantId = '', deadline = 0 } = ctx.call;
    return create(AgentCardSchema, { name: req.name, labels: { subject: s, correlationId, traceparent, tenantId, deadline: String(deadline) } });
  }

  @EventPattern<string>(subject('event'))
  event(@Payload(new ProtoPipe(ListAgentsRequestSchema)) req: ListAgentsRequest) {
    events.push(req.name);
  }
}

@Module({ controllers: [EchoHandler] })
class EchoModule {}

let drainStarted = 0;

@Controller()
class DrainHandler {
  @MessagePattern(subject('drain'))
  async slow() {
    drainStarted += 1;
    await sleep(300);
    return create(AgentCardSchema, { name: 'drained' });
  }
}

@Module({ controllers: [DrainHandler] })
class DrainModule {}

async function startServer(natsUrl: string, queue: string): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(EchoModule, {
    strategy: new NatsProtoServer({ servers: natsUrl, name: 'echo', queue }),
    logger: false,
  });
  app.useGlobalFilters(new SpineExceptionFilter());
  await app.listen();
  return app;
}

describe('NatsProtoServer + ProtoClient', () => {
  let app: INestMicroservice;
  let nc: NatsConnection;
  let client: ProtoClient;
  const echo = (name: string, options = {}) => client.request(subject('echo'), ListAgentsRequestSchema, { name }, AgentCardSchema, options);

  beforeAll(async () => {
    app = await startServer(inject('natsUrl'), 'echo');
    nc = await connect({ servers: inject('natsUrl') });
    client = new ProtoClient(nc, 2_000);
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
  });

  it('carries a protobuf request and reply with deadline, correlation, trace and tenant headers', async () => {
    const deadline = Date.now() + 1_500;
    const reply = await echo('hello', { deadline, correlationId: 'corr-1', tenantId: 'acme' });
    expect(reply.name).toBe('hello');
    expect(reply.labels).toMatchObject({ subject: subject('echo'), correlationId: 'corr-1', tenantId: 'acme', deadline: String(deadline) });
    expect(reply.labels.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('answers a coded error thrown by the handler with its code, message and details', async () => {
    const err = await echo('missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpineError);
    expect(err).toMatchObject({ code: ErrorCode.NOT_FOUND, message: 'no such thing', details: { name: 'missing' } });
  });

  it('turns an unexpected exception into INTERNAL without leaking its message', async () => {
    const err = await echo('crash').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.INTERNAL });
    expect((err as Error).message).not.toContain('secrets');
  });

  it('answers random bytes with INVALID_ARGUMENT and keeps serving', async () => {
    const garbage = new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]);
    const err = await client.requestBytes(subject('echo'), garbage).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
    const reply = await nc.request(subject('echo'), garbage, { timeout: 1_000 });
    expect(reply.headers?.get(Header.ErrorCode)).toBe('INVALID_ARGUMENT');
    expect(reply.headers?.get(Header.NatsServiceErrorCode)).toBe('400');
    expect((await echo('still-up')).name).toBe('still-up');
  });

  it('does not execute a request whose deadline has already passed', async () => {
    const name = `late-${randomUUID()}`;
    // Sent raw so the client's own deadline check does not stop it first.
    const { headers } = await import('@nats-io/transport-node');
    const h = headers();
    h.set(Header.Deadline, String(Date.now() - 1));
    const bytes = (await import('@bufbuild/protobuf')).toBinary(ListAgentsRequestSchema, create(ListAgentsRequestSchema, { name }));
    const reply = await nc.request(subject('echo'), bytes, { timeout: 1_000, headers: h });
    expect(reply.headers?.get(Header.ErrorCode)).toBe('DEADLINE_EXCEEDED');
    expect(executed).not.toContain(name);
  });

  it('refuses to send a request whose deadline has passed', async () => {
    const err = await echo('never', { deadline: Date.now() - 10 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.DEADLINE_EXCEEDED });
    expect(executed).not.toContain('never');
  });

  it('gives up at the deadline when the handler is slower', async () => {
    const err = await echo('slow-1', { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.DEADLINE_EXCEEDED });
    // The caller gave up on its own deadline, not on a reply: the handler had not finished yet.
    expect(executed).toContain('slow-1');
    expect(finished).not.toContain('slow-1');
  });

  it('reports AGENT_UNAVAILABLE when nobody listens', async () => {
    const err = await client.requestBytes(subject('nobody'), new Uint8Array()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.AGENT_UNAVAILABLE });
  });

  it('delivers fire-and-forget events to @EventPattern handlers', async () => {
    client.publish(subject('event'), ListAgentsRequestSchema, { name: 'evt-1' });
    await nc.flush();
    await expect.poll(() => events, { timeout: 2_000 }).toContain('evt-1');
  });

  it('spreads requests across replicas of one queue group', async () => {
    const second = await startServer(inject('natsUrl'), 'echo');
    try {
      const servers = [app, second].map((a) => a.unwrap<NatsConnection>());
      const before = servers.map((c) => c.stats().inMsgs);
      await Promise.all(Array.from({ length: 200 }, (_, i) => echo(`spread-${i}`)));
      const received = servers.map((c, i) => c.stats().inMsgs - before[i]!);
      expect(received[0]! + received[1]!).toBeGreaterThanOrEqual(200);
      expect(Math.min(...received)).toBeGreaterThan(30);
    } finally {
      await second.close();
    }
  });

  it('lets in-flight requests finish when it closes, then stops taking new ones', async () => {
    const drainApp = await NestFactory.createMicroservice(DrainModule, {
      strategy: new NatsProtoServer({ servers: inject('natsUrl'), name: 'drain', queue: 'drain' }),
      logger: false,
    });
    await drainApp.listen();
    const drain = () => client.request(subject('drain'), ListAgentsRequestSchema, { name: 'd' }, AgentCardSchema, { timeoutMs: 2_000 });
    const pending = drain();
    await expect.poll(() => drainStarted, { timeout: 2_000 }).toBe(1);
    await drainApp.close();
    await expect(pending).resolves.toMatchObject({ name: 'drained' });
    await expect(drain()).rejects.toMatchObject({ code: ErrorCode.AGENT_UNAVAILABLE });
  });
});
