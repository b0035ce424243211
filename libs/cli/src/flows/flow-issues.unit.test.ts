import { describe, expect, it } from 'vitest';
import { CliError } from '../api/errors.js';
import { Output } from '../output/output.js';
import { issuesOfError, issuesOfFile, printIssues } from './flow-issues.js';
import { LineCounter, parseDocument } from 'yaml';
import type { SourceFile } from '../input/documents.js';

const yaml = 'id: f\nnodes:\n  - id: a\n    agent: t\n  - id: b\n    agent: ghost\n';
function source(text: string): SourceFile {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  return { file: 'f.yaml', text, yaml: true, value: document.toJS(), document, lines, syntaxError: undefined };
}

function capture() {
  let text = '';
  const stream = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
  return { out: new Output({ stdout: stream, stderr: stream }, { json: false, color: false }), text: () => text };
}

describe('flow issues', () => {
  it('places a path on its line and prints file:path CODE message', () => {
    const issues = issuesOfFile(source(yaml), [{ code: 'UNKNOWN_AGENT', path: 'nodes[1].agent', message: "no agent 'ghost'" }]);
    expect(issues[0]).toMatchObject({ line: 6, col: 12 });
    const { out, text } = capture();
    printIssues(out, issues, 'text');
    expect(text()).toBe("f.yaml:nodes[1].agent UNKNOWN_AGENT no agent 'ghost'\n");
  });

  it('writes GitHub annotations with escaped properties and data', () => {
    const { out, text } = capture();
    printIssues(out, [{ file: 'a,b:c.yaml', path: 'nodes', code: 'CYCLE', message: '50% a → b\nthen a', line: 2, col: 1 }], 'github');
    expect(text()).toBe('::error file=a%2Cb%3Ac.yaml,line=2,col=1,title=CYCLE::nodes: 50%25 a → b%0Athen a\n');
  });

  it("reads a refusal's details back into issues, one per code", () => {
    const err = new CliError('invalid flow', { code: 'INVALID_ARGUMENT', status: 400, details: { 'nodes[1].agent': "UNKNOWN_AGENT: no agent 'ghost'; FLOW_LIMIT: too big", flow: 'FLOW_LIMIT: 600 nodes' } });
    expect(issuesOfError(source(yaml), err)).toEqual([
      { file: 'f.yaml', path: 'nodes[1].agent', code: 'UNKNOWN_AGENT', message: "no agent 'ghost'", line: 6, col: 12 },
      { file: 'f.yaml', path: 'nodes[1].agent', code: 'FLOW_LIMIT', message: 'too big', line: 6, col: 12 },
      { file: 'f.yaml', path: '', code: 'FLOW_LIMIT', message: '600 nodes' },
    ]);
  });
});
