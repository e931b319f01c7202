import { useMemo } from 'react';
import { api } from '../api/api-client';
import type { AmlAlert, Page } from '../api/aml-types';
import { ErrorMessage, Loading, Notice } from '../layout/feedback';
import { formatScore, formatTime } from '../layout/format';
import { Link } from '../layout/router';
import { useApi } from '../layout/use-api';
import { Pager } from './pager';
import { setQuery } from './query-state';
import { useTypologies } from './typologies';

/** Bands an analyst triages by; the service filters inclusively on the model score. */
const SCORE_BANDS: Record<string, { minScore?: number; maxScore?: number }> = {
  'high (0.9 and above)': { minScore: 0.9 },
  'medium (0.5 to 0.9)': { minScore: 0.5, maxScore: 0.9 },
  'low (under 0.5)': { maxScore: 0.5 },
};

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
        <label>
          Decision
          <select value={f.decision ?? ''} onChange={(e) => setQuery(search, { decision: e.target.value })}>
            <option value="">any</option>
            <option value="REVIEW">REVIEW</option>
            <option value="BLOCK">BLOCK</option>
          </select>
        </label>
        <label>
          Typology
          <select value={f.typology ?? ''} onChange={(e) => setQuery(search, { typology: e.target.value })}>
            <option value="">any</option>
            {typologies.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        <label>
          Tracks
          <select value={f.disagreement ?? ''} onChange={(e) => setQuery(search, { disagreement: e.target.value })}>
            <option value="">agree or disagree</option>
            <option value="MODEL_ONLY">model only (no rule)</option>
            <option value="RULES_ONLY">rules only (low score)</option>
          </select>
        </label>
        <label>
          From date
          <input type="date" value={search.get('from') ?? ''} onChange={(e) => setQuery(search, { from: e.target.value })} />
        </label>
        <label>
          To date
          <input type="date" value={search.get('to') ?? ''} onChange={(e) => setQuery(search, { to: e.target.value })} />
        </label>
        <label>
          Score band
          <select value={search.get('band') ?? ''} onChange={(e) => setQuery(search, { band: e.target.value })}>
            <option value="">any score</option>
            {Object.keys(SCORE_BANDS).map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </label>
        <label>
          Sort by
          <select value={f.sort} onChange={(e) => setQuery(search, { asort: e.target.value })}>
            <option value="newest">Newest</option>
            <option value="oldest">Oldest</option>
            <option value="score">Highest score</option>
          </select>
        </label>
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
