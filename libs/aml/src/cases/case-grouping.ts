/** Case states an analyst moves a case through. */
export const CaseStatus = { open: 'open', in_review: 'in_review', escalated: 'escalated', closed: 'closed' } as const;
export type CaseStatus = (typeof CaseStatus)[keyof typeof CaseStatus];

/** How a closed case was judged; dispositions flow back as labels for model monitoring. */
export const Disposition = {
  false_positive: 'false_positive',
  suspicious_sar_filed: 'suspicious_sar_filed',
  not_suspicious_monitored: 'not_suspicious_monitored',
} as const;
export type Disposition = (typeof Disposition)[keyof typeof Disposition];

export const CasePriority = { low: 'low', medium: 'medium', high: 'high', critical: 'critical' } as const;
export type CasePriority = (typeof CasePriority)[keyof typeof CasePriority];

/** Allowed moves; closing needs a disposition (checked by the service). */
const TRANSITIONS: Record<CaseStatus, CaseStatus[]> = {
  open: ['in_review', 'escalated', 'closed'],
  in_review: ['open', 'escalated', 'closed'],
  escalated: ['in_review', 'closed'],
  closed: ['in_review'],
};

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return TRANSITIONS[from]?.includes(to) ?? false;
}

/** Hours to work a case by priority (SLA). */
export const SLA_HOURS: Record<CasePriority, number> = { critical: 24, high: 72, medium: 168, low: 336 };

export function slaDueAt(priority: CasePriority, from: Date): Date {
  return new Date(from.getTime() + SLA_HOURS[priority] * 3600_000);
}

export interface AlertForGrouping {
  decision: 'REVIEW' | 'BLOCK';
  score: number;
  typologies: string[];
  /** Both parties' account keys. */
  accounts: string[];
  at: Date;
}

export interface OpenCaseView {
  id: string;
  accounts: string[];
  typologies: string[];
  lastAlertAt: Date;
  priority: CasePriority;
}

/** Alerts this far apart start a new case even on the same account. */
export const GROUPING_WINDOW_MS = 14 * 86400_000;

/**
 * The open case an alert belongs to: the most recently active open case that already involves one
 * of its accounts and saw an alert within the grouping window. Sharing accounts also links the legs
 * of one pattern (a cycle's, a layer's or a fan's transfers share accounts), so a pattern's alerts
 * end up in one case. Null means open a new case.
 */
export function chooseCase(alert: AlertForGrouping, open: OpenCaseView[]): OpenCaseView | null {
  const fresh = open.filter((c) => alert.at.getTime() - c.lastAlertAt.getTime() <= GROUPING_WINDOW_MS);
  const pool = fresh.filter((c) => c.accounts.some((a) => alert.accounts.includes(a)));
  pool.sort((a, b) => b.lastAlertAt.getTime() - a.lastAlertAt.getTime() || a.id.localeCompare(b.id));
  return pool[0] ?? null;
}

/** Priority of an alert: sanctions blocks are critical, other blocks and very high scores high. */
export function alertPriority(alert: AlertForGrouping): CasePriority {
  if (alert.decision === 'BLOCK' && alert.typologies.includes('sanctions')) return 'critical';
  if (alert.decision === 'BLOCK' || alert.score >= 0.9) return 'high';
  if (alert.score >= 0.35 || alert.typologies.length > 1) return 'medium';
  return 'low';
}

const RANK: Record<CasePriority, number> = { low: 0, medium: 1, high: 2, critical: 3 };
export function maxPriority(a: CasePriority, b: CasePriority): CasePriority {
  return RANK[a] >= RANK[b] ? a : b;
}

/** ISO week start (Monday, UTC) of a date, as YYYY-MM-DD. */
export function weekOf(d: Date): string {
  const day = (d.getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
  return monday.toISOString().slice(0, 10);
}

export interface WeeklyPrecision {
  week: string;
  alerts: number;
  dispositioned: number;
  suspicious: number;
  /** suspicious / dispositioned; null until any alert of the week is dispositioned. */
  precision: number | null;
}

/** Precision of alerts by week of creation, from the dispositions of their cases (labels flowing back). */
export function weeklyAlertPrecision(alerts: Array<{ createdAt: Date; disposition: Disposition | null }>): WeeklyPrecision[] {
  const by = new Map<string, WeeklyPrecision>();
  for (const a of alerts) {
    const week = weekOf(a.createdAt);
    const w = by.get(week) ?? { week, alerts: 0, dispositioned: 0, suspicious: 0, precision: null };
    w.alerts++;
    if (a.disposition) {
      w.dispositioned++;
      if (a.disposition === 'suspicious_sar_filed') w.suspicious++;
    }
    w.precision = w.dispositioned ? w.suspicious / w.dispositioned : null;
    by.set(week, w);
  }
  return [...by.values()].sort((a, b) => a.week.localeCompare(b.week));
}
