import type { ReactNode } from 'react';
import { ApiError } from '../api/api-client';

/** An error as the analyst should read it: the service's own reason, and what kind of refusal. */
export function ErrorMessage({ error, context }: { error: unknown; context?: string }) {
  if (!error) return null;
  const e = error as Error;
  const kind = e instanceof ApiError ? (e.status === 403 ? 'Refused' : e.status === 409 ? 'Conflict' : e.status === 404 ? 'Not found' : e.status >= 500 ? 'Service error' : e.status === 0 ? 'Offline' : 'Error') : 'Error';
  return (
    <div role="alert" className="error">
      <strong>{kind}{context ? ` (${context})` : ''}:</strong> {e.message}
      {e instanceof ApiError && e.errors.length > 0 && (
        <ul>
          {e.errors.map((x, i) => (
            <li key={i}>
              {x.path ? <code>{x.path}</code> : null} {x.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** An action's failure, pinned to the corner so it is seen wherever on the page the button was. */
export function ActionError({ error, onDismiss }: { error: unknown; onDismiss: () => void }) {
  if (!error) return null;
  return (
    <div className="toast">
      <ErrorMessage error={error} context="action" />
      <button type="button" className="link" onClick={onDismiss}>Dismiss</button>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status" aria-live="polite">
      {children}
    </p>
  );
}

export function Section({ title, children, actions, id }: { title: string; children: ReactNode; actions?: ReactNode; id?: string }) {
  const hid = `${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-heading`;
  return (
    <section className="panel" aria-labelledby={hid}>
      <header className="panel-head">
        <h2 id={hid}>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}
