import { useState } from 'react';
import type { CaseFile } from '../api/aml-types';
import { Section } from '../layout/feedback';

/** The decision on a case: suspicious (goes on to a SAR), or closed as false positive or monitored. */
export function Disposition({ c, busy, patch }: { c: CaseFile; busy: boolean; patch: (b: Record<string, unknown>) => Promise<void> }) {
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
