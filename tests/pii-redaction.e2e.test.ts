// Issue 15, a `redact` quality gate on the whole mesh (real agents, event-logger, retrieval): an e-mail and an IBAN in
// the message reach no node below the gate, no event or token of the execution's stream, no audit row and no summary.
import { waitFor } from '@spine/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AssistantClient } from './support/assistant-client.js';
import { AssistantMesh } from './support/assistant.js';
import { readSse } from './support/sse.js';

type NodeRun = { nodeId: string; state: string; input: Record<string, unknown> | null; output: Record<string, unknown> | null };

const EMAIL = 'ana.garcia@example.com';
const IBAN = 'ES91 2100 0418 4502 0005 1332';
const CONTENT = `Hola, soy Ana. Mi correo es ${EMAIL} y mi IBAN ${IBAN}, quiero cambiar la cuenta de cobro.`;
/** The e-mail, the IBAN as written and the IBAN without its spaces, anywhere in a text. */
const PERSONAL = new RegExp([EMAIL, IBAN, IBAN.replace(/ /g, '')].map((s) => s.replace(/[.]/g, '\\.')).join('|'), 'i');

const flow = {
  id: 'pii-redaction',
  memory: true,
  nodes: [
    { id: 'intake', agent: 'intake', inputs: { text: '{{ trigger.content }}', userId: '{{ trigger.userId }}' } },
    {
      id: 'gate',
      type: 'deterministic',
      dependsOn: ['intake'],
      inputs: { text: '{{ intake.text }}' },
      checks: [{ rule: 'input.contains_pii', action: 'redact' }],
      defaultAction: 'pass',
    },
    // No inputs: the llm agent reads the trigger's content from its agent context. `answer` streams its reply as
    // tokens; `extract` fills its schema from that content (the local model finds an e-mail it is shown).
    { id: 'answer', type: 'llm', dependsOn: ['gate'], systemPrompt: 'Responde al cliente en una frase.' },
    { id: 'extract', type: 'llm', dependsOn: ['gate'], systemPrompt: 'Extrae el correo del cliente.', outputSchema: { type: 'object', properties: { email: { type: 'string' } } } },
    { id: 'echo', kind: 'transform', dependsOn: ['gate'], inputs: { message: '{{ trigger.content }}', cleaned: '{{ intake.text }}' } },
  ],
};

let mesh: AssistantMesh;
let admin: AssistantClient;
let token: string;

beforeAll(async () => {
  mesh = await AssistantMesh.start(inject('natsUrl'), inject('postgresAdminUrl'), { extraAgents: ['llm'] });
  token = await mesh.createKey('admin');
  admin = new AssistantClient(mesh.url, token);
  const deployed = await admin.request('POST', '/v1/flows', flow);
  expect([200, 201], JSON.stringify(deployed.body)).toContain(deployed.status);
}, 400_000);

afterAll(() => mesh?.stop());

describe('a redact gate keeps personal data out of everything after it', () => {
  it('an e-mail and an IBAN reach no downstream node input, stream event or token, audit row or Cerebro summary', async () => {
    const userId = `u-pii-${Math.random().toString(36).slice(2, 8)}`;
    const started = await admin.request('POST', `/v1/flows/${flow.id}/executions`, { input: { content: CONTENT, userId } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const id = String(started.body['executionId']);

    // The whole stream, from its first event to `end`: every event and every reply token.
    const stream = await readSse(`${mesh.url}/v1/executions/${id}/stream`, { headers: { authorization: `Bearer ${token}` } }, (events) => events.at(-1)?.event === 'end');
    expect(stream.status).toBe(200);
    expect(stream.events.map((e) => e.event)).toContain('end');

    const execution = await waitFor(
      async () => {
        const e = (await admin.request('GET', `/v1/executions/${id}`)).body;
        return ['DONE', 'FAILED', 'CANCELLED'].includes(String(e['state'])) && e;
      },
      { what: `execution ${id} to end` },
    );
    expect(execution['state'], JSON.stringify(execution)).toBe('DONE');
    const nodes = execution['nodes'] as NodeRun[];
    const nodeOf = (nodeId: string) => nodes.find((n) => n.nodeId === nodeId)!;
    // The gate redacted (the data was there to find), and the nodes after it ran.
    expect(nodeOf('gate').output).toMatchObject({ matched: ['redact'], input: { text: expect.stringContaining('[EMAIL]') } });
    expect(nodeOf('gate').output?.['input']).toMatchObject({ text: expect.stringContaining('[IBAN]') });
    expect(nodeOf('answer').state).toBe('succeeded');
    expect(nodeOf('extract').state).toBe('succeeded');
    expect.soft(nodeOf('echo').input).toMatchObject({ message: expect.stringContaining('[EMAIL]'), cleaned: expect.stringContaining('[IBAN]') });

    expect(stream.events.some((e) => e.event === 'chunk'), 'reply tokens in the stream').toBe(true);
    for (const nodeId of ['gate', 'answer', 'extract', 'echo']) {
      expect.soft(JSON.stringify({ input: nodeOf(nodeId).input, output: nodeOf(nodeId).output }), `node ${nodeId}`).not.toMatch(PERSONAL);
    }
    expect.soft(JSON.stringify(stream.events), 'the execution stream').not.toMatch(PERSONAL);
    expect.soft(JSON.stringify((await admin.request('GET', `/v1/executions/${id}/events`)).body), 'the execution events').not.toMatch(PERSONAL);

    // The event-logger's audit trail, up to the DONE (the row that queues the summary).
    const audit = await waitFor(
      async () => {
        const rows = await mesh.sql<{ kind: string; state: string; payload: unknown }>(`SELECT kind, state, payload FROM event_logger.audit_events WHERE execution_id = $1 ORDER BY sequence`, [id]);
        return rows.some((r) => r.state === 'DONE') && rows;
      },
      { intervalMs: 200, what: 'the DONE audited' },
    );
    expect(audit.some((r) => r.kind === 'node_completed')).toBe(true);
    expect.soft(JSON.stringify(audit), 'the audit rows').not.toMatch(PERSONAL);

    // The summary in Cerebro, found for its user.
    await waitFor(async () => (await mesh.sql(`SELECT 1 FROM event_logger.summaries WHERE execution_id = $1 AND indexed_at IS NOT NULL`, [id])).length > 0, { intervalMs: 250, what: 'the summary indexed' });
    const search = await admin.request('POST', '/v1/knowledge/search', { query: 'correo IBAN cuenta de cobro', filter: { kind: 'summary' }, userId, limit: 20 });
    expect(search.status, JSON.stringify(search.body)).toBe(200);
    const summary = (search.body['snippets'] as { documentId: string; text: string }[]).filter((s) => s.documentId === `summary-${id}`);
    expect(summary.length, JSON.stringify(search.body)).toBeGreaterThan(0);
    const text = summary.map((s) => s.text).join('\n');
    expect.soft(text).toContain('[EMAIL]');
    expect.soft(text, 'the summary').not.toMatch(PERSONAL);
  });
});
