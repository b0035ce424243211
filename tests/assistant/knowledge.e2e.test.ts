import { waitFor } from '@spine/testing';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AssistantClient } from '../support/assistant-client.js';
import { AssistantSuite, tag } from '../support/assistant-suite.js';
import { repoRoot } from '../support/mesh.js';

// Knowledge (issue 17) end to end: documents loaded through the public knowledge API, indexed by the retrieval
// agent (LanceDB), and questions answered by the erp-assistant flow from them, quoted and cited; the starter pack
// every tenant gets answers questions about the assistant's own tools. Every process real, local LLM provider.

const suite = new AssistantSuite();
let a: AssistantClient;
/** A second tenant with the same flow and no documents of its own. */
let b: AssistantClient;
/** The API key of each client, for the requests AssistantClient does not make (multipart, YAML). */
const keys = new Map<AssistantClient, string>();

const PDF_SENTENCE = 'Remote employees receive a monthly internet allowance of 35 euros, paid with the salary.';
const PDF_QUESTION = 'What internet allowance do remote employees receive?';
const POLICY = `# Travel policy\n\nTrain travel is preferred for trips under four hours.\n\n## Hotels\n\nHotel nights are booked through the travel desk, up to 120 euros a night.`;

async function pdfOf(lines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage();
  lines.forEach((line, i) => page.drawText(line, { x: 40, y: 760 - i * 18, size: 11, font }));
  return doc.save();
}

