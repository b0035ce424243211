import { connect, type NatsConnection } from '@nats-io/transport-node';
import { bootstrapAgent, type RunningAgent } from '@spine/agent-kit';
import { ErrorCode, RouterInputSchema, RouterOutputSchema } from '@spine/contracts';
import { loadLlmConfig } from '@spine/llm';
import { AgentClient, ProtoClient } from '@spine/messaging';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { routerAgent } from '../router.agent.js';
import { RouterModule } from '../router.module.js';
import { RouteHandler } from './route.handler.js';

describe('router agent over NATS (local provider)', () => {
  let agent: RunningAgent;
  let nc: NatsConnection;
  let agents: AgentClient;

  beforeAll(async () => {
    const env = { NATS_URL: inject('natsUrl'), HTTP_PORT: '0', LOG_LEVEL: 'error', REGISTRY_TIMEOUT_MS: '200', LOCAL_EMBEDDER: 'hashed' };
    agent = await bootstrapAgent({ agent: routerAgent, module: RouterModule.with(loadLlmConfig(env)), handler: RouteHandler, env, handleSignals: false });
    nc = await connect({ servers: inject('natsUrl') });
    agents = new AgentClient(new ProtoClient(nc, 10_000));
  });

  afterAll(async () => {
    await nc?.close();
    await agent?.shutdown();
  });

  async function route(text: string, o: { model?: string; allowedModels?: string[]; language?: string } = {}) {
    return agents.invoke('router', { input: RouterInputSchema, output: RouterOutputSchema }, { text, language: o.language ?? '' }, {
      executionId: randomUUID(),
      nodeId: 'router',
      tenantId: 'acme',
      model: o.model ?? '',
      scope: { allowedModels: o.allowedModels ?? [] },
    });
  }

  it.each([
    ['crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website', 'FLOW_EXECUTION', 'CreateTask'],
    ['create a task to review the contract tomorrow at 10 in the Website project', 'FLOW_EXECUTION', 'CreateTask'],
    ['agenda una reunión con Daniela el jueves a las 4', 'FLOW_EXECUTION', 'ScheduleMeeting'],
    ['hola, ¿qué tal?', 'SMALL_TALK', 'Other'],
    ['thanks a lot!', 'SMALL_TALK', 'Other'],
  ])('%s → %s', async (text, expectedRoute, flowType) => {
    const { output, error, usage } = await route(text);
    expect(error).toBeUndefined();
    expect(output).toMatchObject({ route: expectedRoute, flowType, model: 'local' });
    expect(output!.confidence).toBeGreaterThan(0);
    expect(output!.confidence).toBeLessThanOrEqual(1);
    expect(usage?.model).toBe('local');
    expect(usage?.totalTokens).toBeGreaterThan(0n);
  });

  it('refuses a model outside the flow allowedModels, calling nothing', async () => {
    const { error, output } = await route('hola', { model: 'local', allowedModels: ['openai:gpt-4o-mini'] });
    expect(output).toBeUndefined();
    expect(error).toMatchObject({ code: ErrorCode.PERMISSION_DENIED });
  });

  it('refuses an empty message', async () => {
    expect((await route('   ')).error).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
  });
});
