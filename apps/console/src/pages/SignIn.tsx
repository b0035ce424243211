import { useState, type FormEvent } from 'react';
import { api, ApiError, session, type Principal } from '../api';

/** The key is checked with GET /v1/whoami, then kept in sessionStorage (gone when the tab closes), never in a URL. */
export function SignIn({ onSignedIn }: { onSignedIn: (p: Principal) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const p = await api<Principal>('/v1/whoami', { key: key.trim() });
      session.set(key.trim());
      onSignedIn(p);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That key was not accepted (unknown, revoked or mistyped).' : `Could not sign in: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="signin">
      <h1>Spine console</h1>
      <form onSubmit={(e) => void submit(e)} aria-describedby="signin-help">
        <label htmlFor="api-key">API key</label>
        <input id="api-key" name="api-key" type="password" autoComplete="off" spellCheck={false} required value={key} onChange={(e) => setKey(e.target.value)} placeholder="spk_…" />
        <p id="signin-help" className="hint">
          The key <code>npm start</code> printed, or one an admin made for you. It stays in this tab only (session storage).
        </p>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy || !key.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