async function upload(as: AssistantClient, file: { name: string; type: string; body: Uint8Array | string }, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', new Blob([file.body], { type: file.type }), file.name);
  const res = await fetch(`${as.baseUrl}/v1/knowledge/documents`, { method: 'POST', headers: { authorization: `Bearer ${keys.get(as)}` }, body: form });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

type DocumentBody = { document: { status: string; reason: string | null; chunks: number; version: number }; chunks: { chunk: number; text: string }[] };

/** The document once indexing has ended (indexed or failed): it runs after the upload was answered. */
async function settled(as: AssistantClient, id: string, version = 1): Promise<DocumentBody> {
  let last: DocumentBody | undefined;
  await waitFor(
    async () => {
      const res = await as.request('GET', `/v1/knowledge/documents/${id}`);
      last = res.body as unknown as DocumentBody;
      return res.status === 200 && last.document.version >= version && last.document.status !== 'pending';
    },
    { intervalMs: 200, what: `document ${id} indexed or failed` },
  );
  return last!;
}

async function ask(as: AssistantClient, text: string, locale: 'es' | 'en') {
  return (await suite.talk(as)).say(text, { locale });
}

beforeAll(async () => {
  await suite.start(inject('natsUrl'), inject('postgresAdminUrl'));
  const keyA = await suite.mesh.createKey('admin');
  a = new AssistantClient(suite.mesh.url, keyA);
  const tenantB = `kb-${tag()}`;
  const keyB = await suite.mesh.createKey('admin', tenantB);
  b = new AssistantClient(suite.mesh.url, keyB);
  keys.set(a, keyA).set(b, keyB);
  const flow = await fetch(`${suite.mesh.url}/v1/flows`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keyB}`, 'content-type': 'application/yaml' },
    body: await readFile(join(repoRoot, 'apps', 'orchestrator', 'flows', 'erp-assistant.flow.yaml'), 'utf8'),
  });
  if (flow.status !== 201 && flow.status !== 200) throw new Error(`deploying the flow for ${tenantB}: ${flow.status} ${await flow.text()}`);
}, 400_000);

afterAll(() => suite.stop());

describe('documents from tenant A answer its questions, and only its', () => {
  it('quotes the PDF sentence with a citation; tenant B does not know; after delete A does not either', async () => {
    const id = `remote-${tag()}`;
    const pdf = await pdfOf(['Remote work policy', '', PDF_SENTENCE, 'Equipment is returned within ten days of leaving.']);
    expect((await upload(a, { name: 'remote.pdf', type: 'application/pdf', body: pdf }, { documentId: id, title: 'Remote work policy', language: 'en' })).status).toBe(202);
    const md = await a.request('POST', '/v1/knowledge/documents', { documentId: `travel-${tag()}`, title: 'Travel policy', text: POLICY, language: 'en', metadata: { area: 'hr' } });
    expect(md.status).toBe(202);
    expect((await settled(a, id)).document).toMatchObject({ status: 'indexed', reason: null });
    expect((await settled(a, String((md.body['document'] as { documentId: string }).documentId))).document.status).toBe('indexed');

    const answer = await ask(a, PDF_QUESTION, 'en');
    expect(answer.state).toBe('DONE');
    expect(answer.reply).toContain('35 euros');
    expect(answer.reply).toContain(`[1] Remote work policy (${id})`);

    const other = await ask(b, PDF_QUESTION, 'en');
    expect(other.state).toBe('DONE');
    expect(other.reply).toMatch(/I don't know/);
    expect(other.reply).not.toContain('35 euros');

    expect((await a.request('DELETE', `/v1/knowledge/documents/${id}`)).status).toBe(204);
    expect((await a.request('GET', `/v1/knowledge/documents/${id}`)).status).toBe(404);
    const after = await ask(a, PDF_QUESTION, 'en');
    expect(after.reply).not.toContain('35 euros');
  });

  it('lists documents by metadata, and re-posting the same id replaces its chunks', async () => {
    const id = `handbook-${tag()}`;
    const paragraphs = (n: number, word: string) => Array.from({ length: n }, (_, i) => `## Part ${i}\n\n${`${word} rule number ${i}. `.repeat(12)}`).join('\n\n');
    await a.request('POST', '/v1/knowledge/documents', { documentId: id, title: 'Handbook', text: paragraphs(5, 'first'), language: 'en', metadata: { area: `list-${id}` } });
    const first = await settled(a, id);
    expect(first.document.chunks).toBe(5);
    expect(first.chunks.map((c) => c.chunk)).toEqual([0, 1, 2, 3, 4]);
    await a.request('POST', '/v1/knowledge/documents', { documentId: id, title: 'Handbook', text: paragraphs(2, 'second'), language: 'en', metadata: { area: `list-${id}` } });
    const second = await settled(a, id, 2);
    expect(second.document).toMatchObject({ status: 'indexed', chunks: 2, version: 2 });
    expect(second.chunks).toHaveLength(2);
    expect(second.chunks.every((c) => c.text.includes('second') && !c.text.includes('first'))).toBe(true);
    const listed = await a.request('GET', `/v1/knowledge/documents?metadata.area=list-${id}`);
    expect((listed.body['documents'] as { documentId: string }[]).map((d) => d.documentId)).toEqual([id]);
  });

  it('answers 413 to an upload over the limit and stores nothing', async () => {
    const id = `huge-${tag()}`;
    // The server answers and closes while the 20 MB are still being sent: read the status off the response
    // (node:http reports it before the write fails; fetch would only report the broken pipe).
    const boundary = `b${tag()}`;
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="documentId"\r\n\r\n${id}\r\n--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="huge.txt"\r\ncontent-type: text/plain\r\n\r\n`;
    const body = Buffer.concat([Buffer.from(head), Buffer.alloc(20 * 1024 * 1024, 0x61), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${a.baseUrl}/v1/knowledge/documents`, { method: 'POST', headers: { authorization: `Bearer ${keys.get(a)}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (err) => (req.writableEnded && (err as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(err)));
      req.end(body);
    });
    expect(status).toBe(413);
    expect((await a.request('GET', `/v1/knowledge/documents/${id}`)).status).toBe(404);
  });

  it('ends a corrupt PDF failed, with the reason', async () => {
    const id = `corrupt-${tag()}`;
    expect((await upload(a, { name: 'broken.pdf', type: 'application/pdf', body: '%PDF-1.7\nthis is not a pdf at all' }, { documentId: id })).status).toBe(202);
    const doc = await settled(a, id);
    expect(doc.document.status).toBe('failed');
    expect(doc.document.reason).toMatch(/could not read the pdf file/);
    expect(doc.chunks).toEqual([]);
  });

  it('refuses a type it cannot read', async () => {
    expect((await upload(a, { name: 'x.png', type: 'image/png', body: new Uint8Array([1, 2, 3]) })).status).toBe(400);
  });
});

describe('the starter pack answers questions about the assistant and its tools', () => {
  it.each([
    ['en', 'How do I create a task?', /createTask/],
    ['en', 'What happens if the due date of a task is in the past?', /past/],
    ['en', 'What priority does a task get when none is given?', /medium/],
    ['en', 'How do I schedule a meeting in the calendar?', /createCalendarEvent|calendar/i],
    ['en', 'Which roles may call a tool, and what happens without the role?', /role/],
    ['es', '¿Cómo se crea una tarea?', /createTask|tarea/],
    ['es', '¿Qué pasa si la fecha de vencimiento está en el pasado?', /pasado/],
    ['es', '¿Qué prioridad tiene una tarea si no se indica?', /media/],
    ['es', '¿Cómo agendo una reunión en el calendario?', /calendario|createCalendarEvent/],
    ['es', '¿Qué herramienta lista las tareas?', /listTasks/],
  ] as const)('%s: %s', async (locale, question, expected) => {
    const t = await ask(b, question, locale);
    expect(t.state).toBe('DONE');
    expect(t.reply).toMatch(expected);
    expect(t.reply).toMatch(locale === 'es' ? /Fuentes: \[\d\] / : /Sources: \[\d\] /);
  });

  it('does not know about something unrelated', async () => {
    const t = await ask(b, 'What is the boiling point of mercury on Mars?', 'en');
    expect(t.reply).toMatch(/I don't know/);
  });
});
