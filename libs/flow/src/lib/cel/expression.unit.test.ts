import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './cel-env.js';
import { compileExpression, costIssue, evaluateExpression, type CompiledExpression } from './expression.js';
import { NameTable } from './references.js';

const names = new NameTable(['intake', 'items-source']);

function compiled(source: string): CompiledExpression {
  const result = compileExpression(source, names);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.expression;
}

describe('sandbox limits', () => {
  it('refuses at deploy an expression whose cost grows with the cube of its inputs', () => {
    const cubic = compiled('intake.roles.map(a, intake.roles.map(b, intake.roles.map(c, a + b + c))).size()');
    expect(costIssue(cubic)).toMatchObject({ code: 'CEL_LIMIT', message: expect.stringContaining('with 100-element inputs; the limit is 1.0e+6') });
    expect(costIssue(compiled("intake.roles.exists(r, r == 'admin')"))).toBeUndefined();
  });

  it('refuses string doubling through cel.bind', () => {
    const vars = 'abcdefghijklm'.split('');
    const body = vars.reduceRight((inner, v, i) => `cel.bind(${v}, ${i === 0 ? 'intake.text + intake.text' : `${vars[i - 1] ?? ''} + ${vars[i - 1] ?? ''}`}, ${inner})`, 'size(m + m) > 0');
    const doubling = compiled(body);
    expect(costIssue(doubling)).toMatchObject({ code: 'CEL_LIMIT' });
  });

  it('stops a pathological expression on large inputs before it runs', () => {
    const pairs = compiled('items-source.xs.map(a, items-source.xs.filter(b, a < b)).size()');
    expect(costIssue(pairs)).toBeUndefined(); // fine for 100 elements
    const xs = Array.from({ length: 5_000 }, (_, i) => BigInt(i));
    // "refused" comes from the cost check on the inputs, before evaluation starts (running it would take ~10^8 steps).
    expect(() => evaluateExpression(pairs, { items_source: { xs } }, names)).toThrow(/refused: it may take ~1\.\de\+8 steps/);
    expect(evaluateExpression(pairs, { items_source: { xs: [1n, 2n, 3n] } }, names)).toBe(3n);
  });

  it('limits length, size and nesting of an expression', () => {
    const long = `intake.text == '${'x'.repeat(DEFAULT_LIMITS.maxLength)}'`;
    expect(compileExpression(long, names)).toMatchObject({ ok: false, issues: [{ code: 'CEL_LIMIT', message: expect.stringContaining('characters long') }] });
    const wide = Array.from({ length: 300 }, (_, i) => `${i}`).join(' + ');
    expect(compileExpression(wide, names)).toMatchObject({ ok: false, issues: [{ code: 'CEL_LIMIT', message: expect.stringContaining('maxAstNodes') }] });
    const deep = `${'('.repeat(40)}1${')'.repeat(40)}`;
    expect(compileExpression(deep, names)).toMatchObject({ ok: false, issues: [{ code: 'CEL_LIMIT', message: expect.stringContaining('maxDepth') }] });
  });

  it('allows matches() only with a literal pattern that cannot backtrack exponentially', () => {
    expect(compileExpression("intake.text.matches('^[a-z]+$')", names).ok).toBe(true);
    expect(compileExpression("intake.text.matches('(a+)+$')", names)).toMatchObject({ ok: false, issues: [{ code: 'CEL_LIMIT', message: expect.stringContaining('nests quantifiers') }] });
    expect(compileExpression('intake.text.matches(intake.userId)', names)).toMatchObject({ ok: false, issues: [{ message: 'matches() takes a literal pattern only' }] });
  });

  it('has no way out of the process: unknown functions do not exist', () => {
    const result = compileExpression("fetch('http://127.0.0.1')", names);
    expect(result.ok).toBe(true); // parses; the call itself fails
    if (result.ok) expect(() => evaluateExpression(result.expression, {}, names)).toThrow(/fetch/);
  });
});
