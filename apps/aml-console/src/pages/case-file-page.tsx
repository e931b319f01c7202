import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/api-client';
import type { AmlCase, AmlRule, AmlTransaction, AuditEntry, CaseComment, CaseFile, MonitoringSummary, Page, Sar, ScreeningResult } from '../api/aml-types';
import { useSession } from '../auth/session';
import { ActionError, ErrorMessage, Loading, Section } from '../layout/feedback';
import { DISPOSITION_WORDS, formatAmount, formatScore, formatTime, formatUsd, SAR_STATUS_WORDS, STATUS_WORDS } from '../layout/format';
import { Link } from '../layout/router';
import { useApi } from '../layout/use-api';
import { buildMoneyFlow, type Transfer } from '../money-flow/money-flow';
import { MoneyFlowGraph } from '../money-flow/money-flow-graph';
import { Disagreement, RulesFired, SanctionsHits, ScoreAndFeatures } from './case-evidence';

/** Neighbourhood fetched for the picture: this many accounts, this many transfers each. */
const FLOW_ACCOUNTS = 8;
const FLOW_PER_ACCOUNT = 100;

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
                    <td>{t.fromBank}:{t.fromAccount}{t.fromName ? <div className="small muted">{t.fromName}</div> : null}</td>
                    <td>{t.toBank}:{t.toAccount}{t.toName ? <div className="small muted">{t.toName}</div> : null}</td>
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

function Disposition({ c, busy, patch }: { c: CaseFile; busy: boolean; patch: (b: Record<string, unknown>) => Promise<void> }) {
  const [note, setNote] = useState('');
  const noteBody = note.trim() ? { dispositionNote: note.trim() } : {};
  const approved = c.sars.some((s) => s.status === 'approved');
  return (
    <Section title="Disposition">
      {c.dispositionNote && <p className="muted">Note: {c.dispositionNote}</p>}
      <label className="block">
        Disposition note
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="button-row">
        <button
          type="button"
          className="danger"
          disabled={busy || c.status === 'closed'}
          onClick={() => void patch({ disposition: 'suspicious_sar_filed', ...(c.status !== 'escalated' ? { status: 'escalated' } : {}), ...noteBody })}
        >
          Mark suspicious
        </button>
        <button type="button" disabled={busy || c.status === 'closed'} onClick={() => void patch({ status: 'closed', disposition: 'false_positive', ...noteBody })}>
          Close as false positive
        </button>
        <button type="button" disabled={busy || c.status === 'closed'} onClick={() => void patch({ status: 'closed', disposition: 'not_suspicious_monitored', ...noteBody })}>
          Close as not suspicious (monitor)
        </button>
        <button type="button" disabled={busy || c.status === 'closed'} title={approved ? undefined : 'Needs an approved SAR'} onClick={() => void patch({ status: 'closed', disposition: 'suspicious_sar_filed', ...noteBody })}>
          Close as SAR filed
        </button>
      </div>
    </Section>
  );
}

function draftNarrative(c: CaseFile): string {
  const t = c.transactions;
  const total = t.reduce((s, x) => s + x.amountUsd, 0);
  const first = t[0]?.timestamp, last = t[t.length - 1]?.timestamp;
  return (
    `Between ${formatTime(first)} and ${formatTime(last)}, accounts ${c.accounts.join(', ')} made ${t.length} transfer(s) totalling ${formatUsd(total)} ` +
    `that match the ${c.typologies.join(', ')} pattern(s). ` +
    `Reasons: ${[...new Set(c.alerts.flatMap((a) => a.reasons))].slice(0, 4).join('; ')}.`
  );
}

