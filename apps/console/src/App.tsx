import { useEffect, useState } from 'react';
import { api, ApiError, session, type Principal } from './api';
import { can, PrincipalContext } from './auth';
import { AgentsPage } from './pages/Agents';
import { ChatPage } from './pages/Chat';
import { ExecutionPage } from './pages/Execution';
import { ExecutionsPage } from './pages/Executions';
import { FlowsPage } from './pages/Flows';
import { InboxPage } from './pages/Inbox';
import { KeysPage } from './pages/Keys';
import { SignIn } from './pages/SignIn';
import { navigate, useLocation } from './router';

const PAGES = [
  { path: '/flows', label: 'Flows' },
  { path: '/executions', label: 'Executions' },
  { path: '/chat', label: 'Chat' },
  { path: '/agents', label: 'Agents' },
  { path: '/inbox', label: 'Inbox' },
  { path: '/keys', label: 'Keys', admin: true },
] as const;

export function App() {
  const [principal, setPrincipal] = useState<Principal | null>(null);
  const [checking, setChecking] = useState(session.key() !== null);

  useEffect(() => {
    if (!session.key()) return;
    api<Principal>('/v1/whoami')
      .then(setPrincipal)
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) session.clear();
      })
      .finally(() => setChecking(false));
  }, []);

  if (checking) return <p className="loading">Checking your key…</p>;
  if (!principal) return <SignIn onSignedIn={setPrincipal} />;
  const signOut = () => {
    session.clear();
    setPrincipal(null);
  };
  return (
    <PrincipalContext.Provider value={principal}>
      <Shell principal={principal} onSignOut={signOut} />
    </PrincipalContext.Provider>
  );
}

function Shell({ principal, onSignOut }: { principal: Principal; onSignOut: () => void }) {
  const { path, query } = useLocation();
  const pages = PAGES.filter((p) => !('admin' in p) || can(principal.role, 'manageKeys'));
  const current = pages.find((p) => path === p.path || path.startsWith(`${p.path}/`));
  useEffect(() => {
    if (!current) navigate('/flows', true);
  }, [current]);
  useEffect(() => {
    document.title = `${current?.label ?? 'Console'} · Spine`;
  }, [current]);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Spine console</span>
        <nav aria-label="Pages">
          {pages.map((p) => (
            <a
              key={p.path}
              href={`/console${p.path}`}
              aria-current={current?.path === p.path ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate(p.path);
              }}
            >
              {p.label}
            </a>
          ))}
        </nav>
        <span className="who" data-testid="who">
          tenant <strong>{principal.tenantId}</strong> · role <strong>{principal.role}</strong>
        </span>
        <button type="button" className="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={path} query={query} />
      </main>
    </div>
  );
}

function Page({ path, query }: { path: string; query: URLSearchParams }) {
  const [, section, id] = path.split('/').map(decodeURIComponent);
  switch (section) {
    case 'flows':
      return <FlowsPage flowId={id} query={query} />;
    case 'executions':
      return id ? <ExecutionPage id={id} /> : <ExecutionsPage query={query} />;
    case 'chat':
      return <ChatPage flowId={query.get('flow') ?? 'erp-assistant'} />;
    case 'agents':
      return <AgentsPage />;
    case 'inbox':
      return <InboxPage />;
    case 'keys':
      return <KeysPage />;
    default:
      return null;
  }
}
