import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { navigate } from '../router';

export interface ExecutionSummary {
  id: string;
  flowId: string;
  flowVersion: number;
  conversationId: string | null;
  state: string;
  createdAt: string;
  finishedAt: string | null;
}

const STATES = ['', 'RECEIVED', 'TRIAGED', 'RETRIEVED_CONTEXT', 'PLANNED', 'EXECUTING_TOOLS', 'STREAMING_RESPONSE', 'WAITING_INPUT', 'DONE', 'FAILED', 'CANCELLED'];
const FILTERS = ['flowId', 'state', 'from', 'to', 'q'] as const;

/** GET /v1/executions with the filters in the page's URL (no secret there), newest first, a page at a time. */
export function ExecutionsPage({ query }: { query: URLSearchParams }) {
  const [rows, setRows] = useState<ExecutionSummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = query.get('cursor');
  const key = query.toString();
  useEffect(() => {
    const params = new URLSearchParams();
    for (const f of [...FILTERS, 'cursor'] as const) {
      const v = query.get(f);
      if (v) params.set(f, f === 'from' || f === 'to' ? new Date(v).toISOString() : v);
    }
    params.set('limit', '25');
    setRows(null);
    api<{ executions: ExecutionSummary[]; nextCursor: string | null }>(`/v1/executions?${params}`)
      .then((r) => (setRows(r.executions), setNext(r.nextCursor), setError(null)))
      .catch((e: Error) => setError(e.message));
    // `key` is the query's text: a new URLSearchParams each render must not read again.
  }, [key]);
  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const params = new URLSearchParams();
    for (const f of FILTERS) {
      const v = String(form.get(f) ?? '').trim();
      if (v) params.set(f, v);
    }
    navigate(`/executions?${params}`);
  };
  const page = (c: string | null) => {
    const params = new URLSearchParams(query);
    if (c) params.set('cursor', c);
    else params.delete('cursor');
    navigate(`/executions?${params}`);
  };
  return (
    <div>
      <h1>Executions</h1>
      <form className="filters" onSubmit={apply} key={key} aria-label="Filters">
        <label>
          Flow <input name="flowId" defaultValue={query.get('flowId') ?? ''} />
        </label>
        <label>
          State{' '}
          <select name="state" defaultValue={query.get('state') ?? ''}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s || 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          From <input name="from" type="datetime-local" defaultValue={query.get('from') ?? ''} />
        </label>
        <label>
          To <input name="to" type="datetime-local" defaultValue={query.get('to') ?? ''} />
        </label>
        <label>
          Text <input name="q" type="search" defaultValue={query.get('q') ?? ''} placeholder="id, input or error" />
        </label>
        <button type="submit">Apply</button>
      </form>
      {error ? <p role="alert" className="error">{error}</p> : null}
      <table className="grid" aria-label="Executions">
        <thead>
          <tr>
            <th scope="col">Execution</th>
            <th scope="col">Flow</th>
            <th scope="col">State</th>
            <th scope="col">Started</th>
            <th scope="col">Took</th>
          </tr>
        </thead>
        <tbody>
          {rows?.map((r) => (
            <tr key={r.id}>
              <td>
                <a href={`/console/executions/${r.id}`} onClick={(e) => (e.preventDefault(), navigate(`/executions/${r.id}`))}>
                  <code>{r.id.slice(0, 8)}</code>
                </a>
              </td>
              <td>
                {r.flowId} v{r.flowVersion}
              </td>
              <td>
                <span className={`badge state-${r.state.toLowerCase()}`}>{r.state}</span>
              </td>
              <td>{new Date(r.createdAt).toLocaleString()}</td>
              <td>{r.finishedAt ? `${new Date(r.finishedAt).getTime() - new Date(r.createdAt).getTime()} ms` : '…'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows === null && !error ? <p>Loading…</p> : null}
      {rows?.length === 0 ? <p className="muted">No executions match.</p> : null}
      <nav className="pager" aria-label="Pages of executions">
        <button type="button" className="secondary" disabled={!cursor} onClick={() => page(null)}>
          Newest
        </button>
        <button type="button" disabled={!next} onClick={() => page(next)}>
          Older
        </button>
      </nav>
    </div>
  );
}