function SarPanel({ c, setC, act, busy }: { c: CaseFile; setC: (f: (old: CaseFile | null) => CaseFile | null) => void; act: (fn: () => Promise<void>) => Promise<void>; busy: boolean }) {
  const [narrative, setNarrative] = useState('');
  const [reason, setReason] = useState('');
  const replace = (sar: Sar) => setC((old) => (old ? { ...old, sars: old.sars.some((s) => s.id === sar.id) ? old.sars.map((s) => (s.id === sar.id ? sar : s)) : [...old.sars, sar] } : old));
  const submit = () =>
    act(async () => {
      replace(await api.post<Sar>(`/api/cases/${c.id}/sar`, { narrative }));
      setNarrative('');
    });
  const decide = (sar: Sar, approve: boolean) =>
    act(async () => replace(await api.post<Sar>(`/api/sars/${sar.id}/${approve ? 'approve' : 'reject'}`, approve ? undefined : { reason: reason || undefined })));
  const download = (sar: Sar) =>
    act(async () => {
      const res = await api.raw('GET', `/api/sars/${sar.id}/export?format=xml`, undefined, { Accept: 'application/xml' });
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `sar-case-${c.number}-${sar.id}.xml`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
  return (
    <Section title="Suspicious activity report">
      {c.sars.length > 0 && (
        <ul className="sars" aria-label="SARs of this case">
          {c.sars.map((s) => (
            <li key={s.id} data-testid="sar">
              <p>
                <strong data-testid="sar-status">{SAR_STATUS_WORDS[s.status] ?? s.status}</strong> · prepared by {s.preparedBy} {formatTime(s.createdAt)}
                {s.approvedBy ? ` · ${s.status === 'approved' ? 'approved' : 'decided'} by ${s.approvedBy} ${formatTime(s.decidedAt)}` : ''}
                {s.rejectionReason ? ` · reason: ${s.rejectionReason}` : ''}
              </p>
              <p className="narrative">{s.narrative}</p>
              <div className="button-row">
                {s.status === 'pending_approval' && (
                  <>
                    <button type="button" className="primary" disabled={busy} onClick={() => void decide(s, true)}>Approve SAR</button>
                    <label>
                      Rejection reason
                      <input value={reason} onChange={(e) => setReason(e.target.value)} />
                    </label>
                    <button type="button" disabled={busy} onClick={() => void decide(s, false)}>Reject SAR</button>
                  </>
                )}
                {s.status === 'approved' && <button type="button" disabled={busy} onClick={() => void download(s)}>Download SAR XML</button>}
              </div>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">A SAR is prepared by one person and approved by a different supervisor (four eyes).</p>
      <label className="block">
        SAR narrative
        <textarea rows={5} value={narrative} onChange={(e) => setNarrative(e.target.value)} />
      </label>
      <div className="button-row">
        <button type="button" onClick={() => setNarrative(draftNarrative(c))}>Draft from case</button>
        <button type="button" className="primary" disabled={busy || narrative.trim().length < 20} onClick={() => void submit()}>Submit SAR for approval</button>
      </div>
    </Section>
  );
}

function Comments({ c, onAdded, act, busy }: { c: CaseFile; onAdded: (cm: CaseComment) => void; act: (fn: () => Promise<void>) => Promise<void>; busy: boolean }) {
  const [body, setBody] = useState('');
  return (
    <Section title="Comments">
      {c.comments.length ? (
        <ul className="comments" aria-label="Comments">
          {c.comments.map((cm) => (
            <li key={cm.id}>
              <p className="small muted"><strong>{cm.author}</strong> · {formatTime(cm.createdAt)}</p>
              <p>{cm.body}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">No comments yet.</p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            onAdded(await api.post<CaseComment>(`/api/cases/${c.id}/comments`, { body }));
            setBody('');
          });
        }}
      >
        <label className="block">
          Comment
          <textarea rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
        </label>
        <button type="submit" disabled={busy || !body.trim()}>Add comment</button>
      </form>
    </Section>
  );
}

type Attachment = CaseFile['attachments'][number];

/** Evidence files: uploaded as base64 JSON (the API's limit is about 10 MB), downloaded with the user's token. */
function Attachments({ c, onAdded, act, busy }: { c: CaseFile; onAdded: (a: Attachment) => void; act: (fn: () => Promise<void>) => Promise<void>; busy: boolean }) {
  const upload = (file: File) =>
    act(async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      onAdded(await api.post<Attachment>(`/api/cases/${c.id}/attachments`, { filename: file.name, contentType: file.type || 'application/octet-stream', contentBase64: btoa(binary) }));
    });
  const download = (a: Attachment) =>
    act(async () => {
      const res = await api.raw('GET', `/api/cases/${c.id}/attachments/${a.id}`, undefined, { Accept: '*/*' });
      const url = URL.createObjectURL(await res.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = a.filename;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
  return (
    <Section title="Attachments">
      {c.attachments.length ? (
        <ul className="comments" aria-label="Attachments">
          {c.attachments.map((a) => (
            <li key={a.id}>
              <button type="button" className="link" onClick={() => void download(a)}>{a.filename}</button>{' '}
              <span className="muted small">{a.size < 1024 ? `${a.size} bytes` : `${(a.size / 1024).toFixed(1)} KB`} · {a.uploadedBy} · {formatTime(a.createdAt)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">No attachments.</p>
      )}
      <label className="file-button">
        Attach a file
        <input
          type="file"
          disabled={busy}
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void upload(f);
          }}
        />
      </label>
    </Section>
  );
}

function MoneyFlowSection({ c }: { c: CaseFile }) {
  const accounts = useMemo(() => c.accounts.slice(0, FLOW_ACCOUNTS), [c.accounts]);
  const around = useApi(
    () => Promise.all(accounts.map((a) => api.get<Page<AmlTransaction>>('/api/transactions', { account: a, pageSize: FLOW_PER_ACCOUNT }).then((p) => p.items))).then((x) => x.flat()),
    [accounts.join(',')],
  );
  const [selected, setSelected] = useState<string | null>(null);
  const flagged = useMemo(() => new Set(c.transactions.map((t) => t.id)), [c.transactions]);
  const flow = useMemo(() => {
    const all = [...c.transactions, ...(around.data ?? [])];
    const transfers: Transfer[] = all.map((t) => ({ id: t.id, timestamp: t.timestamp, from: `${t.fromBank}:${t.fromAccount}`, to: `${t.toBank}:${t.toAccount}`, amountUsd: t.amountUsd, flagged: flagged.has(t.id) }));
    return buildMoneyFlow(transfers, c.accounts);
  }, [c, around.data, flagged]);
  const ofSelected = selected ? [...c.transactions, ...(around.data ?? [])].filter((t, i, all) => all.findIndex((x) => x.id === t.id) === i && (`${t.fromBank}:${t.fromAccount}` === selected || `${t.toBank}:${t.toAccount}` === selected)) : [];
  return (
    <div>
      <ErrorMessage error={around.error} context="neighbouring transfers" />
      {around.loading && <Loading what="neighbouring transfers" />}
      <p className="legend small">
        <span className="key flagged" /> alerted transfer in this case <span className="key normal" /> other transfer <span className="key case-node" /> case account · hover or focus an account to highlight its transfers, click or press Enter to pin it.
      </p>
      <MoneyFlowGraph flow={flow} onSelect={setSelected} />
      {selected && (
        <div role="region" aria-label={`Transfers of ${selected}`}>
          <h3>Transfers of {selected}</h3>
          <table className="grid compact">
            <thead><tr><th scope="col">Time</th><th scope="col">Direction</th><th scope="col">Counterparty</th><th scope="col">Amount (USD)</th><th scope="col">Decision</th></tr></thead>
            <tbody>
              {ofSelected.map((t) => {
                const out = `${t.fromBank}:${t.fromAccount}` === selected;
                return (
                  <tr key={t.id} className={flagged.has(t.id) ? 'flagged-row' : undefined}>
                    <td>{formatTime(t.timestamp)}</td>
                    <td>{out ? 'sent' : 'received'}</td>
                    <td>{out ? `${t.toBank}:${t.toAccount}` : `${t.fromBank}:${t.fromAccount}`}</td>
                    <td className="num">{formatUsd(t.amountUsd)}</td>
                    <td>{t.decision}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
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

const ACTION_WORDS: Record<string, string> = {
  'case.opened': 'opened the case',
  'case.alerts_added': 'added alerts',
  'case.viewed': 'viewed the case',
  'case.updated': 'updated the case',
  'case.commented': 'commented',
  'case.attachment_added': 'attached a file',
  'case.attachment_viewed': 'opened an attachment',
  'sar.prepared': 'prepared a SAR',
  'sar.approved': 'approved the SAR',
  'sar.rejected': 'rejected the SAR',
  'sar.self_approval_refused': 'was refused approving their own SAR (four eyes)',
  'sar.exported': 'exported the SAR',
};

function actionWords(action: string) {
  return ACTION_WORDS[action] ?? action;
}

/** "status: open → escalated" from a case.updated entry's detail. */
function changeWords(detail: unknown) {
  if (!detail || typeof detail !== 'object') return null;
  const changes = Object.entries(detail as Record<string, unknown>).filter(([, v]) => v && typeof v === 'object' && 'to' in (v as object)) as Array<[string, { from: unknown; to: unknown }]>;
  if (!changes.length) return null;
  const show = (v: unknown) => (v === null || v === undefined ? '–' : typeof v === 'string' && !/^\d{4}-/.test(v) ? v : typeof v === 'string' ? formatTime(v) : JSON.stringify(v));
  return <span className="muted">: {changes.map(([k, v]) => `${k} ${show(v.from)} → ${show(v.to)}`).join(', ')}</span>;
}
