import { create } from '@bufbuild/protobuf';
import { AgentCardSchema, ErrorCode, ListAgentsRequestSchema, ListAgentsResponseSchema, AgentState, subjects, Transport, SpineError } from '@spine/contracts';
import { ProtoPipe, NatsProtoServer } from '@spine/messaging';
import { SpineExceptionFilter } from '@spine/observability';
import { runMigrations } from '@spine/persistence';
import { createDatabase } from '@spine/testing';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { startOrchestrator, type RunningOrchestrator } from '../orchestrator.app.js';
import { loadConfig } from '../orchestrator.config.js';
import { orchestratorDataSource } from '../orchestrator.module.js';

let registryDown = false;

// A stand-in registry on NATS answering the list request, as the real one does.
@Controller()
class FakeRegistry {
  @MessagePattern(subjects.registry('list'))
  list(@Payload(new ProtoPipe(ListAgentsRequestSchema)) _req: unknown) {
    if (registryDown) throw new SpineError(ErrorCode.AGENT_UNAVAILABLE, 'registry is restarting');
    const card = create(AgentCardSchema, { name: 'intake', version: '0.1.0', transport: Transport.NATS, capabilities: ['text.normalize'] });
    return create(ListAgentsResponseSchema, {
      instances: [
        { instanceId: 'i-1', card, state: AgentState.HEALTHY },
        { instanceId: 'i-2', card, state: AgentState.UNHEALTHY },
      ],
    });
  }
}

@Module({ controllers: [FakeRegistry] })
class FakeRegistryModule {}

describe('GET /v1/agents', () => {
  let orchestrator: RunningOrchestrator;
  let registry: INestMicroservice;
  let token: string;

  beforeAll(async () => {
    const queue = `registry-${Date.now()}`;
    registry = await NestFactory.createMicroservice(FakeRegistryModule, { strategy: new NatsProtoServer({ servers: inject('natsUrl'), name: 'fake-registry', queue }), logger: false });
    registry.useGlobalFilters(new SpineExceptionFilter());
    await registry.listen();
    const databaseUrl = await createDatabase(inject('postgresAdminUrl'), 'orch');
    await runMigrations(orchestratorDataSource(databaseUrl));
    orchestrator = await startOrchestrator(loadConfig({ NATS_URL: inject('natsUrl'), DATABASE_URL: databaseUrl, HTTP_PORT: '0', LOG_LEVEL: 'error' }));
    token = (await orchestrator.app.get(ApiKeysService).create('acme', 'client', 'test')).token;
  });

  afterAll(async () => {
    await orchestrator?.close();
    await registry?.close();
  });

  it('lists each agent with its instances and how many are healthy', async () => {
    const res = await fetch(`${orchestrator.httpUrl}/v1/agents`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      agents: [
        {
          name: 'intake', version: '0.1.0', description: '', transport: 'nats', capabilities: ['text.normalize'], healthy: 1,
          instances: [{ instanceId: 'i-1', state: 'healthy', lastHeartbeatAt: null }, { instanceId: 'i-2', state: 'unhealthy', lastHeartbeatAt: null }],
        },
      ],
    });
  });

  it('passes the registry being unavailable on as 503 with its code', async () => {
    registryDown = true;
    try {
      const res = await fetch(`${orchestrator.httpUrl}/v1/agents`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'AGENT_UNAVAILABLE' });
    } finally {
      registryDown = false;
    }
  });

  it('needs a key', async () => {
    expect((await fetch(`${orchestrator.httpUrl}/v1/agents`)).status).toBe(401);
  });
});
