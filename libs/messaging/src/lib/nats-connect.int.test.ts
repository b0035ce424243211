import { AgentCardSchema, ErrorCode, ListAgentsRequestSchema } from '@spine/contracts';
import { startNats, type NatsServerHandle } from '@spine/testing';
import { create, toBinary } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeNats, connectNats } from './nats-connect.js';
import { ProtoClient } from './proto.client.js';

// Per-service users with subject permissions, as deploy/ configures them.
const AUTH = `
authorization {
  users: [
    { user: intake, password: s3cret-intake, permissions: { subscribe: ["spine.agent.intake.invoke", "_INBOX.>"], publish: ["_INBOX.>", "spine.registry.agent.>"] } }
    { user: orchestrator, password: s3cret-orch, permissions: { subscribe: ["_INBOX.>"], publish: ["spine.agent.>"] } }
  ]
}`;

describe('connectNats with per-service credentials', () => {
  let nats: NatsServerHandle;

  beforeAll(async () => {
    nats = await startNats({ extraConfig: AUTH });
  });

  afterAll(async () => {
    await nats?.stop();
  });

  it('refuses a client without credentials or with a wrong password, with a coded error', async () => {
    await expect(connectNats({ servers: nats.url, name: 'anon' })).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
    await expect(connectNats({ servers: nats.url, name: 'bad', user: 'intake', pass: 'nope' })).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED, message: expect.stringContaining('user intake') });
  });

  it('lets each service use the subjects its user may, and only those', async () => {
    const agent = await connectNats({ servers: nats.url, name: 'intake', user: 'intake', pass: 's3cret-intake' });
    const caller = await connectNats({ servers: nats.url, name: 'orchestrator', user: 'orchestrator', pass: 's3cret-orch' });
    try {
      agent.subscribe('spine.agent.intake.invoke', { callback: (_e, m) => {
          m.respond(toBinary(AgentCardSchema, create(AgentCardSchema, { name: 'intake' })));
        },
      });
      await agent.flush();
      const client = new ProtoClient(caller, 2_000);
      const reply = await client.request('spine.agent.intake.invoke', ListAgentsRequestSchema, {}, AgentCardSchema);
      expect(reply.name).toBe('intake');
      // The orchestrator's user may not publish on the registry's subjects: the server drops it, nobody answers.
      await expect(client.request('spine.registry.agent.list', ListAgentsRequestSchema, {}, AgentCardSchema, { timeoutMs: 300 })).rejects.toBeDefined();
    } finally {
      await agent.close();
      await caller.close();
    }
  });
});

describe('closeNats', () => {
  it('ends a connection whose server is gone instead of waiting for a reconnect forever', async () => {
    const server = await startNats();
    const nc = await connectNats({ servers: server.url, name: 'orphan' });
    await server.stop();
    const started = Date.now();
    await closeNats(nc, 300);
    expect(nc.isClosed()).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
