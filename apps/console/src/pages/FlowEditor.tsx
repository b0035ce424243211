import type { Diagnostic } from '@codemirror/lint';
import { useEffect, useMemo, useState } from 'react';
import { parseDocument } from 'yaml';
import { api, ApiError } from '../api';
import { can, usePrincipal } from '../auth';
import { CodeEditor } from '../components/CodeEditor';
import { Dag } from '../components/Dag';
import { graphOf, rangeOfPath } from '../model';

export interface FlowIssue {
  code: string;
  path: string;
  message: string;
}

const TEMPLATE = `id: hello-flow
name: Hello
nodes:
  - id: intake
    agent: intake
    inputs:
      text: "{{ trigger.content }}"
  - id: router
    agent: router
    dependsOn: [intake]
    inputs:
      text: "{{ intake.text }}"
      language: "{{ intake.language }}"
`;

/** Checks the text as it is typed: YAML syntax here, the flow's checks by POST /v1/flows/validate (nothing stored). */
function useValidation(text: string): { issues: FlowIssue[] | null; syntax: string | null } {
  const [issues, setIssues] = useState<FlowIssue[] | null>(null);
  const [syntax, setSyntax] = useState<string | null>(null);
  useEffect(() => {
    const doc = parseDocument(text);
    if (doc.errors.length > 0) {
      setSyntax(doc.errors[0]!.message);
      setIssues([]);
      return;
    }
    setSyntax(null);
    const abort = new AbortController();
    const timer = setTimeout(() => {
      api<{ valid: boolean; issues: FlowIssue[] }>('/v1/flows/validate', { body: text, contentType: 'application/yaml', signal: abort.signal })
        .then((r) => setIssues(r.issues))
        .catch((e: unknown) => {
          if (abort.signal.aborted) return;
          setIssues(e instanceof ApiError && Array.isArray(e.details?.['issues']) ? (e.details['issues'] as FlowIssue[]) : [{ code: e instanceof ApiError ? e.code : 'ERROR', path: '', message: (e as Error).message }]);
        });
    }, 250);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [text]);
  return { issues, syntax };
}

/** The YAML editor, its issues (marked at their path), the graph preview and deploy. */
export function FlowEditor({ initial = TEMPLATE, onDeployed }: { initial?: string; onDeployed: (id: string, version: number) => void }) {
  const { role } = usePrincipal();
  const [text, setText] = useState(initial);
  const [deploying, setDeploying] = useState(false);
  const [deployError, setDeployError] = useState<string | null>(null);
  const { issues, syntax } = useValidation(text);
  const diagnostics: Diagnostic[] = useMemo(() => {
    if (syntax) return [{ from: 0, to: Math.min(1, text.length), severity: 'error', message: syntax }];
    return (issues ?? []).map((i) => {
      const r = rangeOfPath(text, i.path);
      return { from: r.from, to: r.to, severity: 'error', message: `${i.path || 'flow'}: ${i.message}`, source: i.code };
    });
    // Only recomputed when the server's answer (or the syntax error) changes; `text` is read for positions.
  }, [issues, syntax]);
  const graph = useMemo(() => {
    try {
      return graphOf(parseDocument(text).toJS());
    } catch {
      return { nodes: [], edges: [] };
    }
  }, [text]);
  const valid = !syntax && issues !== null && issues.length === 0;

  const deploy = async () => {
    setDeploying(true);
    setDeployError(null);
    try {
      const v = await api<{ id: string; version: number }>('/v1/flows', { body: text, contentType: 'application/yaml' });
      onDeployed(v.id, v.version);
    } catch (e) {
      setDeployError((e as Error).message);
    } finally {
      setDeploying(false);
    }
  };

  return (
    <div className="editor-grid">
      <div className="editor-pane">
        <CodeEditor value={text} onChange={setText} language="yaml" diagnostics={diagnostics} label="Flow definition (YAML)" />
        <div className="validation" aria-live="polite" data-testid="validation">
          {syntax ? <p className="error">YAML: {syntax}</p> : null}
          {issues === null && !syntax ? <p className="muted">Checking…</p> : null}
          {valid ? <p className="ok">Valid: no issues.</p> : null}
          {issues && issues.length > 0 ? (
            <ul className="issues" aria-label="Validation issues">
              {issues.map((i, n) => (
                <li key={n}>
                  <code>{i.path || 'flow'}</code> {i.message} <span className="muted">({i.code}, line {rangeOfPath(text, i.path).line})</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        {can(role, 'deployFlow') ? (
          <div className="actions">
            <button type="button" disabled={!valid || deploying} onClick={() => void deploy()}>
              {deploying ? 'Deploying…' : 'Deploy'}
            </button>
            {deployError ? <p role="alert" className="error">{deployError}</p> : null}
          </div>
        ) : null}
      </div>
      <div className="preview-pane">
        <h2>Graph preview</h2>
        <Dag graph={graph} label="Graph preview" />
      </div>
    </div>
  );
}
