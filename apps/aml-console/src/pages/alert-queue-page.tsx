import { useState, type KeyboardEvent } from 'react';
import { api } from '../api/api-client';
import type { AmlCase, CaseStatus, Page } from '../api/aml-types';
import { useSession } from '../auth/session';
import { ErrorMessage, Loading } from '../layout/feedback';
import { formatTime, STATUS_WORDS } from '../layout/format';
import { Link, navigate, useLocation } from '../layout/router';
import { useApi } from '../layout/use-api';
import { AlertList } from './alert-list';
import { CsvImport } from './csv-import';
import { FilterSelect } from './filter-select';
import { Pager } from './pager';
import { setQuery } from './query-state';
import { useTypologies } from './typologies';

const STATUSES: CaseStatus[] = ['open', 'in_review', 'escalated', 'closed'];
const PRIORITIES = ['critical', 'high', 'medium', 'low'];
const CASE_SORTS = [
  { value: 'sla', label: 'SLA due (soonest first)' },
  { value: 'newest', label: 'Newest' },
  { value: 'updated', label: 'Recently updated' },
];

/**
 * The analyst's working list: cases (alerts grouped by account) paged and filtered on the server,
 * with counts per status, "my alerts", bulk assignment and CSV import; plus the raw alerts with
 * their scores, decisions and disagreements.
 */
export function AlertQueuePage() {
  const { search } = useLocation();
  const view = search.get('view') === 'alerts' ? 'alerts' : 'cases';
  return (
    <div className="page">
      <header className="page-head">
        <h1>Alert queue</h1>
        <div role="tablist" aria-label="Queue view" className="tabs">
          <button role="tab" type="button" aria-selected={view === 'cases'} onClick={() => setQuery(search, { view: undefined })}>
            Cases
          </button>
          <button role="tab" type="button" aria-selected={view === 'alerts'} onClick={() => setQuery(search, { view: 'alerts' })}>
            Alerts
          </button>
        </div>
      </header>
      {view === 'cases' ? <CaseQueue search={search} /> : <AlertList search={search} />}
    </div>
  );
}

function caseFilters(search: URLSearchParams, me: string) {
  return {
    status: search.get('status') ?? undefined,
    priority: search.get('priority') ?? undefined,
    typology: search.get('typology') ?? undefined,
    assignee: search.get('mine') === 'true' ? me : (search.get('assignee') ?? undefined),
    unassigned: search.get('unassigned') === 'true' ? 'true' : undefined,
    overdue: search.get('overdue') === 'true' ? 'true' : undefined,
    account: search.get('account') ?? undefined,
    sort: search.get('sort') ?? 'sla',
    page: Number(search.get('page') ?? 1),
    pageSize: Number(search.get('pageSize') ?? 50),
  };
}

