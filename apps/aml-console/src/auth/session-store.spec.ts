import { loadSession, saveSession } from './session-store';

describe('session store', () => {
  const store = new Map<string, string>();
  beforeAll(() => {
    (globalThis as { sessionStorage?: unknown }).sessionStorage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    };
  });
  afterAll(() => delete (globalThis as { sessionStorage?: unknown }).sessionStorage);

  const session = (expiresAt: string) => ({ token: 'st_x', expiresAt, user: { id: 'u1', username: 'analyst', role: 'analyst' } });

  it('keeps a live session across a reload', () => {
    saveSession(session('2030-01-01T00:00:00Z'));
    expect(loadSession(Date.parse('2029-12-31T23:59:00Z'))?.user.username).toBe('analyst');
  });

  it('drops an expired session instead of sending it', () => {
    saveSession(session('2030-01-01T00:00:00Z'));
    expect(loadSession(Date.parse('2030-01-01T00:00:00Z'))).toBeNull();
    expect(store.size).toBe(0);
  });

  it('ignores garbage and clears on logout', () => {
    store.set('aml-console.session', '{not json');
    expect(loadSession()).toBeNull();
    saveSession(session('2030-01-01T00:00:00Z'));
    saveSession(null);
    expect(loadSession(0)).toBeNull();
  });
});
