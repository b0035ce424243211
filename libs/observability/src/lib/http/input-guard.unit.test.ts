import { ErrorCode, SpineError } from '@spine/contracts';
import { describe, expect, it } from 'vitest';
import { assertSafeJson, boundedInt, textProblem } from './input-guard.js';

const problemOf = (fn: () => unknown): SpineError | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err as SpineError;
  }
};

describe('textProblem', () => {
  it('accepts ordinary text, accents and astral characters (a surrogate pair)', () => {
    for (const text of ['', 'hola', 'ñandú', 'emoji 😀', '\u{1F600}', 'tab\tnewline\n']) expect(textProblem(text)).toBeUndefined();
  });

  it('names a NUL and a lone surrogate, high or low', () => {
    expect(textProblem('a\u0000')).toMatch(/NUL/);
    expect(textProblem('\ud800')).toMatch(/surrogate/);
    expect(textProblem('x\udc00y')).toMatch(/surrogate/);
    expect(textProblem('\ud83d')).toMatch(/surrogate/); // half of 😀
  });
});

describe('assertSafeJson', () => {
  it('reports the path of the first bad string', () => {
    const err = problemOf(() => assertSafeJson({ nodes: [{ id: 'a' }, { id: 'b', inputs: { 'two words': 'x\u0000' } }] }));
    expect(err).toBeInstanceOf(SpineError);
    expect(err?.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(err?.details).toEqual({ field: 'body.nodes[1].inputs["two words"]' });
  });

  it('counts depth from the top, arrays and objects alike', () => {
    const nest = (levels: number): unknown => (levels === 1 ? {} : levels % 2 ? { a: nest(levels - 1) } : [nest(levels - 1)]);
    expect(problemOf(() => assertSafeJson(nest(8), { maxDepth: 8 }))).toBeUndefined();
    expect(problemOf(() => assertSafeJson(nest(9), { maxDepth: 8 }))?.details).toMatchObject({ max_depth: '8' });
  });

  it('walks a value nested a million deep without a stack overflow', () => {
    let deep: unknown = [];
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(problemOf(() => assertSafeJson(deep))?.details).toMatchObject({ max_depth: '64' });
  });

  it('skips bytes and leaves scalars alone', () => {
    expect(problemOf(() => assertSafeJson({ raw: new Uint8Array([0, 0, 0]), n: 1, b: true, z: null, big: 10n }))).toBeUndefined();
  });
});

describe('boundedInt', () => {
  it('takes plain decimal digits within the range', () => {
    expect(boundedInt('0', 'after')).toBe(0);
    expect(boundedInt(' 42 ', 'after')).toBe(42);
    expect(boundedInt('9007199254740991', 'after')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each(['', '-1', '1e3', '0x10', '1.5', '9007199254740992', '99999999999999999999', 'NaN'])('refuses %j', (text) => {
    expect(problemOf(() => boundedInt(text, 'after'))?.details).toEqual({ field: 'after' });
  });

  it('applies min and max', () => {
    expect(problemOf(() => boundedInt('0', 'version', { min: 1 }))).toBeDefined();
    expect(problemOf(() => boundedInt('2147483648', 'version', { min: 1, max: 2_147_483_647 }))).toBeDefined();
  });
});
