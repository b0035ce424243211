import { useEffect, useState } from 'react';
import { api } from '../api';
import { can, usePrincipal } from '../auth';
import { navigate } from '../router';
import { FlowEditor } from './FlowEditor';
import { FlowVersions } from './FlowVersions';

export interface FlowSummary {
  id: string;
  latestVersion: number;
  versions: number;
  updatedAt: string;
}

/** The tenant's flows; one selected (its versions, editor, graph, diff), or a new one. */
export function FlowsPage({ flowId, query }: { flowId: string | undefined; query: URLSearchParams }) {
  const { role } = usePrincipal();
  const [flows, setFlows] = useState<FlowSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api<{ flows: FlowSummary[] }>('/v1/flows')
      .then((r) => setFlows(r.flows))
      .catch((e: Error) => setError(e.message));
  }, [reload]);
  const selected = flows?.find((f) => f.id === flowId);
  return (
    <div className="split">
      <aside className="sidebar" aria-label="Flows">
        <h1>Flows</h1>
        {can(role, 'deployFlow') ? (
          <button type="button" onClick={() => navigate('/flows/new')}>
            New flow
          </button>
        ) : null}
        {error ? <p role="alert" className="error">{error}</p> : null}
        {flows === null ? <p>Loading…</p> : null}
        <ul className="list">
          {flows?.map((f) => (
            <li key={f.id}>
              <a
                href={`/console/flows/${encodeURIComponent(f.id)}`}
                aria-current={f.id === flowId ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(`/flows/${encodeURIComponent(f.id)}`);
                }}
              >
                {f.id} <span className="muted">v{f.latestVersion}</span>
              </a>
            </li>
          ))}
        </ul>
      </aside>
      <section className="content">
        {flowId === 'new' ? (
          <FlowEditor onDeployed={(id) => (setReload((n) => n + 1), navigate(`/flows/${encodeURIComponent(id)}`))} />
        ) : selected ? (
          <FlowVersions key={`${selected.id}@${selected.latestVersion}`} flow={selected} initialVersion={Number(query.get('version')) || selected.latestVersion} onDeployed={() => setReload((n) => n + 1)} />
        ) : flows && flowId ? (
          <p role="alert">No flow “{flowId}”.</p>
        ) : (
          <p className="muted">Pick a flow{can(role, 'deployFlow') ? ' or make a new one' : ''}.</p>
        )}
      </section>
    </div>
  );
}
