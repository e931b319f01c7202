import { formatTime } from '../layout/format';

// The audit trail of a case, read as sentences: who did what, and what changed.

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

export function actionWords(action: string) {
  return ACTION_WORDS[action] ?? action;
}

/** "status: open → escalated" from a case.updated entry's detail. */
export function changeWords(detail: unknown) {
  if (!detail || typeof detail !== 'object') return null;
  const changes = Object.entries(detail as Record<string, unknown>).filter(([, v]) => v && typeof v === 'object' && 'to' in (v as object)) as Array<[string, { from: unknown; to: unknown }]>;
  if (!changes.length) return null;
  const show = (v: unknown) => (v === null || v === undefined ? '–' : typeof v === 'string' && !/^\d{4}-/.test(v) ? v : typeof v === 'string' ? formatTime(v) : JSON.stringify(v));
  return <span className="muted">: {changes.map(([k, v]) => `${k} ${show(v.from)} → ${show(v.to)}`).join(', ')}</span>;
}
