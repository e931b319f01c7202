const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export const formatUsd = (v: number) => usd.format(v);
/** Times in UTC, labelled, so analysts in different offices read the same clock. */
export const formatTime = (iso: string | null | undefined) => (iso ? `${dateTime.format(new Date(iso))} UTC` : '–');
export const formatAmount = (v: number, currency: string) => `${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
export const formatScore = (v: number) => v.toFixed(3);
export const formatPercent = (v: number) => `${(v * 100).toFixed(1)}%`;

export const STATUS_WORDS: Record<string, string> = { open: 'Open', in_review: 'In review', escalated: 'Escalated', closed: 'Closed' };
export const DISPOSITION_WORDS: Record<string, string> = {
  false_positive: 'False positive',
  suspicious_sar_filed: 'Suspicious – SAR filed',
  not_suspicious_monitored: 'Not suspicious – monitored',
};
export const SAR_STATUS_WORDS: Record<string, string> = { pending_approval: 'Pending approval', approved: 'Approved', rejected: 'Rejected' };
export const DISAGREEMENT_WORDS: Record<string, string> = {
  MODEL_ONLY: 'The model scores this high but no rule fired: either a pattern the rules miss, or a model false alarm.',
  RULES_ONLY: 'A rule fired but the model scores this low: either the rule is too broad, or a pattern the model has not learnt.',
};
