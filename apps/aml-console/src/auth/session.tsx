import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, type Session } from '../api/api-client';
import { loadSession, saveSession } from './session-store';

interface SessionContextValue {
  session: Session | null;
  /** Why the last session ended, shown on the login page. */
  endedBecause: string | null;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Holds the signed-in user; ends the session on logout, at its expiry time, or on any 401. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => {
    const s = loadSession();
    api.setToken(s?.token ?? null);
    return s;
  });
  const [endedBecause, setEndedBecause] = useState<string | null>(null);

  const end = useCallback((why: string | null) => {
    api.setToken(null);
    saveSession(null);
    setSession(null);
    setEndedBecause(why);
  }, []);

  useEffect(() => {
    api.handleUnauthorized(() => end('Your session has expired or was revoked. Please sign in again.'));
  }, [end]);

  useEffect(() => {
    if (!session) return;
    const ms = Date.parse(session.expiresAt) - Date.now();
    const timer = setTimeout(() => end('Your session has expired. Please sign in again.'), Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [session, end]);

  const login = useCallback(async (username: string, password: string) => {
    const s = await api.post<Session>('/api/auth/login', { username, password });
    api.setToken(s.token);
    saveSession(s);
    setEndedBecause(null);
    setSession(s);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout');
    } finally {
      end('You have signed out.');
    }
  }, [end]);

  const value = useMemo(() => ({ session, endedBecause, login, logout }), [session, endedBecause, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
