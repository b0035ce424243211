// Seed 000 §7.2's customer-support flow, unchanged, on the mesh as `npm start` starts it (tools/launcher): the llm
// agent classifies offline, retrieval looks up, the quality gate escalates to the inbox, the tool-executor sends.
import { waitFor } from '@spine/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startMesh, type LocalMesh } from './support/launched-mesh.js';
import { api } from './support/orchestrators.js';

type Body = Record<string, unknown>;
type NodeRun = { nodeId: string; state: string; input: Body | null; output: Body | null };
type Task = { id: string; executionId: string; nodeId: string; state: string };

const seedFlow = JSON.parse(readFileSync(join(repoRoot, 'libs/flow/src/fixtures/customer-support-flow.json'), 'utf8')) as Body;
/** The stock (local, offline) classifier puts these below the gate's `confidence < 0.5`: 0.45 queja, 0.44 pregunta_producto. */
const ANGRY_COMPLAINT = 'llevo tres semanas esperando el reembolso, es inaceptable';
const VAGUE_QUESTION = '¿tenéis el producto en azul?';
/** And this one well above it (0.94 pregunta_producto). */
const CLEAR_QUESTION = '¿Cuánto cuesta el plan Pro?';

const node = (execution: Body, id: string) => (execution['nodes'] as NodeRun[]).find((n) => n.nodeId === id)!;

describe("seed 000's customer-support flow on the stock mesh", () => {
  let mesh: LocalMesh;
  let admin: ReturnType<typeof api>;
  let reviewer: ReturnType<typeof api>;

  const start = async (content: string, contactName: string) => {
    const res = await admin.post('/v1/flows/customer-support-flow/executions', { input: { content, context: { relationship: { contactName } } } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return String(res.body['executionId']);
  };
  const taskOf = (executionId: string) =>
    waitFor(async () => {
      const execution = (await admin.get(`/v1/executions/${executionId}`)).body;
      if (['DONE', 'FAILED', 'CANCELLED'].includes(String(execution['state']))) throw new Error(`ended ${String(execution['state'])} without a task: ${JSON.stringify(execution)}`);
      return ((await reviewer.get('/v1/inbox')).body['tasks'] as Task[]).find((t) => t.executionId === executionId);
    }, { what: `the inbox task of ${executionId}` });
  const ended = (executionId: string) =>
    waitFor(async () => {
      const e = (await admin.get(`/v1/executions/${executionId}`)).body;
      return ['DONE', 'FAILED', 'CANCELLED', 'WAITING_INPUT'].includes(String(e['state'])) && e;
    }, { what: `execution ${executionId} to end` });
  const eventTypes = async (id: string) => ((await admin.get(`/v1/executions/${id}/events`)).body['events'] as { type: string }[]).map((e) => e.type);

  beforeAll(async () => {
    mesh = await startMesh();
    admin = api(mesh.url, mesh.adminKey);
    const key = await admin.post('/v1/admin/api-keys', { name: 'support-reviewer', role: 'reviewer' });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    reviewer = api(mesh.url, String(key.body['token']));
  }, 420_000);

  afterAll(async () => {
    await mesh?.stop();
  });

  it('is installed for the tenant on first start, and the seed JSON as written deploys again', async () => {
    const installed = await admin.get('/v1/flows/customer-support-flow');
    expect(installed.status, JSON.stringify(installed.body)).toBe(200);
    const deployed = await admin.post('/v1/flows', seedFlow);
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    expect(deployed.body).toMatchObject({ id: 'customer-support-flow', version: 2, label: '1.0' });
  });

  it('an angry complaint escalates to a person; approved in the inbox, send_template sends the acknowledgment and the execution ends DONE', async () => {
    const id = await start(ANGRY_COMPLAINT, 'Ana');
    const task = await taskOf(id);
    expect(task).toMatchObject({ nodeId: 'quality-gate', state: 'open' });
    const decided = await reviewer.post(`/v1/inbox/${task.id}/decision`, { decision: 'approve', comment: 'ok, enviar acuse' });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const done = await ended(id);
    expect(done['state'], JSON.stringify(done)).toBe('DONE');
    expect(node(done, 'intent-classifier').output).toMatchObject({ intent: 'queja' });
    expect(node(done, 'intent-classifier').output?.['confidence']).toBeLessThan(0.5);
    expect(node(done, 'knowledge-lookup').state).toBe('skipped');
    expect(node(done, 'quality-gate').output).toMatchObject({ action: 'pass', matched: expect.arrayContaining(['pass', 'escalate_to_human']), escalation: { decision: 'approve' } });
    const sent = node(done, 'send-template');
    expect(sent.state).toBe('succeeded');
    // The seed's params reached the tool as its arguments, the template rendered with the customer's name.
    expect(sent.input).toMatchObject({ templateId: 'complaint-acknowledgment', variables: { name: 'Ana' } });
    expect(sent.output).toMatchObject({ results: [{ tool: 'send_template', ok: true, result: { templateId: 'complaint-acknowledgment', text: expect.stringMatching(/^Hola Ana, hemos recibido tu queja/) } }] });
    expect(await eventTypes(id)).toEqual(expect.arrayContaining(['human_task_opened', 'human_task_decided']));
  });

  it('the same complaint rejected by the reviewer: the gate says reject and nothing is sent', async () => {
    const id = await start(ANGRY_COMPLAINT, 'Ana');
    const task = await taskOf(id);
    expect((await reviewer.post(`/v1/inbox/${task.id}/decision`, { decision: 'reject', comment: 'no enviar' })).status).toBe(200);
    const done = await ended(id);
    expect(done['state'], JSON.stringify(done)).toBe('DONE');
    expect(node(done, 'quality-gate').output).toMatchObject({ action: 'reject', escalation: { decision: 'reject' } });
    expect(node(done, 'send-template').state).toBe('skipped');
  });

  it('a low-confidence question takes the other branch: knowledge lookup, a person approves, no template is sent', async () => {
    const id = await start(VAGUE_QUESTION, 'Luis');
    const task = await taskOf(id);
    expect((await reviewer.post(`/v1/inbox/${task.id}/decision`, { decision: 'approve' })).status).toBe(200);
    const done = await ended(id);
    expect(done['state'], JSON.stringify(done)).toBe('DONE');
    expect(node(done, 'intent-classifier').output).toMatchObject({ intent: 'pregunta_producto' });
    expect(node(done, 'knowledge-lookup').state).toBe('succeeded');
    expect(node(done, 'response-generator').input).toMatchObject({ intent: 'pregunta_producto', user_message: VAGUE_QUESTION, customer_history: { contactName: 'Luis' } });
    expect(node(done, 'quality-gate').output).toMatchObject({ action: 'pass', escalation: { decision: 'approve' } });
    expect(node(done, 'send-template').state).toBe('skipped');
  });

  it('a confident question goes through without a person', async () => {
    const id = await start(CLEAR_QUESTION, 'Luis');
    const done = await ended(id);
    expect(done['state'], JSON.stringify(done)).toBe('DONE');
    expect(node(done, 'intent-classifier').output?.['confidence']).toBeGreaterThanOrEqual(0.5);
    expect(node(done, 'knowledge-lookup').state).toBe('succeeded');
    expect(node(done, 'quality-gate').output).toMatchObject({ action: 'pass', matched: ['pass'] });
    expect(node(done, 'send-template').state).toBe('skipped');
    expect(await eventTypes(id)).not.toContain('human_task_opened');
  });
});
