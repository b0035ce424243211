import { ErrorCode, SpineError } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, CompletionRequest, StreamChunk } from '../llm.types.js';
import { HashedEmbedder } from './hashed.embedder.js';
import { LocalProvider } from './local.provider.js';
import { erpTools } from './testing/erp-tools.fixture.js';

const now = { timezone: 'America/Mexico_City', now: new Date('2026-01-26T15:30:00Z') };
const local = new LocalProvider({ embedder: new HashedEmbedder() });
const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });
const plan = (messages: ChatMessage[], extra: Partial<CompletionRequest> = {}) => local.complete({ messages, tools: erpTools, now, ...extra });

async function collect(stream: AsyncIterable<StreamChunk>): Promise<StreamChunk[]> {
  const chunks: StreamChunk[] = [];
  for await (const c of stream) chunks.push(c);
  return chunks;
}

describe('LocalProvider.complete with tools', () => {
  it('calls the tool the message asks for, with the arguments it says', async () => {
    const c = await plan([user('crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website')]);
    expect(c.finishReason).toBe('tool_calls');
    expect(c.toolCalls).toEqual([expect.objectContaining({ name: 'createTask', arguments: { title: 'revisar el contrato', project: 'Website', dueAt: '2026-01-27T10:00:00-06:00' } })]);
    expect(JSON.parse(c.toolCalls[0]?.rawArguments ?? '')).toEqual(c.toolCalls[0]?.arguments);
    expect(c.text).toBe('');
  });

  it('asks one concrete question, in the user language, for what is missing', async () => {
    const es = await plan([user('crea una tarea para revisar el contrato mañana a las 10')]);
    expect(es.toolCalls[0]?.arguments).toEqual({ title: 'revisar el contrato', dueAt: '2026-01-27T10:00:00-06:00' });
    expect(es.text).toBe('¿En qué proyecto va la tarea?');
    const en = await plan([user('create a user named John Smith')]);
    expect(en.text).toBe('What is their email address?');
    const many = await plan([user('crea una tarea')]);
    expect(many.text).toBe('Para la tarea me falta: el título, el proyecto y la fecha y la hora. ¿Me lo indicas?');
  });

  it('asks for the hour when only the day was given', async () => {
    const c = await plan([user('agenda una reunión con Bob el viernes')]);
    expect(c.text).toMatch(/^¿A qué hora\?/);
  });

  it('picks the create tool and asks only for what a create request left out (issue 16)', async () => {
    const bare = await plan([user('quiero una tarea nueva')]);
    expect(bare.toolCalls[0]).toMatchObject({ name: 'createTask', arguments: {} });
    expect(bare.text).toBe('Para la tarea me falta: el título, el proyecto y la fecha y la hora. ¿Me lo indicas?');
    const noTitle = await plan([user('add a task due Monday in the Phoenix project')]);
    expect(noTitle.toolCalls[0]?.arguments).toEqual({ project: 'Phoenix', dueAt: '2026-02-02T23:59:59-06:00' });
    expect(noTitle.text).toBe('What is the title of the task?');
    const vague = await plan([user('crea una tarea para llamar al gestor mañana por la tarde en el proyecto Ventas')]);
    expect(vague.toolCalls[0]?.arguments).toEqual({ title: 'llamar al gestor', project: 'Ventas' });
    expect(vague.text).toMatch(/^¿A qué hora\?/);
    const given = await plan([user('give Peter a task to check the stock in the Phoenix project tomorrow at 9am')]);
    expect(given.toolCalls[0]).toMatchObject({ name: 'createTask', arguments: { title: 'check the stock', project: 'Phoenix', assignee: 'Peter', dueAt: '2026-01-27T09:00:00-06:00' } });
  });

  it('completes the call from the answer to its question', async () => {
    const c = await plan([user('crea una tarea para revisar el contrato mañana a las 10'), assistant('¿En qué proyecto va la tarea?'), user('Website')]);
    expect(c.toolCalls[0]?.arguments).toEqual({ title: 'revisar el contrato', project: 'Website', dueAt: '2026-01-27T10:00:00-06:00' });
    expect(c.text).toBe('');
  });

  it('resolves "a la misma hora" from a time said earlier in the conversation', async () => {
    const c = await plan([user('agenda una reunión con Daniela hoy a las 4 de la tarde'), assistant('Listo.'), user('cambia la reunión con Daniela a mañana a la misma hora')]);
    expect(c.toolCalls[0]).toMatchObject({ name: 'updateCalendarEvent', arguments: { event: 'reunión con Daniela', startsAt: '2026-01-27T16:00:00-06:00' } });
  });

  it('answers small talk with text and no tool call', async () => {
    const c = await plan([user('hola, ¿cómo estás?')]);
    expect(c.toolCalls).toEqual([]);
    expect(c.finishReason).toBe('stop');
    expect(c.text).toBe('¡Muy bien, gracias! ¿En qué te ayudo hoy?');
  });

  it('calls no tool for a request none of the given tools serves', async () => {
    const c = await local.complete({ messages: [user('crea un proyecto llamado Website')], tools: erpTools.filter((t) => t.name === 'createTask'), now });
    expect(c.toolCalls).toEqual([]);
  });

  it('uses the tool the caller forces', async () => {
    const c = await plan([user('Website, mañana a las 10')], { toolChoice: { name: 'createTask' } });
    expect(c.toolCalls[0]).toMatchObject({ name: 'createTask', arguments: { dueAt: '2026-01-27T10:00:00-06:00' } });
  });

  it('learns a new tool from its own examples', async () => {
    const approve = { name: 'approveInvoice', parameters: { type: 'object', properties: { invoice: { type: 'string', 'x-extract': 'none' } } }, examples: ['aprueba la factura', 'approve the invoice'] };
    const c = await local.complete({ messages: [user('aprueba la factura, invoice: F-123')], tools: [...erpTools, approve], now });
    expect(c.toolCalls[0]).toMatchObject({ name: 'approveInvoice', arguments: { invoice: 'F-123' } });
  });

  it('reports usage on every call', async () => {
    const c = await plan([user('crea un proyecto llamado Website')]);
    expect(c.usage).toMatchObject({ provider: 'local', model: 'local' });
    expect(c.usage.promptTokens).toBeGreaterThan(0);
    expect(c.usage.totalTokens).toBe(c.usage.promptTokens + c.usage.completionTokens);
  });
});

