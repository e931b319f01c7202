import type { Session } from '../api/api-client';

const KEY = 'aml-console.session';

/**
 * The session lives in sessionStorage: it survives a reload but not closing the tab, and it is
 * dropped as soon as it expires (the server refuses it then anyway).
 */
export function loadSession(now = Date.now()): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (!s.token || !s.user || Date.parse(s.expiresAt) <= now) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}
