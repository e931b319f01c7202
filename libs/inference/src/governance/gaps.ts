import type { GroupMetrics } from './group-metrics';

export interface GroupRow {
  group: string;
  /** Rows (held-out) or cases (domain evaluation) behind the metrics; null when the card does not say. */
  n: number | null;
  metrics: GroupMetrics;
}

export interface MetricGap {
  metric: string;
  /** Groups with n >= minSupport and a value for this metric. */
  eligibleGroups: number;
  high?: { group: string; value: number; n: number };
  low?: { group: string; value: number; n: number };
  /** high - low; null when fewer than two groups qualify. */
  gap: number | null;
}

/** Counts, not qualities: comparing them across groups says nothing about fairness. */
export const COUNT_METRICS = new Set(['n', 'positives', 'alerts', 'tokens', 'support', 'rows', 'cases', 'count']);

const isCount = (metric: string) => COUNT_METRICS.has(metric) || metric.startsWith('support:');

/**
 * Rows behind a metric of a group: a rate rests on its denominator, not on the whole group.
 * precision on the alerts, recall on the positives, f1 on the smaller of the two, a per-class
 * metric (`recall:<class>`) on that class's rows (`support:<class>`); anything else on n.
 */
export function supportOf(row: GroupRow, metric: string): number | null {
  const m = row.metrics;
  const count = (k: string) => (typeof m[k] === 'number' ? (m[k] as number) : undefined);
  const colon = metric.indexOf(':');
  const own = colon > 0 ? count(`support:${metric.slice(colon + 1)}`) : undefined;
  if (own !== undefined) return own;
  if (metric === 'precision' && count('alerts') !== undefined) return count('alerts') as number;
  if (metric === 'recall' && count('positives') !== undefined) return count('positives') as number;
  if (metric === 'f1' && count('alerts') !== undefined && count('positives') !== undefined) return Math.min(count('alerts') as number, count('positives') as number);
  return row.n;
}

/**
 * For each metric, the largest difference between two groups that both have at least `minSupport`
 * rows behind that metric (see `supportOf`). Small groups stay in the tables but never make
 * a gap: their metric is mostly noise. Ties keep the first group in `rows` order as the highest and
 * the last as the lowest, so the result is stable and a zero gap still names two groups.
 */
export function largestGaps(rows: GroupRow[], minSupport: number): MetricGap[] {
  const metrics = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].filter((m) => !isCount(m));
  return metrics.map((metric) => {
    const eligible = rows.filter((r) => {
      const support = supportOf(r, metric);
      return support !== null && support >= minSupport && typeof r.metrics[metric] === 'number' && Number.isFinite(r.metrics[metric]);
    });
    if (eligible.length < 2) return { metric, eligibleGroups: eligible.length, gap: null };
    let high = eligible[0];
    let low = eligible[eligible.length - 1];
    for (const r of eligible) {
      if ((r.metrics[metric] as number) > (high.metrics[metric] as number)) high = r;
      if ((r.metrics[metric] as number) < (low.metrics[metric] as number)) low = r;
    }
    const hv = high.metrics[metric] as number;
    const lv = low.metrics[metric] as number;
    return {
      metric,
      eligibleGroups: eligible.length,
      high: { group: high.group, value: hv, n: high.n as number },
      low: { group: low.group, value: lv, n: low.n as number },
      gap: hv - lv,
    };
  });
}

/** A gap between two qualifying groups (as opposed to a metric with too few groups to compare). */
export type MeasuredGap = MetricGap & { high: NonNullable<MetricGap['high']>; low: NonNullable<MetricGap['low']>; gap: number };
export const isMeasured = (g: MetricGap): g is MeasuredGap => g.gap !== null && !!g.high && !!g.low;
