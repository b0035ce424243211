import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../fixtures/catalog.fixture.js';
import { FlowPlan } from '../flow.plan.js';
import { loadFlow } from '../flow.loader.js';
import { checkFlow } from '../flow.validator.js';
import { compileExpression, evaluateExpression } from './expression.js';
import { NameTable } from './references.js';

const names = new NameTable(['intake']);

function run(source: string, text: string): unknown {
  const compiled = compileExpression(source, names);
  if (!compiled.ok) throw new Error(compiled.issues.map((i) => i.message).join('; '));
  return evaluateExpression(compiled.expression, { intake: { text } }, names);
}

describe('matches() on RE2', () => {
  it('runs a pattern a backtracking engine takes exponential time on, in linear time', () => {
    const hostile = `${'a'.repeat(5_000)}!`;
    expect(run("intake.text.matches('^((a)+)+$')", hostile)).toBe(false);
    expect(run("intake.text.matches('^(?:a|a)*$')", hostile)).toBe(false);
    expect(run("matches(intake.text, '^(?:a|a)*$')", 'aaaa')).toBe(true);
  });

  it('speaks RE2 syntax: inline flags and POSIX classes, unanchored like CEL', () => {
    expect(run("intake.text.matches('(?i)^hola')", 'HOLA mundo')).toBe(true);
    expect(run("intake.text.matches('[[:digit:]]{3}')", 'pedido 123')).toBe(true);
    expect(run("intake.text.matches('mundo')", 'hola mundo')).toBe(true);
  });

  it('refuses at compile a pattern RE2 cannot run: backreferences and lookaround', () => {
    for (const pattern of ['^(a+)\\\\1$', '^(?=a)a', 'b(?<!a)']) {
      const compiled = compileExpression(`intake.text.matches('${pattern}')`, names);
      expect(compiled).toMatchObject({ ok: false, issues: [{ code: 'CEL_REGEX', message: expect.stringContaining('is not RE2 syntax') }] });
    }
  });

  it('names the expression path of a non-RE2 pattern in a flow', () => {
    const doc = { id: 'f', nodes: [{ id: 'intake', agent: 'intake', condition: "trigger.content.matches('(a)\\\\1')" }] };
    expect(checkFlow(doc, testCatalog()).issues).toEqual([expect.objectContaining({ code: 'CEL_REGEX', path: 'nodes[0].condition' })]);
  });

  it('evaluates a flow condition with RE2 on a hostile input', () => {
    const doc = { id: 'f', nodes: [{ id: 'intake', agent: 'intake', condition: "trigger.content.matches('^((a)+)+$')" }] };
    const plan = FlowPlan.create(loadFlow(doc), testCatalog());
    expect(plan.evaluateCondition('intake', { outputs: {}, trigger: { content: `${'a'.repeat(40)}!` } })).toBe(false);
  });
});

describe('hostile expressions', () => {
  const list = `[${Array.from({ length: 200 }, (_, i) => i).join(', ')}]`;

  it('refuses nested comprehensions over literal lists at compile time (step bound)', () => {
    const doc = { id: 'f', nodes: [{ id: 'intake', agent: 'intake', inputs: { text: `{{ string(${list}.map(x, ${list}.map(y, ${list}.map(z, x + y + z))).size()) }}` } }] };
    expect(checkFlow(doc, testCatalog()).issues).toEqual([expect.objectContaining({ code: 'CEL_LIMIT', path: 'nodes[0].inputs.text' })]);
  });

  it('refuses to start a join that multiplies sizes, before it runs', () => {
    const compiled = compileExpression('intake.text.split(\'\').join(intake.text).split(\'\').join(intake.text).size()', names);
    if (!compiled.ok) throw new Error('did not compile');
    expect(() => evaluateExpression(compiled.expression, { intake: { text: 'a'.repeat(1_000) } }, names)).toThrow(expect.objectContaining({ details: expect.objectContaining({ reason: 'CEL_COST' }) }));
    expect(run("intake.text.split(' ').join('-')", 'hola que tal')).toBe('hola-que-tal');
  });

  it('refuses to start a comprehension whose inputs make it too costly, with a coded error', () => {
    const compiled = compileExpression('intake.items.map(x, intake.items.map(y, intake.items.map(z, x + y + z))).size()', new NameTable(['intake']));
    if (!compiled.ok) throw new Error('did not compile');
    const items = Array.from({ length: 1_000 }, (_, i) => BigInt(i));
    expect(() => evaluateExpression(compiled.expression, { intake: { items } }, names)).toThrow(expect.objectContaining({ details: expect.objectContaining({ reason: 'CEL_COST' }) }));
  });
});
