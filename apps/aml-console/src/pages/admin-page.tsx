import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client';
import type { User } from '../api/aml-types';
import { ErrorMessage, Loading, Section } from '../layout/feedback';
import { formatTime } from '../layout/format';
import { useApi } from '../layout/use-api';

const ROLES = ['analyst', 'supervisor', 'admin', 'researcher', 'clinician', 'integration', 'service'];

/** Users and roles (admin only: the API refuses anyone else, and this page shows that refusal). */
export function AdminPage() {
  const users = useApi(() => api.get<User[]>('/api/admin/users'), []);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [form, setForm] = useState({ username: '', displayName: '', role: 'analyst', password: '' });

  const run = async (fn: () => Promise<string>) => {
    setError(null);
    setDone(null);
    try {
      setDone(await fn());
      users.reload();
    } catch (e) {
      setError(e);
    }
  };
  // values are read before the await: the controlled inputs snap back until the list reloads
  const changeRole = (u: User, role: string) =>
    void run(async () => {
      await api.patch(`/api/admin/users/${u.id}`, { role });
      return `${u.username} is now ${role}.`;
    });
  const setActive = (u: User, active: boolean) =>
    void run(async () => {
      await api.patch(`/api/admin/users/${u.id}`, { active });
      return `${u.username} ${active ? 'activated' : 'deactivated'}.`;
    });
  const create = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.post('/api/admin/users', { ...form, displayName: form.displayName || undefined });
      setForm({ username: '', displayName: '', role: 'analyst', password: '' });
      return `User ${form.username} created.`;
    });
  };

  return (
    <div className="page">
      <header className="page-head"><h1>Users and roles</h1></header>
      <ErrorMessage error={users.error} context="users" />
      <ErrorMessage error={error} />
      {done && <p role="status" className="ok">{done}</p>}
      {users.loading && !users.data && <Loading what="users" />}
      {users.data && (
        <Section title="Users">
          <table className="grid" aria-label="Users">
            <thead><tr><th scope="col">Username</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Active</th><th scope="col">Created</th></tr></thead>
            <tbody>
              {users.data.map((u) => (
                <tr key={u.id}>
                  <td>{u.username}</td>
                  <td>{u.displayName ?? '–'}</td>
                  <td>
                    <select aria-label={`Role of ${u.username}`} value={u.role} onChange={(e) => changeRole(u, e.target.value)}>
                      {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                    </select>
                  </td>
                  <td>
                    <input type="checkbox" aria-label={`${u.username} active`} checked={u.active} onChange={(e) => setActive(u, e.target.checked)} />
                  </td>
                  <td>{formatTime(u.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
      <Section title="Add a user">
        <form className="filters" onSubmit={create} aria-label="Add a user">
          <label>New username<input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required /></label>
          <label>Display name<input value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} /></label>
          <label>
            New user's role
            <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </label>
          <label>Initial password<input type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required /></label>
          <button type="submit" className="primary">Create user</button>
        </form>
      </Section>
    </div>
  );
}
