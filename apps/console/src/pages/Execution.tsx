import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { Dag } from '../components/Dag';
import { Timeline } from '../components/Timeline';
import { useLiveExecution } from '../live';
import { graphOf, progressOfRun, type Graph, type NodeProgress, type NodeState } from '../model';
import { navigate } from '../router';

export interface NodeRun {
  nodeId: string;
  state: string;
  attempts: number;
  input: unknown;
  output: unknown;
  error: unknown;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface ExecutionDetail {
  id: string;
  flowId: string;
  flowVersion: number;
  conversationId: string | null;
  state: string;
  error: unknown;
  input: unknown;
  createdAt: string;
  finishedAt: string | null;
  nodes: NodeRun[];
}

const ENDED = ['DONE', 'FAILED', 'CANCELLED'];

/** The execution's details and its flow's graph, read again (at most one read in flight) when a node event arrives. */
export function useExecution(id: string | undefined) {
  const [detail, setDetail] = useState<ExecutionDetail | null>(null);
  const [graph, setGraph] = useState<Graph | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reading = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const read = useCallback(() => {
    if (!id) return;
    if (reading.current) {
      again.current = true;
      return;
    }
    reading.current = api<ExecutionDetail>(`/v1/executions/${id}`)
      .then(setDetail, (e: Error) => setError(e.message))
      .finally(() => {
        reading.current = null;
        if (again.current) {
          again.current = false;
          read();
        }
      });
  }, [id]);
  useEffect(() => {
    setDetail(null);
    setGraph(null);
    read();
  }, [read]);
  useEffect(() => {
    if (!detail || graph) return;
    api<{ definition: unknown }>(`/v1/flows/${encodeURIComponent(detail.flowId)}/versions/${detail.flowVersion}`)
      .then((v) => setGraph(graphOf(v.definition)))
      .catch((e: Error) => setError(e.message));
  }, [detail, graph]);
  const live = useLiveExecution(id, read);
  const progress: Record<string, NodeProgress> = {};
  for (const run of detail?.nodes ?? []) progress[run.nodeId] = progressOfRun(run);
  // The stream is newer than the last read for the nodes it has told of.
  Object.assign(progress, live.nodes);
  const states: Record<string, NodeState> = Object.fromEntries(Object.entries(progress).map(([k, v]) => [k, v.state]));
  const state = live.state !== 'RECEIVED' || !detail ? live.state : detail.state;
  return { detail, graph, error, live, progress, states, state };
}

export function ExecutionPage({ id }: { id: string }) {
  const { detail, graph, error, live, progress, states, state } = useExecution(id);
  const [selected, setSelected] = useState<string | undefined>();
  const [actionError, setActionError] = useState<string | null>(null);
  const ended = ENDED.includes(state);
  const cancel = () => api(`/v1/executions/${id}/cancel`, { method: 'POST' }).catch((e: Error) => setActionError(e.message));
  const runAgain = async () => {
    if (!detail) return;
    try {
      const r = await api<{ executionId: string }>(`/v1/flows/${encodeURIComponent(detail.flowId)}/executions`, { body: { input: detail.input, version: detail.flowVersion } });
      navigate(`/executions/${r.executionId}`);
    } catch (e) {
      setActionError((e as Error).message);
    }
  };
  const run = detail?.nodes.find((n) => n.nodeId === selected);
  return (
    <div className="execution">
      <header className="page-head">
        <h1>
          Execution <code className="small">{id}</code>
        </h1>
        <p>
          {detail ? (
            <>
              flow{' '}
              <a href={`/console/flows/${encodeURIComponent(detail.flowId)}?version=${detail.flowVersion}`} onClick={(e) => (e.preventDefault(), navigate(`/flows/${encodeURIComponent(detail.flowId)}?version=${detail.flowVersion}`))}>
                {detail.flowId} v{detail.flowVersion}
              </a>{' '}
              ·{' '}
            </>
          ) : null}
          state{' '}
          <strong className={`badge state-${state.toLowerCase()}`} data-testid="execution-state" aria-live="polite">
            {state}
          </strong>
        </p>
        <div className="actions">
          {!ended ? (
            <button type="button" className="danger" onClick={() => void cancel()}>
              Cancel
            </button>
          ) : null}
          <button type="button" disabled={!detail} onClick={() => void runAgain()}>
            Run again with this input
          </button>
        </div>
      </header>
      {error || actionError ? <p role="alert" className="error">{error ?? actionError}</p> : null}
      {detail?.error ? <pre className="code error">{JSON.stringify(detail.error, null, 2)}</pre> : null}
      <div className="execution-grid">
        <section aria-label="DAG">{graph ? <Dag graph={graph} states={states} selected={selected} onSelect={setSelected} label="Execution DAG" /> : <p>Loading the graph…</p>}</section>
        <section aria-label="Node details" className="node-panel">
          {run || selected ? <NodePanel nodeId={selected!} run={run} progress={progress[selected!]} /> : <p className="muted">Select a node to see its input, output, attempts and error.</p>}
        </section>
      </div>
      <section aria-label="Timeline">
        <h2>Timeline</h2>
        {detail ? <Timeline start={detail.createdAt} progress={progress} order={graph?.nodes.map((n) => n.id) ?? []} /> : null}
      </section>
      <section aria-label="Reply">
        <h2>Reply</h2>
        <p className="reply" data-testid="reply" aria-live="polite">
          {live.reply || <span className="muted">{ended ? 'No reply streamed.' : 'Waiting for tokens…'}</span>}
        </p>
      </section>
    </div>
  );
}

function NodePanel({ nodeId, run, progress }: { nodeId: string; run: NodeRun | undefined; progress: NodeProgress | undefined }) {
  const show = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v, null, 2));
  return (
    <div>
      <h2>{nodeId}</h2>
      <dl className="facts">
        <dt>State</dt>
        <dd>{progress?.state ?? 'pending'}</dd>
        <dt>Attempts</dt>
        <dd>{run?.attempts ?? progress?.attempt ?? 0}</dd>
        <dt>Duration</dt>
        <dd>{run?.durationMs != null ? `${run.durationMs} ms` : '—'}</dd>
      </dl>
      <h3>Input</h3>
      <pre className="code" tabIndex={0}>{show(run?.input)}</pre>
      <h3>Output</h3>
      <pre className="code" tabIndex={0}>{show(run?.output)}</pre>
      <h3>Error</h3>
      <pre className="code" tabIndex={0}>{show(run?.error ?? progress?.error)}</pre>
    </div>
  );
}
