import { AgentCard, Role, TaskState, type Message, type Part } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import type { NodeRunRow } from '../store/execution.model.js';
import type { ExecutionView } from '../executions/executions.service.js';
import type { FlowVersionView } from '../flows/flows.service.js';
import { dataPart, decisionOf, extendedFlowAgentCard, flowAgentCard, flowInputOf, flowResultOf, taskOf, taskStateOf, textPart } from './a2a.mapper.js';

const flow = (nodes: { id: string; agent?: string; dependsOn?: string[] }[], extra: Partial<FlowVersionView> = {}): FlowVersionView => ({
  id: 'support',
  version: 3,
  label: null,
  name: 'Support desk',
  nodes: nodes.map((n) => ({ id: n.id, kind: 'agent', agent: n.agent ?? n.id, dependsOn: n.dependsOn ?? [] })),
  trigger: 'api_call',
  triggerSchema: null,
  definition: { id: 'support', description: 'Answers support questions' },
  createdAt: new Date('2026-01-01T00:00:00Z'),
  ...extra,
});
const run = (nodeId: string, output: NodeRunRow['output'], state: NodeRunRow['state'] = 'succeeded'): ExecutionView['nodes'][number] => ({
  nodeId, state, attempts: 1, input: null, output, error: null, usage: null, startedAt: null, finishedAt: null, durationMs: null,
});
const execution = (state: ExecutionView['state'], nodes: ExecutionView['nodes'], error: ExecutionView['error'] = null): ExecutionView => ({
  id: '6f1c1f7e-1111-4111-8111-111111111111', flowId: 'support', flowVersion: 3, conversationId: null, state, error, input: {},
  createdAt: new Date('2026-01-01T00:00:00Z'), finishedAt: new Date('2026-01-01T00:00:01Z'), nodes,
  parentExecutionId: null, parentNodeId: null, tokenBudget: null, deadlineAt: null, children: [],
});
const message = (parts: Part[]): Message => ({ messageId: 'm1', contextId: '', taskId: '', role: Role.ROLE_USER, parts, metadata: undefined, extensions: [], referenceTaskIds: [] });

describe('flowInputOf: an A2A message as flow input', () => {
  it('puts the text in content and merges the data parts', () => {
    expect(flowInputOf(message([textPart('hola'), dataPart({ customer: 'acme' }), textPart('mundo'), dataPart({ priority: 2 })]))).toEqual({ content: 'hola\nmundo', customer: 'acme', priority: 2 });
  });

  it('takes data parts alone, without a content field', () => {
    expect(flowInputOf(message([dataPart({ a: 1 })]))).toEqual({ a: 1 });
  });

  it('refuses an empty message, a non-object data part and a file part with INVALID_ARGUMENT', () => {
    expect(() => flowInputOf(message([]))).toThrow(/no text or data part/);
    expect(() => flowInputOf(message([dataPart([1, 2])]))).toThrow(/JSON object/);
    expect(() => flowInputOf(message([{ content: { $case: 'url', value: 'http://x/y.pdf' }, mediaType: 'application/pdf', filename: 'y.pdf', metadata: undefined }]))).toThrow(/url part/);
  });
});

describe('taskStateOf: execution state → A2A task state', () => {
  it.each([
    ['DONE', TaskState.TASK_STATE_COMPLETED],
    ['FAILED', TaskState.TASK_STATE_FAILED],
    ['WAITING_INPUT', TaskState.TASK_STATE_INPUT_REQUIRED],
    ['CANCELLED', TaskState.TASK_STATE_CANCELED],
    ['RECEIVED', TaskState.TASK_STATE_SUBMITTED],
    ['PLANNED', TaskState.TASK_STATE_WORKING],
  ] as const)('%s → %s', (state, expected) => expect(taskStateOf(state)).toBe(expected));
});

describe('flowResultOf: the final node output and the reply', () => {
  it('is the output of the one final node', () => {
    const f = flow([{ id: 'a' }, { id: 'b', dependsOn: ['a'] }]);
    expect(flowResultOf(f, execution('DONE', [run('a', { x: 1 }), run('b', { y: 2 })]))).toEqual({ output: { y: 2 } });
  });

  it('keys the outputs by node id when several final nodes ran, leaving out skipped ones', () => {
    const f = flow([{ id: 'a' }, { id: 'b', dependsOn: ['a'] }, { id: 'c', dependsOn: ['a'] }, { id: 'd', dependsOn: ['a'] }]);
    expect(flowResultOf(f, execution('DONE', [run('a', {}), run('b', { y: 2 }), run('c', { z: 3 }), run('d', null, 'skipped')])).output).toEqual({ b: { y: 2 }, c: { z: 3 } });
  });

  it('adds the streamer reply text', () => {
    const f = flow([{ id: 'plan', agent: 'planner' }, { id: 'reply', agent: 'streamer', dependsOn: ['plan'] }]);
    expect(flowResultOf(f, execution('DONE', [run('plan', {}), run('reply', { text: 'Listo.', chunks: '3' })]))).toEqual({ output: { text: 'Listo.', chunks: '3' }, reply: 'Listo.' });
  });
});

