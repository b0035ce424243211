import { AgentCardSchema, ErrorCode, ListAgentsRequestSchema } from '@spine/contracts';
import { PermissionViolationError, type Msg } from '@nats-io/transport-node';
import { startNats, waitFor, type NatsServerHandle } from '@spine/testing';
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
    { user: registry, password: s3cret-reg, permissions: { subscribe: ["spine.registry.agent.>", "_INBOX.>"], publish: ["_INBOX.>"] } }
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
    const registry = await connectNats({ servers: nats.url, name: 'registry', user: 'registry', pass: 's3cret-reg' });
    const answer = (name: string) => (_e: unknown, m: Msg): void => {
      m.respond(toBinary(AgentCardSchema, create(AgentCardSchema, { name })));
    };
    // The server reports a denied publish to the publisher as an async error, not as a reply.
    const violations: PermissionViolationError[] = [];
    void (async () => {
      for await (const s of caller.status()) if (s.type === 'error' && s.error instanceof PermissionViolationError) violations.push(s.error);
    })();
    try {
      agent.subscribe('spine.agent.intake.invoke', { callback: answer('intake') });
      registry.subscribe('spine.registry.agent.list', { callback: answer('registry') });
      await Promise.all([agent.flush(), registry.flush()]);
      const client = new ProtoClient(caller, 5_000);
      expect((await client.request('spine.agent.intake.invoke', ListAgentsRequestSchema, {}, AgentCardSchema)).name).toBe('intake');
      // The registry answers on its subject whoever may publish there (intake may)...
      expect((await new ProtoClient(agent, 5_000).request('spine.registry.agent.list', ListAgentsRequestSchema, {}, AgentCardSchema)).name).toBe('registry');
      // ...but the orchestrator's user may not: the server drops the request and tells the publisher why.
      await expect(client.request('spine.registry.agent.list', ListAgentsRequestSchema, {}, AgentCardSchema, { timeoutMs: 1_000 })).rejects.toMatchObject({ code: ErrorCode.DEADLINE_EXCEEDED });
      await waitFor(() => violations.length > 0, { what: 'a permissions violation reported to the orchestrator' });
      expect(violations[0]).toMatchObject({ operation: 'publish', subject: 'spine.registry.agent.list' });
    } finally {
      await agent.close();
      await caller.close();
      await registry.close();
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
