import { setQuery } from './query-state';

const PAGE_SIZES = ['25', '50', '100', '200'];

/** Previous/next and rows per page; the page number lives in the address bar under `param`. */
export function Pager({ search, page, pages, total, pageSize, param }: { search: URLSearchParams; page: number; pages: number; total: number; pageSize: number; param: string }) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={page <= 1} onClick={() => setQuery(search, { [param]: String(page - 1) }, false)}>Previous page</button>
      <span>
        Page {page} of {pages} · {total.toLocaleString('en-US')} in all
      </span>
      <button type="button" disabled={page >= pages} onClick={() => setQuery(search, { [param]: String(page + 1) }, false)}>Next page</button>
      <label>
        Rows per page
        <select value={String(pageSize)} onChange={(e) => setQuery(search, { pageSize: e.target.value })}>
          {PAGE_SIZES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
    </nav>
  );
}
