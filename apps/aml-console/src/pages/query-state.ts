import { navigate } from '../layout/router';

/** Filters live in the address bar, so a reload, a bookmark or the back button keeps them. */
export function setQuery(search: URLSearchParams, changes: Record<string, string | undefined | null>, resetPage = true): void {
  const next = new URLSearchParams(search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === null || v === '') next.delete(k);
    else next.set(k, v);
  }
  if (resetPage && !('page' in changes) && !('apage' in changes)) {
    next.delete('page');
    next.delete('apage');
  }
  const s = next.toString();
  navigate(`${location.pathname}${s ? `?${s}` : ''}`, true);
}
