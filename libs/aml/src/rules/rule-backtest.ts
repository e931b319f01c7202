import type { RuleSet } from './aml-rule';
import { type RuleFacts, RuleTrack } from './rule-track';

/** A stored, labelled decision: its facts and whether it was laundering. */
export interface LabelledFacts {
  facts: RuleFacts;
  label: boolean;
}

export interface BacktestMetrics {
  version: number;
  rows: number;
  positives: number;
  alerts: number;
  truePositives: number;
  precision: number;
  recall: number;
  /** Alerts per rule id. */
  perRule: Record<string, { alerts: number; truePositives: number }>;
}

export interface BacktestResult {
  candidate: BacktestMetrics;
  active: BacktestMetrics;
  change: { alerts: number; precision: number; recall: number };
}

async function measure(ruleSet: RuleSet, rows: LabelledFacts[]): Promise<BacktestMetrics> {
  const track = new RuleTrack(ruleSet);
  let alerts = 0, tp = 0, positives = 0;
  const perRule: BacktestMetrics['perRule'] = {};
  for (const r of rows) {
    if (r.label) positives++;
    const hits = await track.evaluate(r.facts);
    if (hits.length) {
      alerts++;
      if (r.label) tp++;
    }
    for (const h of hits) {
      const p = (perRule[h.ruleId] ??= { alerts: 0, truePositives: 0 });
      p.alerts++;
      if (r.label) p.truePositives++;
    }
  }
  return { version: ruleSet.version, rows: rows.length, positives, alerts, truePositives: tp, precision: alerts ? tp / alerts : 0, recall: positives ? tp / positives : 0, perRule };
}

/**
 * Runs a candidate rule set and the active one over the same labelled history (stored facts, so no
 * feature is recomputed) and reports alert volume, precision, recall and the change.
 */
export async function backtestRules(candidate: RuleSet, active: RuleSet, rows: LabelledFacts[]): Promise<BacktestResult> {
  const c = await measure(candidate, rows);
  const a = await measure(active, rows);
  return { candidate: c, active: a, change: { alerts: c.alerts - a.alerts, precision: c.precision - a.precision, recall: c.recall - a.recall } };
}
