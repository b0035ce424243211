import { waitFor } from '@spine/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AssistantClient } from '../support/assistant-client.js';
import { AssistantSuite, tag } from '../support/assistant-suite.js';

// Issue 17, memory and what surrounds the knowledge API, on the whole mesh (local providers): execution summaries
// only for flows that declare memory, found by their user only; no embedding work for a flow without memory;
// deployed flows as documents of kind `flow`; the knowledge-editor role; reindex; pending documents resumed on start.

const suite = new AssistantSuite();
let admin: AssistantClient;

/** Every embedding call retrieval made so far, whatever for (its /metrics). */
async function embedCalls(): Promise<number> {
  const text = await (await fetch(`${suite.mesh.httpUrl('retrieval')}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('spine_retrieval_embed_calls_total{'))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

type Snippet = { documentId: string; version: string; text: string; kind: string };
async function search(as: AssistantClient, body: Record<string, unknown>): Promise<Snippet[]> {
  const res = await as.request('POST', '/v1/knowledge/search', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body['snippets'] as Snippet[];
}

async function deploy(as: AssistantClient, flow: Record<string, unknown>): Promise<void> {
  const res = await as.request('POST', '/v1/flows', flow);
  expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
}

type DocumentBody = { document: { status: string; reason: string | null; version: number } };
async function settled(as: AssistantClient, id: string, version: number): Promise<DocumentBody['document']> {
  let last: DocumentBody | undefined;
  await waitFor(
    async () => {
      const res = await as.request('GET', `/v1/knowledge/documents/${id}`);
      last = res.body as unknown as DocumentBody;
      return res.status === 200 && last.document.version >= version && last.document.status !== 'pending';
    },
    { intervalMs: 200, what: `document ${id} settled` },
  );
  return last!.document;
}

beforeAll(async () => {
  await suite.start(inject('natsUrl'), inject('postgresAdminUrl'));
  admin = suite.admin;
}, 400_000);

afterAll(() => suite.stop());

describe('memory', () => {
  it('a plain 7-node flow costs retrieval no embedding; the ERP assistant summary is found for its user only', async () => {
    const flowId = `plain-7-${tag()}`;
    await deploy(admin, {
      id: flowId,
      nodes: [
        { id: 'n1', agent: 'intake', inputs: { text: '{{ trigger.content }}', userId: '{{ trigger.userId }}' } },
        ...[2, 3, 4, 5, 6, 7].map((i) => ({ id: `n${i}`, kind: 'transform', dependsOn: [`n${i - 1}`], inputs: { text: `{{ n${i - 1}.text }}`, step: i } })),
      ],
    });
    // The deploy indexes the flow's document (an embedding): let that finish before counting.
    await waitFor(async () => (await search(admin, { query: flowId, filter: { kind: 'flow' } })).some((s) => s.documentId === `flow:${flowId}`), { intervalMs: 250, what: 'the flow document' });
    // Other tests' background embedding (summaries of their ERP turns, documents, flows) is over before counting.
    await waitFor(async () => (await suite.mesh.sql(`SELECT 1 FROM event_logger.summaries WHERE indexed_at IS NULL UNION ALL SELECT 1 FROM orchestrator.knowledge_documents WHERE status = 'pending'`)).length === 0, { intervalMs: 250, what: 'no summary or document waiting to be embedded' });
    const before = await embedCalls();
    const executions: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await admin.request('POST', `/v1/flows/${flowId}/executions`, { input: { content: `crea una tarea número ${i}`, userId: 'u-plain' }, wait: true });
      expect(res.body['state'], JSON.stringify(res.body)).toBe('DONE');
      executions.push(String(res.body['id']));
    }
    // The event-logger has handled each DONE (where a summary would have been queued) before the count is read.
    await waitFor(async () => (await suite.mesh.sql(`SELECT 1 FROM event_logger.audit_events WHERE execution_id = ANY($1) AND state = 'DONE'`, [executions])).length === 5, { intervalMs: 200, what: 'five DONE events audited' });
    expect(await suite.mesh.sql(`SELECT 1 FROM event_logger.summaries WHERE execution_id = ANY($1)`, [executions])).toEqual([]);
    expect((await embedCalls()) - before).toBe(0);

    const project = `Memo${tag()}`;
    const ana = await suite.talk(admin, `u-ana-${tag()}`);
    const turn = await ana.say(`crea el proyecto ${project}`);
    expect(turn.state, turn.reply).toBe('DONE');
    await waitFor(async () => (await suite.mesh.sql(`SELECT 1 FROM event_logger.summaries WHERE execution_id = $1 AND indexed_at IS NOT NULL`, [turn.executionId])).length > 0, { intervalMs: 250, what: 'the summary indexed' });
    const found = async (userId?: string) => (await search(admin, { query: `proyecto ${project}`, filter: { kind: 'summary' }, limit: 20, ...(userId ? { userId } : {}) })).map((s) => s.documentId);
    expect(await found(ana.userId)).toContain(`summary-${turn.executionId}`);
    expect(await found(`u-bob-${tag()}`)).not.toContain(`summary-${turn.executionId}`);
    expect(await found()).not.toContain(`summary-${turn.executionId}`);
  });
});

describe('the context pack reaches the planner', () => {
  it("a task gets the default priority the tenant's policy states for its project", async () => {
    const p = await suite.newProject();
    const id = `priority-${tag()}`;
    const policy = `Tasks of the project ${p.name} get high priority by default.`;
    expect((await admin.request('POST', '/v1/knowledge/documents', { documentId: id, title: `Priorities ${p.name}`, text: policy, language: 'en' })).status).toBe(202);
    expect((await settled(admin, id, 1)).status).toBe('indexed');
    const title = `revisar el presupuesto ${tag()}`;
    const turn = await (await suite.talk(admin)).say(`crea una tarea para ${title} mañana a las 10 en el proyecto ${p.name}`);
    expect(turn.state, turn.reply).toBe('DONE');
    expect(await suite.mesh.sql(`SELECT priority FROM erp.tasks WHERE tenant_id = 'default' AND title = $1`, [title])).toEqual([{ priority: 'high' }]);
  });
});

describe('deployed flows in Cerebro', () => {
  it('are documents of kind flow: indexed on deploy, replaced on redeploy', async () => {
    const id = `refunds-${tag()}`;
    const flow = (description: string) => ({ id, name: 'Refunds', description, nodes: [{ id: 'intake', agent: 'intake', inputs: { text: '{{ trigger.content }}' } }] });
    await deploy(admin, flow('Checks a refund request against the purchase date.'));
    const hits = () => search(admin, { query: `refund request ${id}`, filter: { kind: 'flow' }, limit: 20 });
    await waitFor(async () => (await hits()).some((s) => s.documentId === `flow:${id}`), { intervalMs: 250, what: 'the flow document' });
    await deploy(admin, flow('Checks a refund request and asks a person above 100 euros.'));
    await waitFor(async () => (await hits()).some((s) => s.documentId === `flow:${id}` && s.version === '2'), { intervalMs: 250, what: 'version 2 of the flow document' });
    const mine = (await hits()).filter((s) => s.documentId === `flow:${id}`);
    expect(mine.every((s) => s.version === '2')).toBe(true);
    expect(mine.map((s) => s.text).join(' ')).toContain('above 100 euros');
    expect(mine.map((s) => s.text).join(' ')).not.toContain('purchase date');
  });
});

describe('the knowledge API around documents', () => {
  it('a knowledge-editor key uses the knowledge API and nothing else an admin may', async () => {
    const editor = new AssistantClient(suite.mesh.url, await suite.mesh.createKey('knowledge-editor'));
    const id = `editor-${tag()}`;
    expect((await editor.request('POST', '/v1/knowledge/documents', { documentId: id, title: 'Editor note', text: 'Invoices are sent on the first working day of the month.', language: 'en' })).status).toBe(202);
    expect((await settled(editor, id, 1)).status).toBe('indexed');
    expect((await editor.request('GET', '/v1/knowledge/documents')).status).toBe(200);
    expect((await editor.request('POST', '/v1/knowledge/search', { query: 'invoices' })).status).toBe(200);
    expect((await editor.request('POST', '/v1/flows', { id: `x-${tag()}`, nodes: [{ id: 'a', agent: 'intake' }] })).status).toBe(403);
    expect((await editor.request('POST', '/v1/knowledge/reindex', {})).status).toBe(403);
    expect((await editor.request('DELETE', `/v1/knowledge/documents/${id}`)).status).toBe(204);
  });

  it('reindex embeds every document again, each as a new version', async () => {
    const id = `reindex-${tag()}`;
    await admin.request('POST', '/v1/knowledge/documents', { documentId: id, title: 'Expenses', text: 'Expenses are claimed within thirty days of the purchase.', language: 'en' });
    expect((await settled(admin, id, 1)).status).toBe('indexed');
    const res = await admin.request('POST', '/v1/knowledge/reindex', {});
    expect(res.status).toBe(202);
    expect(Number(res.body['documents'])).toBeGreaterThanOrEqual(1);
    expect(await settled(admin, id, 2)).toMatchObject({ status: 'indexed', version: 2 });
    const hits = await search(admin, { query: 'expenses claimed within thirty days', limit: 20 });
    expect(hits.filter((s) => s.documentId === id).map((s) => s.version)).toEqual(['2']);
  });

  it('resumes on start the documents a crash left pending, and fails the one never read, with the reason', async () => {
    const read = `resume-${tag()}`;
    const unread = `unread-${tag()}`;
    await suite.mesh.sql(
      `INSERT INTO orchestrator.knowledge_documents (tenant_id, document_id, title, kind, language, content_type, bytes, status, text)
       VALUES ('default', $1, 'Parking', 'knowledge', 'en', 'text/markdown', 40, 'pending', 'Visitors park on level minus two of the garage.'),
              ('default', $2, 'Lost', 'knowledge', 'en', 'application/pdf', 40, 'pending', NULL)`,
      [read, unread],
    );
    await suite.mesh.crashAndRestart('orchestrator', { GRPC_PORT: '0' });
    expect(await settled(admin, read, 1)).toMatchObject({ status: 'indexed', reason: null });
    expect(await settled(admin, unread, 1)).toMatchObject({ status: 'failed', reason: expect.stringMatching(/interrupted/) });
  });
});