describe('taskOf: a settled execution as an A2A task', () => {
  const f = flow([{ id: 'a' }]);

  it('completed: the task id is the execution id, the output is a data artifact and the status message', () => {
    const task = taskOf(f, execution('DONE', [run('a', { total: 42 })]), 'ctx-1');
    expect(task).toMatchObject({ id: '6f1c1f7e-1111-4111-8111-111111111111', contextId: 'ctx-1', status: { state: TaskState.TASK_STATE_COMPLETED } });
    expect(task.artifacts[0]?.parts[0]?.content).toEqual({ $case: 'data', value: { total: 42 } });
    expect(task.status?.message?.parts[0]?.content).toEqual({ $case: 'data', value: { total: 42 } });
    expect(task.metadata).toMatchObject({ spine: { executionId: task.id, flowId: 'support', flowVersion: 3, state: 'DONE' } });
  });

  it('failed: no artifact, the coded error as text and data', () => {
    const task = taskOf(f, execution('FAILED', [run('a', null, 'failed')], { code: 'TIMEOUT', message: 'agent did not answer' }), 'ctx');
    expect(task.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(task.artifacts).toEqual([]);
    expect(task.status?.message?.parts.map((p) => p.content)).toEqual([
      { $case: 'text', value: 'TIMEOUT: agent did not answer' },
      { $case: 'data', value: { code: 'TIMEOUT', message: 'agent did not answer' } },
    ]);
  });
});

describe('flowAgentCard: a flow as an A2A agent card', () => {
  const card = flowAgentCard(flow([{ id: 'intake' }, { id: 'reply', agent: 'streamer', dependsOn: ['intake'] }]), 'https://spine.example/a2a/acme/support');

  it('has the flow as its one skill, JSON-RPC for 1.0 and 0.3 at the URL, and the API key as a bearer scheme', () => {
    const json = AgentCard.toJSON(card) as Record<string, unknown>;
    expect(json).toMatchObject({
      name: 'Support desk',
      description: 'Answers support questions',
      version: '3',
      supportedInterfaces: [
        { url: 'https://spine.example/a2a/acme/support', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
        { url: 'https://spine.example/a2a/acme/support', protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
      ],
      securitySchemes: { spineBearer: { httpAuthSecurityScheme: { scheme: 'Bearer' } } },
      securityRequirements: [{ schemes: { spineBearer: {} } }],
      capabilities: { streaming: true, pushNotifications: false, extendedAgentCard: true },
      skills: [{ id: 'support', name: 'Support desk', tags: ['spine-flow'] }],
    });
  });

  it('the extended card adds the version, the nodes and their agents; the public one names none of them', () => {
    const extended = extendedFlowAgentCard(flow([{ id: 'intake' }, { id: 'reply', agent: 'streamer', dependsOn: ['intake'] }]), 'https://spine.example/a2a/acme/support');
    expect(extended.description).toBe('Answers support questions');
    expect(extended.skills[0]?.description).toBe('Answers support questions\n\nSpine flow support v3: intake → reply');
    expect(extended.skills[0]?.tags).toEqual(['spine-flow', 'flow:support@3', 'agent:intake', 'agent:streamer']);
    expect(JSON.stringify(AgentCard.toJSON(card))).not.toMatch(/streamer|intake/);
  });

  it('names no URL but the one it is given (A2A_PUBLIC_URL when set)', () => {
    const urls = JSON.stringify(AgentCard.toJSON(extendedFlowAgentCard(flow([{ id: 'a' }]), 'https://public.example/a2a/acme/support'))).match(/https?:\/\/[^"]+/g);
    expect(new Set(urls)).toEqual(new Set(['https://public.example/a2a/acme/support', 'https://public.example']));
  });
});

describe('decisionOf: a follow-up message as an inbox decision', () => {
  it('reads a data part, or a text that starts with the decision (a comment after it)', () => {
    expect(decisionOf(message([dataPart({ decision: 'edit', data: { amount: 3 }, comment: 'less' })]))).toEqual({ decision: 'edit', data: { amount: 3 }, comment: 'less' });
    expect(decisionOf(message([textPart('Reject: too expensive')]))).toEqual({ decision: 'reject', comment: 'too expensive' });
    expect(decisionOf(message([textPart(' approve ')]))).toEqual({ decision: 'approve' });
  });

  it('refuses anything else with INVALID_ARGUMENT', () => {
    expect(() => decisionOf(message([textPart('maybe later')]))).toThrow(/approve, reject or edit/);
    expect(() => decisionOf(message([dataPart({ decision: 'postpone' })]))).toThrow(/approve, reject or edit/);
  });
});
