import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, stream } from '../api';
import { Dag } from '../components/Dag';
import { navigate } from '../router';
import { useExecution } from './Execution';

interface Turn {
  role: 'user' | 'assistant';
  text: string;
  executionId?: string;
  done?: boolean;
  /** Reply chunks received (the reply streams token by token). */
  chunks?: number;
}

/** A playground for a conversation flow: each message's reply streams in token by token; the side panel shows its DAG live. */
export function ChatPage({ flowId }: { flowId: string }) {
  const [flows, setFlows] = useState<string[]>([]);
  const [conversation, setConversation] = useState<string | null>(null);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [executionId, setExecutionId] = useState<string | undefined>();
  const abort = useRef<AbortController | null>(null);
  useEffect(() => {
    void api<{ flows: { id: string }[] }>('/v1/flows').then((r) => setFlows(r.flows.map((f) => f.id)));
    return () => abort.current?.abort();
  }, []);
  useEffect(() => {
    setConversation(null);
    setTurns([]);
    setExecutionId(undefined);
  }, [flowId]);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const message = text.trim();
    if (!message) return;
    setBusy(true);
    setError(null);
    setText('');
    setTurns((t) => [...t, { role: 'user', text: message }, { role: 'assistant', text: '' }]);
    const appendToReply = (patch: (t: Turn) => Turn) => setTurns((all) => [...all.slice(0, -1), patch(all.at(-1)!)]);
    try {
      const id = conversation ?? (await api<{ id: string }>('/v1/conversations', { body: { flowId } })).id;
      setConversation(id);
      abort.current = new AbortController();
      // The planner resolves "mañana" in the user's zone; the language is detected from the text.
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const timezone = zone === 'Etc/UTC' || zone === 'Etc/GMT' ? 'UTC' : zone;
      await stream(
        `/v1/conversations/${id}/messages`,
        (m) => {
          const d = m.data as { text?: string; final?: boolean; payload?: { current?: string } };
          if (m.event === 'chunk' && !d.final) appendToReply((t) => ({ ...t, text: t.text + (d.text ?? ''), chunks: (t.chunks ?? 0) + 1 }));
          if (m.event === 'end') appendToReply((t) => ({ ...t, done: true }));
        },
        {
          body: { text: message, ...(timezone ? { timezone } : {}) },
          signal: abort.current.signal,
          onResponse: (res) => {
            const exec = res.headers.get('x-execution-id') ?? undefined;
            setExecutionId(exec);
            if (exec) appendToReply((t) => ({ ...t, executionId: exec }));
          },
        },
      );
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="chat-grid">
      <section className="chat" aria-label="Conversation">
        <header className="page-head">
          <h1>Chat</h1>
          <label>
            Flow{' '}
            <select value={flowId} onChange={(e) => navigate(`/chat?flow=${encodeURIComponent(e.target.value)}`)}>
              {[...new Set([flowId, ...flows])].map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </label>
          <button type="button" className="secondary" onClick={() => (setConversation(null), setTurns([]), setExecutionId(undefined))}>
            New conversation
          </button>
        </header>
        <ol className="turns" aria-live="polite" aria-label="Conversation so far" data-testid="turns">
          {turns.map((t, i) => (
            <li key={i} className={`turn ${t.role}`} data-role={t.role} data-done={t.done ? 'true' : 'false'} data-chunks={t.chunks ?? 0}>
              <span className="sr-only">{t.role === 'user' ? 'You' : 'Assistant'}: </span>
              {t.text || (t.role === 'assistant' ? <span className="muted">…</span> : null)}
              {t.executionId ? (
                <a className="small" href={`/console/executions/${t.executionId}`} onClick={(e) => (e.preventDefault(), navigate(`/executions/${t.executionId}`))}>
                  execution
                </a>
              ) : null}
            </li>
          ))}
        </ol>
        {error ? <p role="alert" className="error">{error}</p> : null}
        <form className="composer" onSubmit={(e) => void send(e)}>
          <label htmlFor="chat-message" className="sr-only">
            Message
          </label>
          <input id="chat-message" value={text} onChange={(e) => setText(e.target.value)} placeholder="crea el proyecto Website" autoComplete="off" />
          <button type="submit" disabled={busy || !text.trim()}>
            Send
          </button>
        </form>
      </section>
      <aside className="chat-side" aria-label="Live DAG of the last message">
        <h2>Last message’s DAG</h2>
        {executionId ? <LiveDag id={executionId} /> : <p className="muted">Send a message to watch its flow run.</p>}
      </aside>
    </div>
  );
}

function LiveDag({ id }: { id: string }) {
  const { graph, states, state } = useExecution(id);
  return (
    <>
      <p>
        state <strong data-testid="chat-execution-state">{state}</strong>
      </p>
      {graph ? <Dag graph={graph} states={states} label="Message DAG" /> : <p>Loading…</p>}
    </>
  );
}
