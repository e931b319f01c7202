import { useMemo } from 'react';
import { api } from '../api/api-client';
import type { AmlAlert, Page } from '../api/aml-types';
import { ErrorMessage, Loading, Notice } from '../layout/feedback';
import { formatScore, formatTime } from '../layout/format';
import { Link } from '../layout/router';
import { useApi } from '../layout/use-api';
import { FilterSelect } from './filter-select';
import { Pager } from './pager';
import { setQuery } from './query-state';
import { useTypologies } from './typologies';

/** Bands an analyst triages by; the service filters inclusively on the model score. */
const SCORE_BANDS: Record<string, { minScore?: number; maxScore?: number }> = {
  'high (0.9 and above)': { minScore: 0.9 },
  'medium (0.5 to 0.9)': { minScore: 0.5, maxScore: 0.9 },
  'low (under 0.5)': { maxScore: 0.5 },
};

const TRACKS = [
  { value: 'MODEL_ONLY', label: 'model only (no rule)' },
  { value: 'RULES_ONLY', label: 'rules only (low score)' },
];
const SORTS = [
  { value: 'newest', label: 'Newest' },
  { value: 'oldest', label: 'Oldest' },
  { value: 'score', label: 'Highest score' },
];

function scoreBand(band: string | null) {
  return band && SCORE_BANDS[band] ? SCORE_BANDS[band] : {};
}

/** The raw alerts, newest (or highest score) first, filtered and paged by the service. */
export function AlertList({ search }: { search: URLSearchParams }) {
  const f = useMemo(
    () => ({
      decision: search.get('decision') ?? undefined,
      typology: search.get('typology') ?? undefined,
      disagreement: search.get('disagreement') ?? undefined,
      account: search.get('account') ?? undefined,
      from: search.get('from') ? new Date(`${search.get('from')}T00:00:00Z`).toISOString() : undefined,
      to: search.get('to') ? new Date(`${search.get('to')}T23:59:59.999Z`).toISOString() : undefined,
      ...scoreBand(search.get('band')),
      sort: search.get('asort') ?? 'newest',
      page: Number(search.get('apage') ?? 1),
      pageSize: Number(search.get('pageSize') ?? 50),
    }),
    [search],
  );
  const typologies = useTypologies();
  const alerts = useApi(() => api.get<Page<AmlAlert>>('/api/alerts', f), [JSON.stringify(f)]);
  const items = alerts.data?.items ?? [];
  const pages = alerts.data ? Math.max(1, Math.ceil(alerts.data.total / alerts.data.pageSize)) : 1;
  return (
    <>
      <form className="filters" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect label="Decision" value={f.decision ?? ''} onChange={(v) => setQuery(search, { decision: v })} choices={['REVIEW', 'BLOCK']} />
        <FilterSelect label="Typology" value={f.typology ?? ''} onChange={(v) => setQuery(search, { typology: v })} choices={typologies} />
        <FilterSelect label="Tracks" any="agree or disagree" value={f.disagreement ?? ''} onChange={(v) => setQuery(search, { disagreement: v })} choices={TRACKS} />
        <label>
          From date
          <input type="date" value={search.get('from') ?? ''} onChange={(e) => setQuery(search, { from: e.target.value })} />
        </label>
        <label>
          To date
          <input type="date" value={search.get('to') ?? ''} onChange={(e) => setQuery(search, { to: e.target.value })} />
        </label>
        <FilterSelect label="Score band" any="any score" value={search.get('band') ?? ''} onChange={(v) => setQuery(search, { band: v })} choices={Object.keys(SCORE_BANDS)} />
        <FilterSelect label="Sort by" any={null} value={f.sort} onChange={(v) => setQuery(search, { asort: v })} choices={SORTS} />
      </form>
      <ErrorMessage error={alerts.error} context="alerts" />
      {alerts.loading && !alerts.data && <Loading what="alerts" />}
      {alerts.data && (
        <>
          <table className="grid sticky-head" aria-label="Alerts" aria-busy={alerts.loading}>
            <thead>
              <tr>
                <th scope="col">Raised</th>
                <th scope="col">Decision</th>
                <th scope="col" aria-sort={f.sort === 'score' ? 'descending' : 'none'}>Score</th>
                <th scope="col">Typologies</th>
                <th scope="col">Accounts</th>
                <th scope="col">Tracks</th>
                <th scope="col">Case</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <td>{formatTime(a.createdAt)}</td>
                  <td><span className={`pill d-${a.decision}`}>{a.decision}</span></td>
                  <td className="num">{formatScore(a.score)}</td>
                  <td>{a.typologies.join(', ')}</td>
                  <td className="acct">{a.accounts.join(' → ')}</td>
                  <td>{a.disagreement === 'MODEL_ONLY' ? 'model only' : a.disagreement === 'RULES_ONLY' ? 'rules only' : 'agree'}</td>
                  <td>{a.caseId ? <Link to={`/cases/${a.caseId}`}>Open case</Link> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!items.length && <Notice>No alerts match these filters.</Notice>}
          <Pager search={search} page={f.page} pages={pages} total={alerts.data.total} pageSize={f.pageSize} param="apage" />
        </>
      )}
    </>
  );
}
