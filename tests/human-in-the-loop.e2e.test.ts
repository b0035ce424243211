import { createDatabase, waitFor } from '@spine/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Mesh } from './support/mesh.js';
import { api, OrchestratorMesh, type OrchestratorProcess } from './support/orchestrators.js';

type Body = Record<string, unknown>;
type NodeRun = { nodeId: string; state: string; output: Body | null };
type Task = { id: string; state: string; executionId: string; nodeId: string; decision: string | null; data: Body };

const node = (execution: Body, id: string) => (execution['nodes'] as NodeRun[]).find((n) => n.nodeId === id);

/** A diamond: `review` (a person) and `other` (an agent) after `start`, `join` after both. */
function diamond(id: string, review: Body = {}) {
  return {
    id,
    nodes: [
      { id: 'start', agent: 't-human' },
      {
        id: 'review',
        kind: 'human',
        dependsOn: ['start'],
        inputs: { draft: '{{ start.node }}' },
        prompt: 'Apruebas el borrador?',
        editSchema: { type: 'object', properties: { draft: { type: 'string', minLength: 3 } }, required: ['draft'], additionalProperties: false },
        ...review,
      },
      { id: 'other', agent: 't-human', dependsOn: ['start'] },
      { id: 'join', agent: 't-human', dependsOn: ['review', 'other'], inputs: { decision: '{{ review.decision }}', draft: '{{ review.data.draft }}' } },
    ],
  };
}

