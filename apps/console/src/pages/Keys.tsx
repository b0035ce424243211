import { useEffect, useState, type FormEvent } from 'react';
import { api, type Role } from '../api';
import { usePrincipal } from '../auth';

interface KeyView {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt?: string | null;
}

/** Admins: make a key (its token is shown once, here), list the tenant's keys, revoke one. */
export function KeysPage() {
  const me = usePrincipal();
  const [keys, setKeys] = useState<KeyView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [token, setToken] = useState<{ name: string; token: string } | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('client');
  const [reload, setReload] = useState(0);
  useEffect(() => {
    api<{ keys: KeyView[] }>('/v1/admin/api-keys')
      .then((r) => setKeys(r.keys))
      .catch((e: Error) => setError(e.message));
  }, [reload]);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const k = await api<KeyView & { token: string }>('/v1/admin/api-keys', { body: { name: name.trim(), role } });
      setToken({ name: k.name, token: k.token });
      setName('');
      setReload((n) => n + 1);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const revoke = async (k: KeyView) => {
    if (!window.confirm(`Revoke the key “${k.name}”? Calls with it fail from now on.`)) return;
    try {
      await api(`/v1/admin/api-keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' });
      setReload((n) => n + 1);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div>
      <h1>API keys</h1>
      <form className="inline-form" onSubmit={(e) => void create(e)} aria-label="Create a key">
        <label>
          Name <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
        </label>
        <label>
          Role{' '}
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="client">client</option>
            <option value="agent-publisher">agent-publisher</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button type="submit" disabled={!name.trim()}>
          Create key
        </button>
      </form>
      {token ? (
        <div className="once" role="status">
          <p>
            The token of <strong>{token.name}</strong>, shown this once — store it now:
          </p>
          <code data-testid="new-token" className="token">
            {token.token}
          </code>
          <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(token.token)}>
            Copy
          </button>
          <button type="button" className="secondary" onClick={() => setToken(null)}>
            Done
          </button>
        </div>
      ) : null}
      {error ? <p role="alert" className="error">{error}</p> : null}
      <table className="grid" aria-label="Keys">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Id</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys?.map((k) => (
            <tr key={k.id} data-key={k.name}>
              <th scope="row">{k.name}</th>
              <td>
                <code>{k.id}</code>
              </td>
              <td>{k.role}</td>
              <td>{new Date(k.createdAt).toLocaleString()}</td>
              <td>{k.revokedAt ? <span className="badge state-failed">revoked</span> : <span className="badge state-succeeded">active</span>}</td>
              <td>
                {!k.revokedAt && k.id !== me.keyId ? (
                  <button type="button" className="danger" onClick={() => void revoke(k)} aria-label={`Revoke ${k.name}`}>
                    Revoke
                  </button>
                ) : k.id === me.keyId ? (
                  <span className="muted">this session</span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
