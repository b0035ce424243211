import { describe, expect, it } from 'vitest';
import { HashedEmbedder } from './hashed.embedder.js';
import { IntentClassifier } from './intent.classifier.js';
import { defaultIntents } from './intent.examples.js';
import { intentCases } from './testing/intent-cases.js';

describe('IntentClassifier (hashed n-gram embeddings)', () => {
  const classifier = new IntentClassifier(new HashedEmbedder(), defaultIntents);

  it.each(intentCases)('%s → %s', async (text, intent) => {
    expect((await classifier.classify(text)).intent).toBe(intent);
  });

  it('gives the route with the intent', async () => {
    expect(await classifier.classify('crea una tarea para mañana')).toMatchObject({ route: 'FLOW_EXECUTION', flowType: 'CreateTask', tools: ['createTask'] });
    expect(await classifier.classify('hola')).toMatchObject({ route: 'SMALL_TALK', intent: 'small_talk' });
    expect(await classifier.classify('zzzz')).toMatchObject({ route: 'UNKNOWN', intent: 'unknown' });
  });

  it('lets a verbatim labelled example win over looser neighbours of another intent', async () => {
    // "create" pulls two create_task examples close; the list_tasks example itself must still decide.
    expect(await classifier.classify('what tasks did I create today?')).toMatchObject({ intent: 'list_tasks' });
  });

  it('classifies the same text the same way every time', async () => {
    const a = await classifier.classify('agenda una reunión con Ana');
    const b = await new IntentClassifier(new HashedEmbedder(), defaultIntents).classify('agenda una reunión con Ana');
    expect(b).toEqual(a);
  });

  it('restricts candidates and learns extra examples per call', async () => {
    const extra = [{ intent: 'tool:approveInvoice', route: 'FLOW_EXECUTION' as const, tools: ['approveInvoice'], examples: { es: ['aprueba la factura 123'], en: ['approve invoice 123'] } }];
    expect((await classifier.classify('aprueba la factura 456 por favor', { extra })).intent).toBe('tool:approveInvoice');
    const onlyTalk = await classifier.classify('crea una tarea', { among: (d) => d.tools.length === 0 });
    expect(onlyTalk.tools).toEqual([]);
  });
});
