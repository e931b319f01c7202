import { useState } from 'react';
import { api } from '../api/api-client';
import type { MonitoringSummary, Page } from '../api/aml-types';
import { BarChart } from '../charts/bar-chart';
import { ColumnChart } from '../charts/column-chart';
import { ErrorMessage, Loading, Section } from '../layout/feedback';
import { formatPercent, formatScore, formatTime, STATUS_WORDS } from '../layout/format';
import { useApi } from '../layout/use-api';

/** PSI above 0.1 is worth a look, above 0.25 the population has moved (the usual bands). */
const psiTone = (psi: number) => (psi >= 0.25 ? 'alert' : psi >= 0.1 ? 'warn' : 'normal');

export function MonitoringPage() {
  const s = useApi(() => api.get<MonitoringSummary>('/api/monitoring/summary'), []);
  const d = s.data;
  return (
    <div className="page">
      <header className="page-head">
        <h1>Monitoring</h1>
        <button type="button" onClick={s.reload} disabled={s.loading}>Refresh</button>
      </header>
      <ErrorMessage error={s.error} context="monitoring" />
      {!d && s.loading && <Loading what="monitoring" />}
      {d && <Summary d={d} />}
      <AuditChain />
    </div>
  );
}

function Summary({ d }: { d: MonitoringSummary }) {
  const decided = Object.values(d.decisions).reduce((a, b) => a + b, 0);
  const alerts = (d.decisions.REVIEW ?? 0) + (d.decisions.BLOCK ?? 0);
  const disagreeing = Object.values(d.disagreements).reduce((a, b) => a + b, 0);
  const inputs = d.drift.filter((x) => x.kind !== 'output').sort((a, b) => b.psi - a.psi);
  const outputs = d.drift.filter((x) => x.kind === 'output');
  return (
    <div className="grid-2">
      <Section title="Model and rules">
        <dl className="kv">
          <dt>Model</dt><dd>{d.model.name} v{d.model.version} on {d.model.provider} ({d.model.precision})</dd>
          <dt>Review threshold</dt><dd>{formatScore(d.model.threshold)}</dd>
          <dt>Active rule set</dt><dd>version {d.ruleVersion}</dd>
          <dt>Live precision</dt>
          <dd>{d.liveModelPrecision == null ? 'no dispositioned model alerts yet' : `${formatPercent(d.liveModelPrecision)} of dispositioned model alerts were suspicious`}</dd>
          {d.model.cardMetrics && (
            <>
              <dt>Held-out metrics (card)</dt>
              <dd>{Object.entries(d.model.cardMetrics).filter(([, v]) => typeof v === 'number').map(([k, v]) => `${k} ${Number(v).toFixed(3)}`).join(' · ')}</dd>
            </>
          )}
        </dl>
        <h3>Model monitor alerts</h3>
        {d.modelAlerts?.length ? (
          <ul className="monitor-alerts" aria-label="Model monitor alerts">
            {d.modelAlerts.slice(-10).reverse().map((a, i) => (
              <li key={i} className={a.level === 'critical' ? 'late' : undefined}>
                <span className="pill">{a.level}</span> {a.message} <span className="muted small">{formatTime(a.at)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">No drift or quality alerts from the model monitor.</p>
        )}
      </Section>
      <Section title="Decisions">
        <BarChart title="Decisions by outcome" bars={['ALLOW', 'REVIEW', 'BLOCK'].map((k) => ({ label: k, value: d.decisions[k] ?? 0, tone: k === 'BLOCK' ? 'alert' : k === 'REVIEW' ? 'warn' : 'normal' }))} />
        <p>
          Disagreement rate: <strong data-testid="disagreement-rate">{alerts ? formatPercent(disagreeing / alerts) : '–'}</strong> of {alerts.toLocaleString('en-US')} alerts
          ({decided ? formatPercent(disagreeing / decided) : '–'} of all {decided.toLocaleString('en-US')} decisions)
        </p>
        <WeeklyDisagreement weeks={d.alertPrecisionByWeek} />
        <BarChart title="Disagreements by kind" bars={[{ label: 'model only (no rule)', value: d.disagreements.MODEL_ONLY ?? 0 }, { label: 'rules only (low score)', value: d.disagreements.RULES_ONLY ?? 0 }]} />
      </Section>
      <Section title="Alert volume by week">
        <ColumnChart title="Alerts raised per week" columns={d.alertPrecisionByWeek.map((w) => ({ label: w.week, value: w.alerts }))} />
      </Section>
      <Section title="Precision by week">
        <ColumnChart
          title="Alert precision per week (suspicious / dispositioned)"
          columns={d.alertPrecisionByWeek.map((w) => ({ label: w.week, value: w.precision, note: 'no dispositions yet' }))}
          format={formatPercent}
          max={1}
        />
        <p className="muted small">Labels come from case dispositions: a week shows no bar until one of its alerts is dispositioned.</p>
      </Section>
      <Section title="Cases by status">
        <BarChart title="Cases by status" bars={Object.keys(STATUS_WORDS).map((k) => ({ label: STATUS_WORDS[k], value: d.cases[k] ?? 0 }))} />
      </Section>
      <Section title="Drift of the model's score">
        <BarChart title="Score drift (PSI)" bars={outputs.map((x) => ({ label: x.feature, value: x.psi, tone: psiTone(x.psi) }))} format={(v) => v.toFixed(3)} max={Math.max(0.3, ...outputs.map((x) => x.psi))} emptyText="No score observations yet." />
        <p className="muted small">Population stability index against the training reference: under 0.1 stable, 0.1–0.25 watch, over 0.25 shifted.</p>
      </Section>
      <Section title="Drift of the model's inputs">
        <InputDrift inputs={inputs} />
      </Section>
    </div>
  );
}

/** Weeks shown in the weekly disagreement chart (each costs two count queries). */
const DISAGREEMENT_WEEKS = 12;

/**
 * Disagreement rate per week of alert creation: the share of a week's alerts where only one track
 * fired, counted by the service (one-row pages of /api/alerts filtered by week and kind).
 */
function WeeklyDisagreement({ weeks }: { weeks: MonitoringSummary['alertPrecisionByWeek'] }) {
  const recent = weeks.slice(-DISAGREEMENT_WEEKS);
  const rates = useApi(async () => {
    const out: Array<{ label: string; value: number | null }> = [];
    for (const w of recent) {
      const from = new Date(`${w.week}T00:00:00Z`);
      const to = new Date(from.getTime() + 7 * 86400_000 - 1);
      const [m, r] = await Promise.all(
        ['MODEL_ONLY', 'RULES_ONLY'].map((disagreement) => api.get<Page<unknown>>('/api/alerts', { disagreement, from: from.toISOString(), to: to.toISOString(), pageSize: 1 }).then((p) => p.total)),
      );
      out.push({ label: w.week, value: w.alerts ? (m + r) / w.alerts : null });
    }
    return out;
  }, [recent.map((w) => `${w.week}:${w.alerts}`).join(',')]);
  return (
    <>
      <ErrorMessage error={rates.error} context="weekly disagreement" />
      {rates.data ? <ColumnChart title="Disagreement rate per week (share of alerts where only one track fired)" columns={rates.data} format={formatPercent} max={1} height={130} /> : <Loading what="weekly disagreement" />}
    </>
  );
}

/** The most drifted inputs first; the rest on demand, so the page stays short. */
function InputDrift({ inputs }: { inputs: MonitoringSummary['drift'] }) {
  const [all, setAll] = useState(false);
  const shown = all ? inputs : inputs.slice(0, 12);
  const max = Math.max(0.3, ...inputs.map((x) => x.psi));
  return (
    <>
      <BarChart title="Input drift by feature (PSI)" bars={shown.map((x) => ({ label: x.feature, value: x.psi, tone: psiTone(x.psi) }))} format={(v) => v.toFixed(3)} max={max} emptyText="No inputs observed yet." />
      {inputs.length > 12 && (
        <button type="button" className="link" onClick={() => setAll(!all)}>
          {all ? 'Show the 12 most drifted' : `Show all ${inputs.length} features`}
        </button>
      )}
      {inputs.some((x) => x.observations > 0 && x.observations < 500) && <p className="muted small">Fewer than 500 observations since start: PSI is noisy on small samples.</p>}
    </>
  );
}

function AuditChain() {
  const [result, setResult] = useState<{ ok: boolean; entries: number; brokenAt?: string; problem?: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.get('/api/audit/verify'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title="Audit chain">
      <p className="muted small">Every case view and change is written to a hash-chained log; verifying recomputes every link.</p>
      <button type="button" onClick={() => void verify()} disabled={busy}>Verify audit chain</button>
      {busy && <Loading what="the audit chain" />}
      <ErrorMessage error={error} context="audit" />
      {result && (
        <p role="status" className={result.ok ? 'ok' : 'error'}>
          {result.ok ? `Audit chain intact: ${result.entries.toLocaleString('en-US')} entries verified.` : `Audit chain BROKEN at entry ${result.brokenAt}: ${result.problem} (${result.entries} entries verified before it).`}
        </p>
      )}
    </Section>
  );
}
