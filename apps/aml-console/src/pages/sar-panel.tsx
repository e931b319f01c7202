import { useState } from 'react';
import { api } from '../api/api-client';
import type { CaseFile, Sar } from '../api/aml-types';
import { Section } from '../layout/feedback';
import { formatTime, formatUsd, SAR_STATUS_WORDS } from '../layout/format';
import { saveFile } from '../layout/save-file';
import type { CaseUpdate, RunAction } from './case-action';

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

/** Draft, four-eyes decision and XML export of the case's suspicious activity reports. */
export function SarPanel({ c, setC, act, busy }: { c: CaseFile; setC: CaseUpdate; act: RunAction; busy: boolean }) {
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
      await saveFile(res, `sar-case-${c.number}-${sar.id}.xml`);
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