describe('LocalProvider structured output', () => {
  it('fills route, intent and confidence for the router, and reads the rest from the text', async () => {
    const schema = {
      type: 'object',
      properties: { route: { type: 'string', enum: ['SMALL_TALK', 'NEED_MORE_CONTEXT', 'FLOW_EXECUTION', 'UNKNOWN'] }, intent: { type: 'string' }, confidence: { type: 'number' }, project: { type: 'string' }, mood: { type: 'string' } },
    };
    const c = await local.complete({ messages: [user('crea una tarea en el proyecto Website')], responseFormat: { type: 'json_schema', name: 'route', schema }, now });
    expect(c.output).toMatchObject({ route: 'FLOW_EXECUTION', intent: 'create_task', project: 'Website' });
    expect(c.output).not.toHaveProperty('mood');
    expect(JSON.parse(c.text)).toEqual(c.output);
  });
});

describe('LocalProvider replies', () => {
  it('confirms a tool result quoting only what the tool returned', async () => {
    const result = { tool: 'createTask', ok: true, result: { id: 't-42', title: 'revisar el contrato', projectName: 'Website', dueAt: '2026-01-27T16:00:00Z' } };
    const c = await local.complete({ messages: [user('crea una tarea…'), { role: 'tool', toolCallId: 'c1', content: JSON.stringify(result) }], locale: 'es', now });
    expect(c.text).toBe('Listo: creé la tarea «revisar el contrato» en el proyecto Website para el 27 de enero de 2026, 10:00.\nDetalles: id t-42.');
  });

  it('passes on a business-rule error with its suggestion', async () => {
    const failed = { tool: 'createCalendarEvent', ok: false, error: { code: 'FAILED_PRECONDITION', message: 'choca con la Reunión Y', suggestion: '¿Te parece a las 15:00?' } };
    const c = await local.complete({ messages: [{ role: 'tool', toolCallId: 'c1', content: JSON.stringify(failed) }], locale: 'es', now });
    expect(c.text).toBe('No pude completar el evento: choca con la Reunión Y. ¿Te parece a las 15:00?');
  });

  it('lists what a read tool found', async () => {
    const listed = { tool: 'listTasks', ok: true, result: { tasks: [{ title: 'A', dueAt: '2026-01-27T16:00:00Z' }, { title: 'B' }] } };
    const c = await local.complete({ messages: [{ role: 'tool', toolCallId: 'c1', content: JSON.stringify(listed) }], locale: 'en', now });
    expect(c.text).toBe('I found 2 tasks:\n- A (January 27, 2026, 10:00)\n- B');
  });

  it('streams the reply token by token and ends with usage', async () => {
    const chunks = await collect(local.stream({ messages: [user('gracias')], now }));
    const text = chunks.flatMap((c) => (c.type === 'text' ? [c.delta] : []));
    expect(text.length).toBeGreaterThan(3);
    expect(text.join('')).toBe('¡Con gusto! ¿Algo más en lo que te ayude?');
    expect(chunks.at(-1)).toMatchObject({ type: 'done', finishReason: 'stop', usage: { provider: 'local' } });
  });

  it('streams tool calls after the question text', async () => {
    const chunks = await collect(local.stream({ messages: [user('create a task to review the contract tomorrow at 10')], tools: erpTools, now }));
    expect(chunks.filter((c) => c.type === 'tool_call')).toHaveLength(1);
    expect(chunks.at(-1)).toMatchObject({ type: 'done', finishReason: 'tool_calls' });
  });

  it('stops when aborted and past its deadline', async () => {
    const ctrl = new AbortController();
    const slow = new LocalProvider({ embedder: new HashedEmbedder(), tokenDelayMs: 5 });
    const seen: string[] = [];
    const run = (async () => {
      for await (const c of slow.stream({ messages: [user('¿quién eres?')], signal: ctrl.signal })) {
        if (c.type === 'text') seen.push(c.delta);
        if (seen.length === 2) ctrl.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ code: ErrorCode.CANCELLED });
    expect(seen).toHaveLength(2);
    await expect(local.complete({ messages: [user('hola')], deadline: Date.now() - 1 })).rejects.toBeInstanceOf(SpineError);
  });

  it('embeds texts deterministically', async () => {
    const a = await local.embed(['hola mundo', 'hello world']);
    const b = await local.embed(['hola mundo', 'hello world']);
    expect(a.vectors).toEqual(b.vectors);
    expect(a.dimensions).toBe(512);
    expect(a.usage.promptTokens).toBe(4);
  });
});
