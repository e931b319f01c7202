import { useMemo, useState } from 'react';
import { api } from '../api/api-client';
import type { AmlRule, BacktestMetrics, BacktestResult, Job, Page, RuleSetVersion } from '../api/aml-types';
import { ErrorMessage, Loading, Section } from '../layout/feedback';
import { formatPercent, formatTime } from '../layout/format';
import { useApi } from '../layout/use-api';
import { conditionLines } from '../rules/condition-words';
import { checkRuleJson } from '../rules/rule-validation';

const NEW_RULE: AmlRule = {
  id: 'structuring.repeated-below-threshold',
  name: 'Repeated just-below-threshold payments',
  typology: 'structuring',
  severity: 'review',
  description: 'Three or more payments just under the reporting threshold within 7 days.',
  enabled: true,
  conditions: { all: [{ fact: 'belowThreshold', operator: 'equal', value: true }, { fact: 'aBelowCount7d', operator: 'greaterThanInclusive', value: 2 }] },
};

/**
 * Rule set versions, the active rules, and an editor that validates while typing and backtests a
 * candidate against the active version over labelled history before it can be activated.
 */
export function RulesPage() {
  const rules = useApi(() => api.get<Page<AmlRule> & { version: number }>('/api/rules', { pageSize: 500 }), []);
  const versions = useApi(() => api.get<Page<RuleSetVersion>>('/api/rules/versions', { pageSize: 20 }), [rules.data]);
  const facts = useApi(() => api.get<{ facts: string[] }>('/api/rules/facts').then((f) => f.facts), []);
  const [text, setText] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  // a backtest of the editor's text (text) or of a stored version (version) against the active set
  const [backtest, setBacktest] = useState<{ text?: string; version?: number; result: BacktestResult } | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const checked = useMemo(() => (text ? checkRuleJson(text, facts.data ?? undefined) : null), [text, facts.data]);
  const valid = !!checked && !checked.problems.length && !!checked.rule;
  const exists = valid && rules.data?.items.some((r) => r.id === checked.rule?.id);

  const edit = (rule: AmlRule | null) => {
    setText(JSON.stringify(rule ?? NEW_RULE, null, 2));
    setEditing(rule?.id ?? null);
    setBacktest(null);
    setDone(null);
    setError(null);
  };

  const candidateSet = (): AmlRule[] => {
    const r = checked?.rule as unknown as AmlRule;
    const active = rules.data?.items ?? [];
    return active.some((x) => x.id === r.id) ? active.map((x) => (x.id === r.id ? r : x)) : [...active, r];
  };

  const backtestWith = async (body: { rules?: AmlRule[]; version?: number }, of: { text?: string; version?: number }) => {
    setRunning(true);
    setError(null);
    setDone(null);
    try {
      let res = await api.post<BacktestResult | { jobId: string; status: string }>('/api/rules/backtest', body);
      while (!('candidate' in res)) {
        await new Promise((r) => setTimeout(r, 1000));
        const j = await api.get<Job<Omit<BacktestResult, 'jobId'>>>(`/api/jobs/${res.jobId}`);
        if (j.status === 'failed') throw new Error(`backtest failed: ${j.error}`);
        if (j.status === 'done' && j.result) res = { jobId: j.id, ...j.result };
      }
      setBacktest({ ...of, result: res });
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  };

  const runBacktest = () => backtestWith({ rules: candidateSet() }, { text });
  const backtestVersion = (version: number) => backtestWith({ version }, { version });

  const activate = async () => {
    setError(null);
    try {
      const r = checked?.rule as unknown as AmlRule;
      const body = { ...r, ...(comment.trim() ? { comment: comment.trim() } : {}) };
      const set = exists ? await api.put<{ version: number }>(`/api/rules/${encodeURIComponent(r.id)}`, body) : await api.post<{ version: number }>('/api/rules', body);
      setDone(`Activated: rule set version ${set.version} is now active.`);
      setBacktest(null);
      setEditing(r.id);
      rules.reload();
    } catch (e) {
      setError(e);
    }
  };

  const restore = async (v: number) => {
    setError(null);
    try {
      const set = await api.post<{ version: number }>(`/api/rules/versions/${v}/restore`);
      setDone(`Version ${v} restored as version ${set.version}.`);
      rules.reload();
    } catch (e) {
      setError(e);
    }
  };

  const fresh = backtest?.text !== undefined && backtest.text === text;
  return (
    <div className="page">
      <header className="page-head"><h1>Rules</h1>{rules.data && <span className="muted">Active rule set: version {rules.data.version}</span>}</header>
      <ErrorMessage error={rules.error} context="rules" />
      <div className="rules-grid">
        <div>
          <Section title="Active rules" actions={<button type="button" onClick={() => edit(null)}>New rule</button>}>
            {rules.loading && !rules.data && <Loading what="rules" />}
            {rules.data && (
              <table className="grid compact" aria-label="Active rules">
                <thead><tr><th scope="col">Rule</th><th scope="col">Typology</th><th scope="col">Severity</th><th scope="col">On</th><th scope="col"><span className="sr-only">Edit</span></th></tr></thead>
                <tbody>
                  {rules.data.items.map((r) => (
                    <tr key={r.id} className={editing === r.id ? 'selected' : undefined}>
                      <td><strong>{r.name}</strong><div className="small muted"><code>{r.id}</code></div></td>
                      <td>{r.typology}</td>
                      <td><span className={`pill s-${r.severity}`}>{r.severity}</span></td>
                      <td>{r.enabled ? 'yes' : 'no'}</td>
                      <td><button type="button" className="link" aria-label={`Edit ${r.id}`} onClick={() => edit(r)}>Edit</button></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Section>
          <Section title="Versions">
            <ErrorMessage error={versions.error} context="versions" />
            {versions.data && (
              <table className="grid compact" aria-label="Rule set versions">
                <thead><tr><th scope="col">Version</th><th scope="col">By</th><th scope="col">When</th><th scope="col">Rules</th><th scope="col">Comment</th><th scope="col"><span className="sr-only">Restore</span></th></tr></thead>
                <tbody>
                  {versions.data.items.map((v, i) => (
                    <tr key={v.version}>
                      <td className="num">{v.version}{i === 0 && versions.data?.page === 1 ? ' (active)' : ''}</td>
                      <td>{v.createdBy}</td>
                      <td>{formatTime(v.createdAt)}</td>
                      <td className="num">{v.ruleCount}</td>
                      <td>{v.comment}</td>
                      <td>
                        {!(i === 0 && versions.data?.page === 1) && (
                          <span className="button-row">
                            <button type="button" className="link" disabled={running} onClick={() => void backtestVersion(v.version)}>Backtest v{v.version}</button>
                            <button type="button" className="link" onClick={() => void restore(v.version)}>Restore v{v.version}</button>
                          </span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Section>
        </div>
        <div>
          <Section title="Rule editor">
            {!text ? (
              <p className="empty">Choose a rule to edit, or start a new one.</p>
            ) : (
              <>
                <label className="block">
                  Rule JSON
                  <textarea className="code" rows={18} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={!valid} aria-describedby="rule-problems" />
                </label>
                <div id="rule-problems" role="status" aria-live="polite">
                  {checked && checked.problems.length > 0 ? (
                    <ul className="problems" aria-label="Problems in the rule">
                      {checked.problems.map((p, i) => <li key={i}><code>{p.path}</code> {p.message}</li>)}
                    </ul>
                  ) : (
                    <p className="ok">Valid rule{exists ? ` (replaces ${checked?.rule?.id as string})` : ' (new)'}.</p>
                  )}
                </div>
                {valid && (
                  <div className="in-words">
                    <h3>In words</h3>
                    <ul className="conditions">
                      {conditionLines(checked.rule?.conditions).map((l, i) => <li key={i} style={{ marginLeft: `${l.depth * 1.2}em` }}>{l.text}</li>)}
                    </ul>
                  </div>
                )}
                <div className="button-row">
                  <button type="button" className="primary" disabled={!valid || running} onClick={() => void runBacktest()}>{running ? 'Backtesting…' : 'Backtest against active'}</button>
                  <label>
                    Change comment
                    <input value={comment} onChange={(e) => setComment(e.target.value)} maxLength={500} />
                  </label>
                  <button type="button" disabled={!valid || !fresh} title={fresh ? undefined : 'Backtest this exact text first'} onClick={() => void activate()}>Activate candidate</button>
                </div>
              </>
            )}
            <ErrorMessage error={error} />
            {done && <p role="status" className="ok">{done}</p>}
          </Section>
          {backtest && (
            <Section title={backtest.version ? `Backtest: version ${backtest.version} vs active` : 'Backtest: candidate vs active'}>
              {backtest.text !== undefined && !fresh && <p className="notice">The rule changed since this backtest; run it again before activating.</p>}
              {backtest.version !== undefined && <p className="muted small">Restoring makes version {backtest.version}'s rules active again as a new version.</p>}
              <BacktestTable r={backtest.result} candidateLabel={backtest.version ? `Version ${backtest.version}` : 'Candidate'} ruleId={backtest.text ? ((checkRuleJson(backtest.text).rule?.id as string) ?? '') : ''} />
            </Section>
          )}
        </div>
      </div>
    </div>
  );
}

function BacktestTable({ r, ruleId, candidateLabel }: { r: BacktestResult; ruleId: string; candidateLabel: string }) {
  const row = (label: string, f: (m: BacktestMetrics) => string, change?: string) => (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{f(r.active)}</td>
      <td className="num">{f(r.candidate)}</td>
      <td className="num">{change ?? ''}</td>
    </tr>
  );
  const signed = (v: number, fmt: (x: number) => string) => `${v > 0 ? '+' : ''}${fmt(v)}`;
  const pr = r.candidate.perRule[ruleId], pa = r.active.perRule[ruleId];
  return (
    <>
      <table className="grid compact" aria-label="Backtest comparison">
        <thead><tr><th scope="col">Over {r.active.rows.toLocaleString('en-US')} labelled transactions</th><th scope="col">Active v{r.active.version}</th><th scope="col">{candidateLabel}</th><th scope="col">Change</th></tr></thead>
        <tbody>
          {row('Alerts', (m) => m.alerts.toLocaleString('en-US'), signed(r.change.alerts, (x) => x.toLocaleString('en-US')))}
          {row('True positives', (m) => m.truePositives.toLocaleString('en-US'))}
          {row('Precision', (m) => formatPercent(m.precision), signed(r.change.precision * 100, (x) => `${x.toFixed(1)} pts`))}
          {row('Recall', (m) => formatPercent(m.recall), signed(r.change.recall * 100, (x) => `${x.toFixed(1)} pts`))}
          {row('Laundering in history', (m) => m.positives.toLocaleString('en-US'))}
        </tbody>
      </table>
      {ruleId && <p className="small">
        This rule alone: {pa ? `${pa.alerts} alerts (${pa.truePositives} true) now` : 'not in the active set'}, {pr ? `${pr.alerts} alerts (${pr.truePositives} true) as candidate` : 'no alerts as candidate'}.
      </p>}
    </>
  );
}