function CaseQueue({ search }: { search: URLSearchParams }) {
  const { session } = useSession();
  const me = session?.user.username ?? '';
  const f = caseFilters(search, me);
  const key = JSON.stringify(f);
  const typologies = useTypologies();
  const cases = useApi(() => api.get<Page<AmlCase>>('/api/cases', f), [key]);
  // counts per status under the other filters: four one-row pages, the totals are what we want
  const countKey = JSON.stringify({ ...f, status: undefined, page: undefined, pageSize: undefined, sort: undefined });
  const counts = useApi(
    () => Promise.all(STATUSES.map((s) => api.get<Page<AmlCase>>('/api/cases', { ...f, status: s, page: 1, pageSize: 1 }).then((p) => [s, p.total] as const))).then((r) => Object.fromEntries(r) as Record<CaseStatus, number>),
    [countKey, cases.data],
  );
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [assignTo, setAssignTo] = useState('');
  const [bulk, setBulk] = useState<{ message: string; errors: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const items = cases.data?.items ?? [];
  const pages = cases.data ? Math.max(1, Math.ceil(cases.data.total / cases.data.pageSize)) : 1;
  const allSelected = items.length > 0 && items.every((c) => selected.has(c.id));

  const toggle = (id: string) => setSelected((s) => {
    const n = new Set(s);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });

  const assign = async () => {
    const who = assignTo.trim();
    if (!who || !selected.size) return;
    setBusy(true);
    setBulk(null);
    const ids = [...selected];
    const results = await inBatches(ids, 6, (id) => api.patch(`/api/cases/${id}`, { assignee: who }));
    const errors = results.flatMap((r, i) => (r.status === 'rejected' ? [`case ${items.find((c) => c.id === ids[i])?.number ?? ids[i]}: ${(r.reason as Error).message}`] : []));
    setBulk({ message: `Assigned ${results.length - errors.length} of ${ids.length} cases to ${who}.`, errors });
    setSelected(new Set());
    setBusy(false);
    cases.reload();
  };

  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, c: AmlCase) => {
    const row = e.currentTarget;
    const move = (el: Element | null) => (el as HTMLElement | null)?.focus();
    if (e.key === 'ArrowDown' || e.key === 'j') { e.preventDefault(); move(row.nextElementSibling); }
    else if (e.key === 'ArrowUp' || e.key === 'k') { e.preventDefault(); move(row.previousElementSibling); }
    else if (e.key === 'Enter' && e.target === row) navigate(`/cases/${c.id}`);
    else if (e.key === 'x' && e.target === row) toggle(c.id);
  };

  return (
    <>
      <div className="toolbar">
        <div className="status-counts" role="group" aria-label="Cases per status">
          <button type="button" aria-pressed={!f.status} onClick={() => setQuery(search, { status: undefined })}>
            All{counts.data ? ` (${Object.values(counts.data).reduce((a, b) => a + b, 0)})` : ''}
          </button>
          {STATUSES.map((s) => (
            <button key={s} type="button" aria-pressed={f.status === s} onClick={() => setQuery(search, { status: s })}>
              {STATUS_WORDS[s]} <span className="count">({counts.data ? counts.data[s] : '…'})</span>
            </button>
          ))}
        </div>
        {/* an import job is done once its alerts are filed into cases, so one reload shows them */}
        <CsvImport onDone={() => cases.reload()} />
      </div>

      <form className="filters" aria-label="Filter cases" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect label="Priority" value={f.priority ?? ''} onChange={(v) => setQuery(search, { priority: v })} choices={PRIORITIES} />
        <FilterSelect label="Typology" value={f.typology ?? ''} onChange={(v) => setQuery(search, { typology: v })} choices={typologies} />
        <label>
          Assignee
          <input value={search.get('assignee') ?? ''} disabled={search.get('mine') === 'true'} placeholder="username" onChange={(e) => setQuery(search, { assignee: e.target.value, unassigned: undefined })} />
        </label>
        <label>
          Account
          <input value={f.account ?? ''} placeholder="bank:account" onChange={(e) => setQuery(search, { account: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={search.get('mine') === 'true'} onChange={(e) => setQuery(search, { mine: e.target.checked ? 'true' : undefined, unassigned: undefined })} />
          My alerts
        </label>
        <label className="check">
          <input type="checkbox" checked={f.unassigned === 'true'} onChange={(e) => setQuery(search, { unassigned: e.target.checked ? 'true' : undefined, mine: undefined, assignee: undefined })} />
          Unassigned
        </label>
        <label className="check">
          <input type="checkbox" checked={f.overdue === 'true'} onChange={(e) => setQuery(search, { overdue: e.target.checked ? 'true' : undefined })} />
          Overdue
        </label>
        <label>
          Sort by
          <select value={f.sort} onChange={(e) => setQuery(search, { sort: e.target.value })}>
            {CASE_SORTS.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </label>
      </form>

      <div className="bulk" role="group" aria-label="Bulk actions">
        <span>{selected.size} selected</span>
        <label>
          Assign selected to
          <input value={assignTo} onChange={(e) => setAssignTo(e.target.value)} placeholder="username" list="known-users" />
        </label>
        <datalist id="known-users">
          <option value={me} />
        </datalist>
        <button type="button" onClick={() => void assign()} disabled={!selected.size || !assignTo.trim() || busy}>
          Assign selected
        </button>
        {bulk && (
          <span role="status" className={bulk.errors.length ? 'error' : 'ok'}>
            {bulk.message} {bulk.errors.join('; ')}
          </span>
        )}
      </div>

      <ErrorMessage error={cases.error} context="cases" />
      {cases.loading && !cases.data && <Loading what="cases" />}
      {cases.data && (
        <>
          <table className="grid sticky-head" aria-label="Cases" aria-busy={cases.loading}>
            <thead>
              <tr>
                <th scope="col">
                  <input type="checkbox" aria-label="Select all cases on this page" checked={allSelected} onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((c) => c.id)))} />
                </th>
                <th scope="col">Case</th>
                <th scope="col">Title</th>
                <th scope="col">Priority</th>
                <th scope="col">Status</th>
                <th scope="col">Typologies</th>
                <th scope="col">Assignee</th>
                <th scope="col" aria-sort={f.sort === 'sla' ? 'ascending' : 'none'}>
                  <button type="button" className="link" onClick={() => setQuery(search, { sort: 'sla' })}>SLA due</button>
                </th>
                <th scope="col" aria-sort={f.sort === 'newest' ? 'descending' : 'none'}>
                  <button type="button" className="link" onClick={() => setQuery(search, { sort: 'newest' })}>Opened</button>
                </th>
                <th scope="col" aria-sort={f.sort === 'updated' ? 'descending' : 'none'}>
                  <button type="button" className="link" onClick={() => setQuery(search, { sort: 'updated' })}>Updated</button>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} tabIndex={0} onKeyDown={(e) => onRowKey(e, c)} className={c.overdue ? 'overdue' : undefined} aria-label={`Case ${c.number}: ${c.title}`}>
                  <td>
                    <input type="checkbox" aria-label={`Select case ${c.number}`} checked={selected.has(c.id)} onChange={() => toggle(c.id)} />
                  </td>
                  <td className="num">{c.number}</td>
                  <td>
                    <Link to={`/cases/${c.id}`}>{c.title}</Link>
                  </td>
                  <td><span className={`pill p-${c.priority}`}>{c.priority}</span></td>
                  <td>{STATUS_WORDS[c.status] ?? c.status}</td>
                  <td>{c.typologies.join(', ')}</td>
                  <td>{c.assignee ?? <span className="muted">unassigned</span>}</td>
                  <td className={c.overdue ? 'late' : undefined}>{formatTime(c.slaDueAt)}{c.overdue ? ' (overdue)' : ''}</td>
                  <td>{formatTime(c.createdAt)}</td>
                  <td>{formatTime(c.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!items.length && <p className="empty">No cases match these filters. Import transactions or widen the filters.</p>}
          <p className="muted small">Keys: ↑/↓ or j/k move between cases, Enter opens, x selects.</p>
          <Pager search={search} page={f.page} pages={pages} total={cases.data.total} pageSize={f.pageSize} param="page" />
        </>
      )}
    </>
  );
}

/** Runs `fn` over the items with at most `width` calls in flight, keeping each outcome in order. */
async function inBatches<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const out: PromiseSettledResult<R>[] = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.allSettled(items.slice(i, i + width).map(fn))));
  return out;
}
