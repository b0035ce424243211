import { createDatabase, waitFor } from '@spine/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Mesh } from './support/mesh.js';
import { api, OrchestratorMesh, type OrchestratorProcess } from './support/orchestrators.js';

type Body = Record<string, unknown>;
type NodeRun = { nodeId: string; state: string; output: Body | null; usage: Body | null };
type Child = { executionId: string; nodeId: string; state: string };

const node = (execution: Body, id: string) => (execution['nodes'] as NodeRun[]).find((n) => n.nodeId === id);
const childrenOf = (execution: Body) => execution['children'] as Child[];

const textTrigger = { type: 'manual', schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } };

/** A child flow: one agent node that reports `tokens` tokens of usage (and waits `delayMs` first). */
function childFlow(id: string, tokens: number, delayMs = 0) {
  return { id, trigger: textTrigger, nodes: [{ id: 'work', agent: 't-sub', inputs: { text: '{{ trigger.text }}', _tokens: tokens, _delayMs: delayMs } }] };
}

/** A parent flow: a `flow` node running `child@1`, then an agent node reading the child's output. */
function parentFlow(id: string, child: string, scopes: Body = { canCreateSubAgents: true }) {
  return {
    id,
    trigger: textTrigger,
    scopes,
    nodes: [
      { id: 'sub', kind: 'flow', flow: { id: child, version: 1 }, inputs: { text: '{{ trigger.text }}' } },
      { id: 'after', agent: 't-sub', dependsOn: ['sub'], inputs: { fromChild: '{{ sub.output.input.text }}', _tokens: 5 } },
    ],
  };
}

