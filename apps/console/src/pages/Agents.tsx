import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { can, usePrincipal } from '../auth';

interface AgentView {
  name: string;
  version: string;
  description: string;
  transport: string;
  capabilities: string[];
  instances: { instanceId: string; state: string; lastHeartbeatAt: string | null }[];
  healthy: number;
  endpoint?: string;
  lastProbeError?: string;
}

/** Built-in and the tenant's third-party agents: health, instances, last heartbeat or probe error; registration. */
export function AgentsPage() {
  const { role } = usePrincipal();
  const [agents, setAgents] = useState<AgentView[] | null>(null);
  const [breakers, setBreakers] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api<{ agents: AgentView[] }>('/v1/agents')
      .then((r) => setAgents(r.agents))
      .catch((e: Error) => setError(e.message));
    // The answering replica's breakers; an agent it never called has a closed one.
    api<{ breakers: Record<string, string> }>('/v1/agents/breakers')
      .then((r) => setBreakers(r.breakers))
      .catch(() => setBreakers({}));
  }, [reload]);
  return (
    <div>
      <header className="page-head">
        <h1>Agents</h1>
        <button type="button" className="secondary" onClick={() => setReload((n) => n + 1)}>
          Refresh
        </button>
      </header>
      {error ? <p role="alert" className="error">{error}</p> : null}
      <table className="grid" aria-label="Agents">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Transport</th>
            <th scope="col">Health</th>
            <th scope="col">Circuit breaker</th>
            <th scope="col">Instances (last heartbeat)</th>
            <th scope="col">Probe error</th>
          </tr>
        </thead>
        <tbody>
          {agents?.map((a) => (
            <tr key={a.name}>
              <th scope="row">
                {a.name} <span className="muted">{a.version}</span>
                <div className="small muted">{a.description}</div>
              </th>
              <td>
                {a.transport}
                {a.endpoint ? <div className="small">{a.endpoint}</div> : null}
              </td>
              <td>
                <span className={`badge ${a.healthy > 0 ? 'state-succeeded' : 'state-failed'}`}>{a.healthy > 0 ? `healthy (${a.healthy})` : 'unavailable'}</span>
              </td>
              <td data-breaker={breakers[a.name] ?? 'closed'}>
                <span className={`badge ${breakers[a.name] === 'open' ? 'state-failed' : breakers[a.name] === 'half-open' ? 'state-retrying' : 'state-succeeded'}`}>{breakers[a.name] ?? 'closed'}</span>
              </td>
              <td>
                <ul className="plain">
                  {a.instances.map((i) => (
                    <li key={i.instanceId}>
                      <code className="small">{i.instanceId.slice(0, 8)}</code> {i.state} {i.lastHeartbeatAt ? <span className="muted">{new Date(i.lastHeartbeatAt).toLocaleTimeString()}</span> : null}
                    </li>
                  ))}
                </ul>
              </td>
              <td className="error">{a.lastProbeError ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {can(role, 'registerAgent') ? <RegisterAgent onRegistered={() => setReload((n) => n + 1)} /> : null}
    </div>
  );
}

const SCHEMA = '{\n  "type": "object"\n}';

/** Checks what the API would refuse before sending, then shows the API's own problems by field. */
export function cardProblems(f: Record<string, string>): Record<string, string> {
  const p: Record<string, string> = {};
  if (!/^[a-z][a-z0-9-]{1,62}$/.test(f['name'] ?? '')) p['name'] = 'lower-case letters, digits and dashes, starting with a letter';
  if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(f['version'] ?? '')) p['version'] = 'a semantic version, e.g. 1.0.0';
  if (!/^(https?:\/\/|[\w.-]+:\d+$)/.test(f['endpoint'] ?? '')) p['endpoint'] = f['transport'] === 'grpc' ? 'host:port' : 'an http(s):// URL';
  for (const field of ['inputSchema', 'outputSchema']) {
    try {
      const v = JSON.parse(f[field] ?? '') as unknown;
      if (!v || typeof v !== 'object' || Array.isArray(v)) p[field] = 'must be a JSON Schema object';
    } catch (e) {
      p[field] = `not JSON: ${(e as Error).message}`;
    }
  }
  return p;
}

function RegisterAgent({ onRegistered }: { onRegistered: () => void }) {
  const [fields, setFields] = useState<Record<string, string>>({ name: '', version: '1.0.0', description: '', transport: 'http', endpoint: '', capabilities: '', inputSchema: SCHEMA, outputSchema: SCHEMA, timeoutMs: '30000' });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const set = (k: string) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const local = cardProblems(fields);
    setProblems(local);
    if (Object.keys(local).length > 0) return;
    try {
      await api('/v1/agents', {
        body: {
          name: fields['name'], version: fields['version'], description: fields['description'], transport: fields['transport'], endpoint: fields['endpoint'],
          capabilities: (fields['capabilities'] ?? '').split(',').map((c) => c.trim()).filter(Boolean),
          inputSchema: JSON.parse(fields['inputSchema']!) as unknown, outputSchema: JSON.parse(fields['outputSchema']!) as unknown, timeoutMs: Number(fields['timeoutMs']),
        },
      });
      setDone(`Registered ${fields['name']}.`);
      onRegistered();
    } catch (err) {
      if (err instanceof ApiError && err.details) setProblems(Object.fromEntries(Object.entries(err.details).map(([k, v]) => [k, String(v)])));
      setProblems((p) => ({ ...p, form: (err as Error).message }));
    }
  };
  const field = (k: string, label: string, input: React.ReactNode) => (
    <div className="field" key={k}>
      <label htmlFor={`agent-${k}`}>{label}</label>
      {input}
      {problems[k] ? <p id={`agent-${k}-problem`} className="error">{problems[k]}</p> : null}
    </div>
  );
  const text = (k: string, label: string) => field(k, label, <input id={`agent-${k}`} value={fields[k]} onChange={set(k)} aria-invalid={problems[k] ? true : undefined} aria-describedby={problems[k] ? `agent-${k}-problem` : undefined} />);
  const area = (k: string, label: string) => field(k, label, <textarea id={`agent-${k}`} rows={4} value={fields[k]} onChange={set(k)} spellCheck={false} aria-invalid={problems[k] ? true : undefined} />);
  return (
    <form className="card-form" onSubmit={(e) => void submit(e)} aria-labelledby="register-title" noValidate>
      <h2 id="register-title">Register a third-party agent</h2>
      {text('name', 'Name')}
      {text('version', 'Version')}
      {text('description', 'Description')}
      {field('transport', 'Transport', <select id="agent-transport" value={fields['transport']} onChange={set('transport')}><option value="http">http</option><option value="grpc">grpc</option></select>)}
      {text('endpoint', 'Endpoint')}
      {text('capabilities', 'Capabilities (comma-separated)')}
      {area('inputSchema', 'Input JSON Schema')}
      {area('outputSchema', 'Output JSON Schema')}
      {text('timeoutMs', 'Timeout (ms)')}
      {problems['form'] ? <p role="alert" className="error">{problems['form']}</p> : null}
      {done ? <p role="status" className="ok">{done}</p> : null}
      <button type="submit">Register</button>
    </form>
  );
}
