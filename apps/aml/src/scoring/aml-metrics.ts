import { metricsRegistry } from '@suite/platform';
import { Counter, Histogram } from 'prom-client';

export const decisionsTotal = new Counter({
  name: 'aml_decisions_total',
  help: 'Decisions by outcome',
  labelNames: ['decision'],
  registers: [metricsRegistry],
});

/** Model/rule disagreements: their own alert reason, counted so drift between the tracks shows. */
export const disagreementsTotal = new Counter({
  name: 'aml_track_disagreements_total',
  help: 'Transactions where the model and the rules disagree',
  labelNames: ['kind'],
  registers: [metricsRegistry],
});

export const ruleHitsTotal = new Counter({
  name: 'aml_rule_hits_total',
  help: 'Rule hits by rule id',
  labelNames: ['rule'],
  registers: [metricsRegistry],
});

export const batchSeconds = new Histogram({
  name: 'aml_decision_batch_seconds',
  help: 'Time to decide and store one batch',
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  registers: [metricsRegistry],
});