describe('sub-flows: a flow node runs another deployed flow as a child execution', () => {
  let mesh: Mesh;
  let orchestrators: OrchestratorMesh;
  let survivor: OrchestratorProcess;
  let admin: ReturnType<typeof api>;
  let reviewer: ReturnType<typeof api>;
  let otherTenant: ReturnType<typeof api>;

  const settled = (id: string, state: string) =>
    waitFor(async () => {
      const e = (await admin.get(`/v1/executions/${id}`)).body;
      return e['state'] === state && e;
    }, { what: `execution ${id} ${state}` });

  async function deploy(flow: Body): Promise<void> {
    const res = await admin.post('/v1/flows', flow);
    expect(res, JSON.stringify(res.body)).toMatchObject({ status: 201 });
  }

  async function startRun(flowId: string, text = 'hola', as = admin): Promise<string> {
    const res = await as.post(`/v1/flows/${flowId}/executions`, { input: { text } });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return String(res.body['executionId']);
  }

  const runningChildOf = (id: string) =>
    waitFor(async () => {
      const child = childrenOf((await admin.get(`/v1/executions/${id}`)).body)[0];
      if (!child) return undefined;
      return node((await admin.get(`/v1/executions/${child.executionId}`)).body, 'work')?.state === 'running' && child;
    }, { what: `a running child of ${id}` });

  beforeAll(async () => {
    mesh = await Mesh.start(inject('natsUrl'), inject('postgresAdminUrl'));
    // One execution at a time per replica: a parent that held its slot while its child runs could never finish.
    orchestrators = new OrchestratorMesh(inject('natsUrl'), await createDatabase(inject('postgresAdminUrl'), 'subflows'), {
      LEASE_MS: '1500',
      CLAIM_INTERVAL_MS: '200',
      INBOX_SWEEP_MS: '200',
      EXECUTOR_CONCURRENCY: '1',
    });
    await orchestrators.migrate();
    await orchestrators.startTestAgent('t-sub');
    survivor = await orchestrators.startOrchestrator('orch-sub-survivor');
    admin = api(survivor.url, await orchestrators.createKey('acme', 'admin'));
    reviewer = api(survivor.url, await orchestrators.createKey('acme', 'reviewer'));
    otherTenant = api(survivor.url, await orchestrators.createKey('globex', 'admin'));
    await waitFor(async () => ((await admin.get('/v1/agents')).body['agents'] as { name: string; healthy: number }[]).some((a) => a.name === 't-sub' && a.healthy > 0), { what: 't-sub healthy' });
  });

  afterAll(async () => {
    await orchestrators?.stop();
    await mesh?.stop();
  });

  it('runs the child and ends DONE with its output; the child is visible from both sides, to its tenant only', async () => {
    await deploy(childFlow('sf-child', 40));
    await deploy(parentFlow('sf-parent', 'sf-child'));
    const id = await startRun('sf-parent', 'hola hijo');
    const done = await settled(id, 'DONE');
    const sub = node(done, 'sub')!;
    const childId = String(sub.output?.['executionId']);
    expect(sub.output).toMatchObject({ output: { node: 'work', input: { text: 'hola hijo' } }, totalTokens: 40 });
    expect(sub.usage).toMatchObject({ totalTokens: '40' });
    expect(node(done, 'after')?.output).toMatchObject({ input: { fromChild: 'hola hijo' } });
    expect(childrenOf(done)).toEqual([expect.objectContaining({ executionId: childId, nodeId: 'sub', state: 'DONE' })]);
    const child = (await admin.get(`/v1/executions/${childId}`)).body;
    expect(child).toMatchObject({ flowId: 'sf-child', flowVersion: 1, state: 'DONE', parentExecutionId: id, parentNodeId: 'sub' });
    expect((await otherTenant.get(`/v1/executions/${childId}`)).status).toBe(404);
  });

  it('refuses a flow node at deploy when the parent may not create sub-agents, and a child that is not deployed', async () => {
    await deploy(childFlow('sf-allowed-child', 1));
    const forbidden = await admin.post('/v1/flows', parentFlow('sf-forbidden', 'sf-allowed-child', { canCreateSubAgents: false }));
    expect(forbidden.status).toBe(400);
    expect(forbidden.body['details']).toEqual({ 'nodes[0].kind': expect.stringContaining('SUBFLOW_NOT_ALLOWED') });
    const unknown = await admin.post('/v1/flows', parentFlow('sf-unknown', 'sf-nowhere'));
    expect(unknown.status).toBe(400);
    expect(unknown.body['details']).toMatchObject({ 'nodes[0].flow': expect.stringContaining('UNKNOWN_FLOW') });
    // Another tenant's flow is not deployed for this one.
    const foreign = await otherTenant.post('/v1/flows', parentFlow('sf-foreign', 'sf-allowed-child'));
    expect(foreign.body['details']).toMatchObject({ 'nodes[0].flow': expect.stringContaining('UNKNOWN_FLOW') });
  });

  it("counts the child's tokens against the parent's budget: a child that uses more than the parent has left fails the parent", async () => {
    await deploy(childFlow('sf-hungry', 40));
    await deploy(parentFlow('sf-budget', 'sf-hungry', { canCreateSubAgents: true, maxTotalTokens: 30 }));
    const id = await startRun('sf-budget');
    const failed = await settled(id, 'FAILED');
    expect(failed['error']).toMatchObject({ code: 'BUDGET_EXCEEDED', nodeId: 'sub' });
    expect(node(failed, 'sub')?.state).toBe('failed');
    expect(node(failed, 'after')).toBeUndefined();
    const child = (await admin.get(`/v1/executions/${childrenOf(failed)[0]!.executionId}`)).body;
    expect(child).toMatchObject({ state: 'FAILED', tokenBudget: '30', error: { code: 'BUDGET_EXCEEDED' } });

    // Within budget, the child's tokens and the parent's own add up against the same maxTotalTokens.
    await deploy(parentFlow('sf-budget-ok', 'sf-hungry', { canCreateSubAgents: true, maxTotalTokens: 44 }));
    const over = await settled(await startRun('sf-budget-ok'), 'FAILED');
    expect(over['error']).toMatchObject({ code: 'BUDGET_EXCEEDED', nodeId: 'after' });
    expect(node(over, 'sub')?.state).toBe('succeeded');
  });

  it('cancelling the parent cancels the child', async () => {
    await deploy(childFlow('sf-slow', 0, 60_000));
    await deploy(parentFlow('sf-cancel', 'sf-slow'));
    const id = await startRun('sf-cancel');
    const child = await runningChildOf(id);
    expect((await admin.post(`/v1/executions/${id}/cancel`)).status).toBeLessThan(300);
    await settled(id, 'CANCELLED');
    await settled(child.executionId, 'CANCELLED');
  });

  it("cancelling the child fails the parent's node", async () => {
    await deploy(childFlow('sf-slow-too', 0, 60_000));
    await deploy(parentFlow('sf-child-cancel', 'sf-slow-too'));
    const id = await startRun('sf-child-cancel');
    const child = await runningChildOf(id);
    expect((await admin.post(`/v1/executions/${child.executionId}/cancel`)).status).toBeLessThan(300);
    const failed = await settled(id, 'FAILED');
    expect(failed['error']).toMatchObject({ code: 'CANCELLED', nodeId: 'sub' });
  });

  it('ends right when the replica running the parent is killed while the child runs', async () => {
    await deploy(childFlow('sf-steady', 3, 1_500));
    await deploy(parentFlow('sf-restart', 'sf-steady'));
    const victim = await orchestrators.startOrchestrator(`orch-sub-victim-${Math.random().toString(36).slice(2, 8)}`);
    const victimAdmin = api(victim.url, await orchestrators.createKey('acme', 'admin'));
    const id = await startRun('sf-restart', 'sigue', victimAdmin);
    await runningChildOf(id);
    victim.service.kill('SIGKILL');
    const done = await settled(id, 'DONE');
    expect(node(done, 'sub')?.output).toMatchObject({ output: { input: { text: 'sigue' } }, totalTokens: 3 });
    expect(childrenOf(done)).toHaveLength(1);
  });

  it('waits on people without holding a slot: open inbox tasks do not starve a one-slot executor', async () => {
    const review = { id: 'sf-review', trigger: textTrigger, nodes: [{ id: 'review', kind: 'human', inputs: { text: '{{ trigger.text }}' } }] };
    await deploy(review);
    await deploy(childFlow('sf-quick', 1));
    const waiting = [await startRun('sf-review', 'uno'), await startRun('sf-review', 'dos')];
    const tasks = await waitFor(async () => {
      const open = ((await reviewer.get('/v1/inbox')).body['tasks'] as { id: string; executionId: string }[]).filter((t) => waiting.includes(t.executionId));
      return open.length === 2 && open;
    }, { what: 'two open tasks' });
    // Both wait parked, held by no replica; with one slot, another execution still runs to the end.
    await waitFor(async () => {
      const rows = await orchestrators.sql<{ parked: boolean; owner: string | null }>(`SELECT parked, lease_owner AS owner FROM orchestrator.executions WHERE id = ANY($1::uuid[])`, [waiting]);
      return rows.length === 2 && rows.every((r) => r.parked && r.owner === null);
    }, { what: 'both executions parked' });
    await settled(await startRun('sf-quick'), 'DONE');
    expect((await reviewer.post(`/v1/inbox/${tasks[0]!.id}/decision`, { decision: 'approve' })).status).toBe(200);
    const done = await settled(tasks[0]!.executionId, 'DONE');
    expect(node(done, 'review')?.output).toMatchObject({ decision: 'approve' });
  });
});
