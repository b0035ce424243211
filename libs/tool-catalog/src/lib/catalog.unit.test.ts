import { describe, expect, it } from 'vitest';
import { callableTools, toolCatalog, toolSpec } from './catalog.js';

describe('the tool catalog: one entry per tool holds everything about it', () => {
  it('gives every tool its words in es and en: progress, action, done', () => {
    for (const t of toolCatalog) {
      for (const phrase of [t.progress, t.action, t.done]) {
        expect(phrase.es.trim(), t.name).not.toBe('');
        expect(phrase.en.trim(), t.name).not.toBe('');
        expect(phrase.es, t.name).not.toBe(phrase.en);
      }
    }
  });

  it('asks for every required argument of a tool that starts a request in words of its own', () => {
    for (const t of callableTools.filter((c) => c.flowType || c.intent)) {
      const required = (t.parameters['required'] ?? []) as string[];
      for (const field of required) expect(t.fields?.[field]?.label, `${t.name}.${field}`).toBeDefined();
    }
  });

  it('names only arguments the schema has, and each intent and flow type one tool', () => {
    for (const t of toolCatalog) {
      const props = Object.keys((t.parameters['properties'] ?? {}) as object);
      for (const field of Object.keys(t.fields ?? {})) expect(props, `${t.name}.${field}`).toContain(field);
    }
    const intents = callableTools.flatMap((t) => (t.intent ? [t.intent] : []));
    expect(new Set(intents).size).toBe(intents.length);
    const flows = callableTools.flatMap((t) => (t.flowType ? [t.flowType] : []));
    expect(new Set(flows).size).toBe(flows.length);
  });

  it('keeps the flow\'s own tools out of what a model or MCP client may call', () => {
    expect(toolSpec('lookupNames')?.internal).toBe(true);
    expect(callableTools.map((t) => t.name)).not.toContain('lookupNames');
    expect(callableTools.length).toBe(toolCatalog.length - 1);
  });
});
