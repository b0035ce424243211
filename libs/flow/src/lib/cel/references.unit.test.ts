import { describe, expect, it } from 'vitest';
import { NameTable, rewriteReferences } from './references.js';

const names = new NameTable(['intent-classifier', 'quality-gate', 'intake', 'a-b', 'a_b', 'step-1']);

describe('hyphenated node ids in CEL', () => {
  it('rewrites them to safe identifiers and lists the nodes named', () => {
    const out = rewriteReferences("intent-classifier.intent == 'queja' && quality-gate.action == 'pass'", names);
    expect(out).toEqual({ expr: "intent_classifier.intent == 'queja' && quality_gate.action == 'pass'", nodes: ['intent-classifier', 'quality-gate'], unknown: [] });
  });

  it('leaves string literals, fields after a dot and spaced subtraction alone', () => {
    const out = rewriteReferences("intake.text + 'intent-classifier' + intake.meta-data + \"quality-gate\"", names);
    expect(out.expr).toBe("intake.text + 'intent-classifier' + intake.meta-data + \"quality-gate\"");
    expect(out.nodes).toEqual(['intake']);
    expect(rewriteReferences('x - 1 + y-2 + 1e-3', names)).toEqual({ expr: 'x - 1 + y-2 + 1e-3', nodes: [], unknown: [] });
  });

  it('keeps ids that differ only by - and _ apart', () => {
    expect(names.safeName('a_b')).toBe('a_b');
    expect(names.safeName('a-b')).toBe('a_b_');
    expect(rewriteReferences('a-b.x + a_b.x', names).expr).toBe('a_b_.x + a_b.x');
    expect(names.restore("No such key: y in 'a_b_.y'")).toBe("No such key: y in 'a-b.y'");
  });

  it('reads ids with digit parts, and arithmetic after an id', () => {
    expect(rewriteReferences('step-1.done && step-1-2 > 0 && intake-1 > 0', names)).toEqual({
      expr: 'step_1.done && step_1-2 > 0 && intake-1 > 0',
      nodes: ['step-1', 'intake'],
      unknown: [],
    });
  });

  it('reports a hyphenated name that is no node instead of reading it as a subtraction', () => {
    expect(rewriteReferences("intent-clasifier.intent == 'x'", names).unknown).toEqual(['intent-clasifier']);
    expect(rewriteReferences('intent-classifier-x.y', names).unknown).toEqual(['intent-classifier-x']);
  });
});
