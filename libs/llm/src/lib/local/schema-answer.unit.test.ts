import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { HashedEmbedder } from './hashed.embedder.js';
import { LocalProvider } from './local.provider.js';

const local = new LocalProvider({ embedder: new HashedEmbedder() });
const now = { timezone: 'UTC', now: new Date('2026-01-26T15:30:00Z') };
const seedSchema = {
  type: 'object',
  properties: { intent: { enum: ['pregunta_producto', 'queja', 'saludo', 'otro'] }, confidence: { type: 'number' }, entities: { type: 'object' }, summary: { type: 'string' } },
  required: ['intent', 'confidence', 'entities', 'summary'],
};
const ask = (text: string) => local.complete({ messages: [{ role: 'user', content: text }], responseFormat: { type: 'json_schema', name: 'intent', schema: seedSchema }, now });

describe('local structured answers for any schema', () => {
  it('classifies into the enum the flow declares, and fills every required property with a value of its type', async () => {
    const validate = new Ajv2020({ strict: false }).compile(seedSchema);
    const cases: [string, string][] = [
      ['Tengo una queja, mi pedido llegó roto', 'queja'],
      ['¿Cuánto cuesta el plan Pro?', 'pregunta_producto'],
      ['hola, buenos días', 'saludo'],
    ];
    for (const [text, intent] of cases) {
      const c = await ask(text);
      expect(validate(c.output), `${text}: ${JSON.stringify(validate.errors)}`).toBe(true);
      // The summary is whatever the slot extractor reads from the text (a string either way: the schema says so).
      expect(c.output, text).toMatchObject({ intent, entities: {} });
    }
  });

  it('answers the same way every time', async () => {
    expect((await ask('Esto es inaceptable, nadie me responde')).output).toEqual((await ask('Esto es inaceptable, nadie me responde')).output);
  });
});
