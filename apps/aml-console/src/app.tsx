import { useEffect } from 'react';
import { useSession } from './auth/session';
import { Link, navigate, useLocation } from './layout/router';
import { AdminPage } from './pages/admin-page';
import { AlertQueuePage } from './pages/alert-queue-page';
import { CaseFilePage } from './pages/case-file-page';
import { LoginPage } from './pages/login-page';
import { MonitoringPage } from './pages/monitoring-page';
import { RulesPage } from './pages/rules-page';

const NAV = [
  { to: '/queue', label: 'Alert queue' },
  { to: '/rules', label: 'Rules' },
  { to: '/monitoring', label: 'Monitoring' },
  { to: '/admin', label: 'Admin', role: 'admin' },
];

/** Nothing but the login page is reachable without a session; after login the analyst lands on the queue. */
export function App() {
  const { session, logout } = useSession();
  const { path } = useLocation();

  useEffect(() => {
    if (!session && path !== '/login') navigate('/login', true);
    else if (session && (path === '/login' || path === '/')) navigate('/queue', true);
  }, [session, path]);

  useEffect(() => {
    const title = NAV.find((n) => path.startsWith(n.to))?.label ?? (path.startsWith('/cases/') ? 'Case file' : 'Sign in');
    document.title = `${title} · AML console`;
  }, [path]);

  if (!session) return <LoginPage />;

  const caseId = /^\/cases\/([^/]+)$/.exec(path)?.[1];
  let page;
  if (caseId) page = <CaseFilePage id={decodeURIComponent(caseId)} />;
  else if (path.startsWith('/rules')) page = <RulesPage />;
  else if (path.startsWith('/monitoring')) page = <MonitoringPage />;
  else if (path.startsWith('/admin')) page = <AdminPage />;
  else if (path.startsWith('/queue')) page = <AlertQueuePage />;
  else page = <p className="empty">No such page. <Link to="/queue">Go to the alert queue</Link>.</p>;

  return (
    <div className="shell">
      <a className="skip" href="#main">Skip to content</a>
      <header className="topbar">
        <span className="brand">AML console</span>
        <nav aria-label="Main">
          {NAV.filter((n) => !n.role || n.role === session.user.role).map((n) => (
            <Link key={n.to} to={n.to} aria-current={path.startsWith(n.to) || (n.to === '/queue' && path.startsWith('/cases/')) ? 'page' : undefined}>
              {n.label}
            </Link>
          ))}
        </nav>
        <span className="who" aria-label="Signed in as">
          {session.user.username} <span className="role">{session.user.role}</span>
        </span>
        <button type="button" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </div>
  );
}