describe('human-in-the-loop: a person decides a node from the inbox', () => {
  let mesh: Mesh;
  let orchestrators: OrchestratorMesh;
  let survivor: OrchestratorProcess;
  let admin: ReturnType<typeof api>;
  let reviewer: ReturnType<typeof api>;
  let client: ReturnType<typeof api>;
  let otherTenant: ReturnType<typeof api>;

  /** A replica of its own for one test, to kill -9 while the execution waits on a person. */
  async function victim() {
    const replica = await orchestrators.startOrchestrator(`orch-victim-${Math.random().toString(36).slice(2, 8)}`);
    return { replica, admin: api(replica.url, await orchestrators.createKey('acme', 'admin')) };
  }

  async function openTaskOf(executionId: string): Promise<Task> {
    return waitFor(async () => {
      const res = await reviewer.get('/v1/inbox');
      return (res.body['tasks'] as Task[] | undefined)?.find((t) => t.executionId === executionId);
    }, { what: `the task of ${executionId} in the inbox` });
  }

  const settled = (id: string, state: string) =>
    waitFor(async () => {
      const e = (await admin.get(`/v1/executions/${id}`)).body;
      return e['state'] === state && e;
    }, { what: `execution ${id} ${state}` });

  const eventTypes = async (id: string) => ((await admin.get(`/v1/executions/${id}/events`)).body['events'] as { type: string }[]).map((e) => e.type);

  beforeAll(async () => {
    mesh = await Mesh.start(inject('natsUrl'), inject('postgresAdminUrl'));
    orchestrators = new OrchestratorMesh(inject('natsUrl'), await createDatabase(inject('postgresAdminUrl'), 'hitl'), { LEASE_MS: '1500', CLAIM_INTERVAL_MS: '200', INBOX_SWEEP_MS: '200' });
    await orchestrators.migrate();
    await orchestrators.startTestAgent('t-human');
    survivor = await orchestrators.startOrchestrator('orch-survivor');
    admin = api(survivor.url, await orchestrators.createKey('acme', 'admin'));
    reviewer = api(survivor.url, await orchestrators.createKey('acme', 'reviewer'));
    client = api(survivor.url, await orchestrators.createKey('acme', 'client'));
    otherTenant = api(survivor.url, await orchestrators.createKey('globex', 'admin'));
    await waitFor(async () => ((await admin.get('/v1/agents')).body['agents'] as { name: string; healthy: number }[]).some((a) => a.name === 't-human' && a.healthy > 0), { what: 't-human healthy' });
  });

  afterAll(async () => {
    await orchestrators?.stop();
    await mesh?.stop();
  });

  it('keeps the other branch running, survives kill -9 of its replica, and ends DONE once a reviewer decides; once only, per tenant, not by clients', async () => {
    const v = await victim();
    expect((await v.admin.post('/v1/flows', diamond('hitl-diamond'))).status).toBe(201);
    const id = String((await v.admin.post('/v1/flows/hitl-diamond/executions', { input: {} })).body['executionId']);
    const task = await openTaskOf(id);
    expect(task).toMatchObject({ nodeId: 'review', state: 'open', data: { draft: 'start' } });
    // The other branch finished while the person has not decided.
    await waitFor(async () => node((await admin.get(`/v1/executions/${id}`)).body, 'other')?.state === 'succeeded', { what: 'other branch done' });
    expect(node((await admin.get(`/v1/executions/${id}`)).body, 'review')?.state).toBe('running');

    v.replica.service.kill('SIGKILL');
    // Waiting is free: with only the person left to wait on, the execution is parked, held by no replica (if the
    // victim died before parking it, the survivor claims it and parks it); the decision wakes it on the survivor.
    await waitFor(async () => {
      const [row] = await orchestrators.sql<{ parked: boolean; owner: string | null }>(`SELECT parked, lease_owner AS owner FROM orchestrator.executions WHERE id = $1`, [id]);
      return row?.parked === true && row.owner === null;
    }, { what: 'the execution parked, held by nobody' });

    expect((await client.post(`/v1/inbox/${task.id}/decision`, { decision: 'approve' })).status).toBe(403);
    expect((await otherTenant.get(`/v1/inbox/${task.id}`)).status).toBe(404);
    expect((await otherTenant.post(`/v1/inbox/${task.id}/decision`, { decision: 'approve' })).status).toBe(404);
    expect((await reviewer.post(`/v1/inbox/${task.id}/decision`, { decision: 'edit', data: { draft: 'x' } })).status).toBe(400);

    const decided = await reviewer.post(`/v1/inbox/${task.id}/decision`, { decision: 'edit', data: { draft: 'borrador corregido' }, comment: 'ok' });
    expect(decided).toMatchObject({ status: 200, body: { state: 'decided', decision: 'edit' } });
    expect((await reviewer.post(`/v1/inbox/${task.id}/decision`, { decision: 'approve' })).status).toBe(409);

    const done = await settled(id, 'DONE');
    expect(node(done, 'review')?.output).toMatchObject({ decision: 'edit', data: { draft: 'borrador corregido' }, expired: false });
    expect(node(done, 'join')?.output).toMatchObject({ input: { decision: 'edit', draft: 'borrador corregido' } });
    expect(await eventTypes(id)).toEqual(expect.arrayContaining(['human_task_opened', 'human_task_decided']));
    expect((await reviewer.get('/v1/inbox')).body['tasks']).not.toContainEqual(expect.objectContaining({ id: task.id }));
  });

  it('applies the default action when the deadline passes, on another replica than the one that opened the task', async () => {
    const v = await victim();
    expect((await v.admin.post('/v1/flows', diamond('hitl-deadline', { deadlineMs: 2_000, defaultAction: 'reject' }))).status).toBe(201);
    const id = String((await v.admin.post('/v1/flows/hitl-deadline/executions', { input: {} })).body['executionId']);
    await openTaskOf(id);
    v.replica.service.kill('SIGKILL');
    const done = await settled(id, 'DONE');
    expect(node(done, 'review')?.output).toMatchObject({ decision: 'reject', expired: true, decidedBy: 'deadline' });
    expect(await eventTypes(id)).toEqual(expect.arrayContaining(['human_task_opened', 'human_task_expired']));
  });

  it('closes the task when the execution is cancelled', async () => {
    expect((await admin.post('/v1/flows', diamond('hitl-cancel'))).status).toBe(201);
    const id = String((await admin.post('/v1/flows/hitl-cancel/executions', { input: {} })).body['executionId']);
    const task = await openTaskOf(id);
    expect((await admin.post(`/v1/executions/${id}/cancel`)).status).toBeLessThan(300);
    await settled(id, 'CANCELLED');
    await waitFor(async () => (await reviewer.get(`/v1/inbox/${task.id}`)).body['state'] === 'closed', { what: 'task closed' });
    expect((await reviewer.post(`/v1/inbox/${task.id}/decision`, { decision: 'approve' })).status).toBe(409);
  });

  it('quality gates act: redact keeps an e-mail and an IBAN from every downstream input and event; escalate_to_human waits for a person', async () => {
    const gated = {
      id: 'hitl-gates',
      nodes: [
        { id: 'start', agent: 't-human' },
        {
          id: 'gate',
          type: 'deterministic',
          dependsOn: ['start'],
          inputs: { text: '{{ trigger.content }}' },
          checks: [
            { rule: 'input.contains_pii', action: 'redact' },
            { rule: "input.text.contains('revisar')", action: 'escalate_to_human' },
          ],
          defaultAction: 'pass',
        },
        { id: 'after', agent: 't-human', dependsOn: ['gate'], condition: "{{ gate.action != 'reject' }}", inputs: { text: '{{ gate.input.text }}' } },
      ],
    };
    expect((await admin.post('/v1/flows', gated)).status).toBe(201);
    const content = 'Mi correo es ana.lopez@example.com y mi IBAN ES91 2100 0418 4502 0005 1332, por favor revisar';
    const id = String((await admin.post('/v1/flows/hitl-gates/executions', { input: { content } })).body['executionId']);
    const task = await openTaskOf(id);
    expect(JSON.stringify(task)).not.toMatch(/ana\.lopez|ES91/);
    expect((await reviewer.post(`/v1/inbox/${task.id}/decision`, { decision: 'approve' })).status).toBe(200);
    const done = await settled(id, 'DONE');
    expect(node(done, 'after')?.output).toMatchObject({ input: { text: 'Mi correo es [EMAIL] y mi IBAN [IBAN], por favor revisar' } });
    expect(node(done, 'gate')?.output).toMatchObject({ action: 'pass', matched: ['redact', 'escalate_to_human'], escalation: { decision: 'approve' } });
    const events = JSON.stringify((await admin.get(`/v1/executions/${id}/events`)).body['events']);
    expect(events).toContain('human_task_decided');
    expect(events).not.toMatch(/ana\.lopez@example\.com|ES91 2100|ES9121/);
  });
});
