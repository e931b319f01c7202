import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/api-client';
import type { AmlCase, AmlRule, AmlTransaction, AuditEntry, CaseFile, MonitoringSummary, Page, ScreeningResult } from '../api/aml-types';
import { useSession } from '../auth/session';
import { ActionError, ErrorMessage, Loading, Section } from '../layout/feedback';
import { DISPOSITION_WORDS, formatAmount, formatScore, formatTime, STATUS_WORDS } from '../layout/format';
import { Link } from '../layout/router';
import { useApi } from '../layout/use-api';
import { Disagreement, RulesFired, SanctionsHits, ScoreAndFeatures } from './case-evidence';
import { Disposition } from './case-disposition';
import { actionWords, changeWords } from './case-history';
import { Attachments, Comments } from './case-notes';
import { MoneyFlowSection } from './money-flow-section';
import { SarPanel } from './sar-panel';

/**
 * One case, everything an analyst needs to decide it: the transactions, the model's score and its
 * reasons, the rules that fired in words, the money flow, sanctions hits, comments, the audit
 * trail, the disposition and the SAR with its four-eyes approval.
 */
export function CaseFilePage({ id }: { id: string }) {
  const { session } = useSession();
  const me = session?.user.username ?? '';
  const file = useApi(() => api.get<CaseFile>(`/api/cases/${encodeURIComponent(id)}`), [id]);
  const [c, setC] = useState<CaseFile | null>(null);
  useEffect(() => setC(file.data), [file.data]);
  const trail = useApi(() => api.get<Page<AuditEntry>>(`/api/cases/${encodeURIComponent(id)}/audit`, { pageSize: 200 }), [id, c]);
  const rules = useApi(() => api.get<Page<AmlRule>>('/api/rules', { pageSize: 500 }).then((p) => new Map(p.items.map((r) => [r.id, r]))), []);
  const monitoring = useApi(() => api.get<MonitoringSummary>('/api/monitoring/summary').catch(() => null), []);
  const [selectedTxn, setSelectedTxn] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const txns = c?.transactions ?? [];
  const txn: AmlTransaction | undefined = txns.find((t) => t.id === selectedTxn) ?? [...txns].sort((a, b) => b.score - a.score)[0];
  const alert = c?.alerts.find((a) => a.transactionId === txn?.id);

  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    setActionError(null);
    try {
      await fn();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };
  const patch = (body: Record<string, unknown>) =>
    act(async () => {
      const updated = await api.patch<AmlCase>(`/api/cases/${id}`, body);
      setC((old) => (old ? { ...old, ...updated } : old));
    });

  if (file.error && !c) return <ErrorMessage error={file.error} context="case" />;
  if (!c) return <Loading what="the case file" />;

  return (
    <div className="page case-file">
      <header className="page-head">
        <div>
          <p className="crumbs"><Link to="/queue">Alert queue</Link> / Case {c.number}</p>
          <h1>Case {c.number}: {c.title}</h1>
          <p className="facts-line">
            <span className={`pill p-${c.priority}`}>{c.priority}</span>
            <span>Status: <strong data-testid="case-status">{STATUS_WORDS[c.status] ?? c.status}</strong></span>
            <span>Disposition: <strong data-testid="case-disposition">{c.disposition ? DISPOSITION_WORDS[c.disposition] : 'none yet'}</strong></span>
            <span>Assignee: <strong>{c.assignee ?? 'unassigned'}</strong></span>
            <span className={c.overdue ? 'late' : undefined}>SLA due {formatTime(c.slaDueAt)}{c.overdue ? ' (overdue)' : ''}</span>
            <span>Accounts: {c.accounts.join(', ')}</span>
          </p>
        </div>
      </header>
      <ActionError error={actionError} onDismiss={() => setActionError(null)} />

      <div className="case-grid">
        <div className="case-main">
          <Section title="Transactions">
            <table className="grid compact" aria-label="Transactions of the case">
              <thead>
                <tr>
                  <th scope="col">Time</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Amount paid</th><th scope="col">Received</th><th scope="col">Format</th><th scope="col">Decision</th><th scope="col">Score</th><th scope="col"><span className="sr-only">Show</span></th>
                </tr>
              </thead>
              <tbody>
                {txns.map((t) => (
                  <tr key={t.id} aria-selected={t.id === txn?.id} className={t.id === txn?.id ? 'selected' : undefined}>
                    <td>{formatTime(t.timestamp)}</td>
                    <td className="acct">{t.fromBank}:{t.fromAccount}{t.fromName ? <div className="small muted">{t.fromName}</div> : null}</td>
                    <td className="acct">{t.toBank}:{t.toAccount}{t.toName ? <div className="small muted">{t.toName}</div> : null}</td>
                    <td className="num">{formatAmount(t.amountPaid, t.paymentCurrency)}</td>
                    <td className="num">{formatAmount(t.amountReceived, t.receivingCurrency)}</td>
                    <td>{t.paymentFormat}</td>
                    <td><span className={`pill d-${t.decision}`}>{t.decision}</span></td>
                    <td className="num">{formatScore(t.score)}</td>
                    <td>
                      <button type="button" className="link" aria-label={`Explain transaction ${t.id}`} onClick={() => setSelectedTxn(t.id)}>Explain</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>

          {txn && (
            <div className="two-col">
              <Section title="Model score">
                <ScoreAndFeatures txn={txn} threshold={monitoring.data?.model.threshold ?? null} />
              </Section>
              <Section title="Rules fired">
                <RulesFired txn={txn} rules={rules.data} />
                <h3>Tracks</h3>
                <Disagreement alert={alert} />
                {alert && (
                  <details>
                    <summary>All reasons</summary>
                    <ul>{alert.reasons.map((r, i) => <li key={i}>{r}</li>)}</ul>
                  </details>
                )}
              </Section>
            </div>
          )}

          <Section title="Money flow">
            <MoneyFlowSection c={c} />
          </Section>

          <Section title="Sanctions hits">
            <Sanctions txns={txns} />
          </Section>
        </div>

        <aside className="case-side" aria-label="Case work">
          <Section title="Actions">
            <div className="button-row">
              <button type="button" disabled={busy || c.assignee === me} onClick={() => void patch({ assignee: me })}>Assign to me</button>
              {c.status === 'open' && <button type="button" disabled={busy} onClick={() => void patch({ status: 'in_review' })}>Start review</button>}
              {(c.status === 'open' || c.status === 'in_review') && <button type="button" disabled={busy} onClick={() => void patch({ status: 'escalated' })}>Escalate</button>}
              {c.status === 'closed' && <button type="button" disabled={busy} onClick={() => void patch({ status: 'in_review' })}>Reopen</button>}
            </div>
          </Section>
          <Disposition c={c} busy={busy} patch={patch} />
          <SarPanel c={c} setC={setC} act={act} busy={busy} />
          <Attachments c={c} onAdded={(a) => setC((old) => (old ? { ...old, attachments: [...old.attachments, a] } : old))} act={act} busy={busy} />
          <Comments c={c} onAdded={(cm) => setC((old) => (old ? { ...old, comments: [...old.comments, cm] } : old))} act={act} busy={busy} />
          <Section title="History">
            <ErrorMessage error={trail.error} context="history" />
            {trail.data ? (
              <ol className="history" aria-label="Audit history">
                {[...trail.data.items].sort((a, b) => Number(BigInt(b.seq) - BigInt(a.seq))).map((e) => (
                  <li key={e.seq}>
                    <span className="muted small">{formatTime(e.at)}</span> <strong>{e.actor}</strong> {actionWords(e.action)}
                    {e.reason ? <span className="muted"> – {e.reason}</span> : null}
                    {changeWords(e.detail)}
                  </li>
                ))}
              </ol>
            ) : (
              <Loading what="history" />
            )}
          </Section>
        </aside>
      </div>
    </div>
  );
}

function Sanctions({ txns }: { txns: AmlTransaction[] }) {
  const names = useMemo(() => [...new Set(txns.flatMap((t) => [t.fromName, t.toName]).filter((n): n is string => !!n))].slice(0, 1000), [txns]);
  const result = useApi(() => (names.length ? api.post<ScreeningResult>('/api/screening', { names, minScore: 0.75, limit: 3 }) : Promise.resolve(null)), [names.join('|')]);
  return (
    <>
      <ErrorMessage error={result.error} context="screening" />
      {result.loading ? <Loading what="screening" /> : <SanctionsHits result={result.data} txns={txns} />}
    </>
  );
}
