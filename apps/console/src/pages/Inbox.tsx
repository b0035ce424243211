import { useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { formProblems, SchemaForm, type JsonSchema } from '../components/SchemaForm';
import { navigate } from '../router';

/** A human task as the inbox API (GET /v1/inbox) describes it. */
export interface InboxTask {
  id: string;
  executionId: string;
  nodeId: string;
  prompt: string;
  data: Record<string, unknown> | null;
  decisions: ('approve' | 'reject' | 'edit')[];
  editSchema?: JsonSchema | null;
  assigneeRole?: string | null;
  deadlineAt?: string | null;
}

/** Open human tasks: approve, reject, or edit the data with a form generated from the task's JSON Schema. */
export function InboxPage() {
  const [tasks, setTasks] = useState<InboxTask[] | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api<{ tasks?: InboxTask[]; items?: InboxTask[] } | InboxTask[]>('/v1/inbox')
      .then((r) => setTasks(Array.isArray(r) ? r : (r.tasks ?? r.items ?? [])))
      .catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? setMissing(true) : setError((e as Error).message)));
  }, [reload]);
  if (missing) return (
    <div>
      <h1>Inbox</h1>
      <p role="status">This orchestrator has no inbox API yet (GET /v1/inbox answered 404).</p>
    </div>
  );
  return (
    <div>
      <header className="page-head">
        <h1>Inbox</h1>
        <button type="button" className="secondary" onClick={() => setReload((n) => n + 1)}>
          Refresh
        </button>
      </header>
      {error ? <p role="alert" className="error">{error}</p> : null}
      {tasks?.length === 0 ? <p className="muted">No open tasks.</p> : null}
      <ul className="plain tasks">
        {tasks?.map((t) => (
          <li key={t.id}>
            <Task task={t} onDecided={() => setReload((n) => n + 1)} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function Task({ task, onDecided }: { task: InboxTask; onDecided: () => void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState<Record<string, unknown>>(task.data ?? {});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const decide = async (decision: 'approve' | 'reject' | 'edit') => {
    if (decision === 'edit' && task.editSchema) {
      const p = formProblems(task.editSchema, value);
      setProblems(p);
      if (Object.keys(p).length > 0) return;
    }
    try {
      await api(`/v1/inbox/${encodeURIComponent(task.id)}/decision`, { body: { decision, ...(decision === 'edit' ? { data: value } : {}) } });
      onDecided();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const allowed = (d: 'approve' | 'reject' | 'edit') => task.decisions.includes(d);
  return (
    <article className="task" aria-labelledby={`task-${task.id}`} data-task={task.id}>
      <h2 id={`task-${task.id}`}>{task.prompt}</h2>
      <p className="small muted">
        node {task.nodeId} of{' '}
        <a href={`/console/executions/${task.executionId}`} onClick={(e) => (e.preventDefault(), navigate(`/executions/${task.executionId}`))}>
          execution {task.executionId.slice(0, 8)}
        </a>
        {task.assigneeRole ? ` · for ${task.assigneeRole}` : ''}
        {task.deadlineAt ? ` · due ${new Date(task.deadlineAt).toLocaleString()}` : ''}
      </p>
      {!editing ? <pre className="code">{JSON.stringify(task.data, null, 2)}</pre> : null}
      {editing && task.editSchema ? (
        <form onSubmit={(e) => (e.preventDefault(), void decide('edit'))} aria-label="Edit the data" noValidate>
          <SchemaForm schema={task.editSchema} value={value} onChange={setValue} problems={problems} />
          <button type="submit">Submit edit</button>
        </form>
      ) : null}
      {error ? <p role="alert" className="error">{error}</p> : null}
      <div className="actions">
        {allowed('approve') ? <button type="button" onClick={() => void decide('approve')}>Approve</button> : null}
        {allowed('reject') ? <button type="button" className="danger" onClick={() => void decide('reject')}>Reject</button> : null}
        {allowed('edit') && task.editSchema && !editing ? <button type="button" className="secondary" onClick={() => setEditing(true)}>Edit…</button> : null}
      </div>
    </article>
  );
}
