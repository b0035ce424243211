import { describe, expect, it } from 'vitest';
import { expressionOf, soleExpression, splitTemplate } from './template.js';

describe('templates', () => {
  it('splits text and expressions, minding map literals and strings', () => {
    expect(splitTemplate('Hola {{ trigger.user }}, {{ {"a": {"b": 1}}.a }} {{ "}}" }}!')).toEqual({
      ok: true,
      parts: [
        { kind: 'text', text: 'Hola ' },
        { kind: 'expr', expr: 'trigger.user' },
        { kind: 'text', text: ', ' },
        { kind: 'expr', expr: '{"a": {"b": 1}}.a' },
        { kind: 'text', text: ' ' },
        { kind: 'expr', expr: '"}}"' },
        { kind: 'text', text: '!' },
      ],
    });
  });

  it('tells a sole expression (keeps its type) from interpolation', () => {
    const sole = splitTemplate('  {{ x.items }} ');
    expect(sole.ok && soleExpression(sole.parts)).toBe('x.items');
    const mixed = splitTemplate('n={{ x }}');
    expect(mixed.ok && soleExpression(mixed.parts)).toBeUndefined();
  });

  it('refuses unclosed and empty expressions', () => {
    expect(splitTemplate('{{ x.y ')).toMatchObject({ ok: false, error: expect.stringContaining('never closed') });
    expect(splitTemplate('{{  }}')).toMatchObject({ ok: false, error: expect.stringContaining('empty') });
  });

  it('accepts conditions bare or in braces, but not text around them', () => {
    expect(expressionOf("{{ intent-classifier.intent == 'queja' }}")).toEqual({ ok: true, expr: "intent-classifier.intent == 'queja'" });
    expect(expressionOf('confidence < 0.5')).toEqual({ ok: true, expr: 'confidence < 0.5' });
    expect(expressionOf('if {{ a }}')).toMatchObject({ ok: false });
  });
});
