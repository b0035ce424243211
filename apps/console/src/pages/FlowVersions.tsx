import { useEffect, useState } from 'react';
import { stringify } from 'yaml';
import { api } from '../api';
import { can, usePrincipal } from '../auth';
import { Dag } from '../components/Dag';
import { DiffView } from '../components/DiffView';
import { graphOf } from '../model';
import { navigate } from '../router';
import { FlowEditor } from './FlowEditor';
import type { FlowSummary } from './Flows';

interface FlowVersion {
  id: string;
  version: number;
  name: string | null;
  nodes: { id: string; agent: string | null; dependsOn: string[] }[];
  definition: unknown;
  createdAt: string;
}

const fetchVersion = (id: string, v: number) => api<FlowVersion>(`/v1/flows/${encodeURIComponent(id)}/versions/${v}`);

/** One flow: pick a version, see its graph and text, edit it into a new version, diff two versions, run it. */
export function FlowVersions({ flow, initialVersion, onDeployed }: { flow: FlowSummary; initialVersion: number; onDeployed: () => void }) {
  const { role } = usePrincipal();
  const [version, setVersion] = useState(initialVersion);
  const [view, setView] = useState<FlowVersion | null>(null);
  const [tab, setTab] = useState<'graph' | 'edit' | 'diff' | 'run'>('graph');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetchVersion(flow.id, version)
      .then(setView)
      .catch((e: Error) => setError(e.message));
  }, [flow.id, version]);
  const versions = Array.from({ length: flow.latestVersion }, (_, i) => flow.latestVersion - i);
  const tabs: ['graph' | 'edit' | 'diff' | 'run', string][] = [['graph', 'Graph'], ['run', 'Run'], ['diff', 'Diff'], ...(can(role, 'deployFlow') ? [['edit', 'Edit'] as ['edit', string]] : [])];
  return (
    <div>
      <header className="page-head">
        <h1>{flow.id}</h1>
        <label>
          Version{' '}
          <select value={version} onChange={(e) => setVersion(Number(e.target.value))}>
            {versions.map((v) => (
              <option key={v} value={v}>
                v{v}
                {v === flow.latestVersion ? ' (latest)' : ''}
              </option>
            ))}
          </select>
        </label>
        <div role="tablist" aria-label="Flow views" className="tabs">
          {tabs.map(([id, label]) => (
            <button key={id} type="button" role="tab" aria-selected={tab === id} onClick={() => setTab(id)}>
              {label}
            </button>
          ))}
        </div>
      </header>
      {error ? <p role="alert" className="error">{error}</p> : null}
      {view && tab === 'graph' ? (
        <div className="editor-grid">
          <Dag graph={{ nodes: view.nodes, edges: view.nodes.flatMap((n) => n.dependsOn.map((from) => ({ from, to: n.id }))) }} label={`Graph of ${flow.id} v${version}`} />
          <pre className="code" tabIndex={0} aria-label="Definition">{stringify(view.definition)}</pre>
        </div>
      ) : null}
      {view && tab === 'edit' ? <FlowEditor key={version} initial={stringify(view.definition)} onDeployed={(_, v) => (onDeployed(), navigate(`/flows/${encodeURIComponent(flow.id)}?version=${v}`))} /> : null}
      {view && tab === 'diff' ? <Diff flow={flow} versions={versions} current={view} /> : null}
      {view && tab === 'run' ? <Run flowId={flow.id} version={version} definition={view.definition} /> : null}
    </div>
  );
}

function Diff({ flow, versions, current }: { flow: FlowSummary; versions: number[]; current: FlowVersion }) {
  const [other, setOther] = useState(Math.max(1, current.version - 1));
  const [otherView, setOtherView] = useState<FlowVersion | null>(null);
  useEffect(() => {
    void fetchVersion(flow.id, other).then(setOtherView);
  }, [flow.id, other]);
  return (
    <div>
      <label>
        Compare v{current.version} with{' '}
        <select value={other} onChange={(e) => setOther(Number(e.target.value))}>
          {versions.map((v) => (
            <option key={v} value={v}>
              v{v}
            </option>
          ))}
        </select>
      </label>
      {otherView ? <DiffView a={stringify(otherView.definition)} b={stringify(current.definition)} label={`v${other} → v${current.version}`} /> : null}
    </div>
  );
}

function Run({ flowId, version, definition }: { flowId: string; version: number; definition: unknown }) {
  const graph = graphOf(definition);
  const [input, setInput] = useState('{\n  "content": "hola"\n}');
  const [error, setError] = useState<string | null>(null);
  const start = async () => {
    setError(null);
    try {
      const body = { input: JSON.parse(input) as unknown, version };
      const r = await api<{ executionId: string }>(`/v1/flows/${encodeURIComponent(flowId)}/executions`, { body });
      navigate(`/executions/${r.executionId}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form
      className="run"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <label htmlFor="run-input">Input (JSON, the flow’s trigger: {graph.nodes.length} nodes)</label>
      <textarea id="run-input" rows={8} value={input} onChange={(e) => setInput(e.target.value)} spellCheck={false} />
      {error ? <p role="alert" className="error">{error}</p> : null}
      <button type="submit">Start execution</button>
    </form>
  );
}
