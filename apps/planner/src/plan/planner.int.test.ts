import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { bootstrapAgent, type RunningAgent } from '@spine/agent-kit';
import { ErrorCode, PlannerInputSchema, PlannerOutputSchema, ToolCallsInputSchema, type PlannerOutput } from '@spine/contracts';
import { create } from '@bufbuild/protobuf';
import { loadLlmConfig } from '@spine/llm';
import { AgentClient, ProtoClient } from '@spine/messaging';
import { toolCatalog } from '@spine/tool-catalog';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { plannerAgent } from '../planner.agent.js';
import { PlannerModule } from '../planner.module.js';
import { PlanHandler } from './plan.handler.js';

const NOW = new Date('2026-03-10T15:00:00Z');
const ALL_TOOLS = toolCatalog.map((t) => t.name);

describe('planner agent over NATS (local provider)', () => {
  let agent: RunningAgent;
  let nc: NatsConnection;
  let agents: AgentClient;

  beforeAll(async () => {
    const env = { NATS_URL: inject('natsUrl'), HTTP_PORT: '0', LOG_LEVEL: 'error', REGISTRY_TIMEOUT_MS: '200', LOCAL_EMBEDDER: 'hashed' };
    agent = await bootstrapAgent({ agent: plannerAgent, module: PlannerModule.with(loadLlmConfig(env)), handler: PlanHandler, env, handleSignals: false });
    nc = await connect({ servers: inject('natsUrl') });
    agents = new AgentClient(new ProtoClient(nc, 10_000));
  });

  afterAll(async () => {
    await nc?.close();
    await agent?.shutdown();
  });

  function planOver(text: string, o: { flowType?: string; language?: string; allowedTools?: string[]; model?: string; allowedModels?: string[] } = {}) {
    return agents.invoke(
      'planner',
      { input: PlannerInputSchema, output: PlannerOutputSchema },
      { text, language: o.language ?? 'es', flowType: o.flowType ?? 'CreateTask', timezone: 'America/Mexico_City', now: timestampFromDate(NOW), roles: ['client'], allowedTools: ALL_TOOLS },
      { executionId: randomUUID(), nodeId: 'planner', tenantId: 'acme', model: o.model ?? '', scope: { allowedTools: o.allowedTools ?? ALL_TOOLS, allowedModels: o.allowedModels ?? [] } },
    );
  }

  it('plans a task whose calls the tool-executor input takes as they are', async () => {
    const { output, error, usage } = await planOver('crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website');
    expect(error).toBeUndefined();
    expect(output).toMatchObject({ flowType: 'CreateTask', ready: true, language: 'es', model: 'local' });
    const calls = (output as PlannerOutput).toolCalls;
    expect(calls.map((c) => ({ tool: c.tool, arguments: c.arguments }))).toEqual([
      { tool: 'createTask', arguments: { title: 'revisar el contrato', project: 'Website', dueAt: '2026-03-11T10:00:00-06:00' } },
    ]);
    // The flow template `calls: {{ planner.toolCalls }}` hands these to the tool-executor unchanged.
    expect(create(ToolCallsInputSchema, { calls, userId: 'u1', roles: ['client'] }).calls[0]?.tool).toBe('createTask');
    expect(usage?.model).toBe('local');
    expect(usage?.totalTokens).toBeGreaterThan(0n);
  });

  it('answers "create a task" with the missing fields and one English question', async () => {
    const { output } = await planOver('create a task', { language: 'en' });
    expect(output).toMatchObject({ ready: false, missingFields: ['title', 'project', 'dueAt'], question: 'Could you tell me the task title, the project and the due date and time?', toolCalls: [] });
  });

  it('refuses a model outside the flow allowedModels with PERMISSION_DENIED', async () => {
    const { error } = await planOver('crea un proyecto llamado Website', { flowType: 'CreateProject', model: 'local', allowedModels: ['openai:gpt-4o-mini'] });
    expect(error).toMatchObject({ code: ErrorCode.PERMISSION_DENIED });
  });

  it('refuses an empty message with INVALID_ARGUMENT', async () => {
    expect((await planOver('  ')).error).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
  });
});
