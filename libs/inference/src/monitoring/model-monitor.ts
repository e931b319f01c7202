import { metricsRegistry } from '@suite/platform';
import { Counter, Gauge } from 'prom-client';
import type { DriftEntry } from '../drift/drift-monitor';

export interface MonitorThresholds {
  /** PSI of one input or output: warning, then critical (0.1 / 0.25 is the usual reading). */
  psiWarning: number;
  psiCritical: number;
  /** Relative drop of live quality below the card's held-out value: warning, then critical. */
  qualityDropWarning: number;
  qualityDropCritical: number;
  /** Labelled outcomes needed before live quality is judged, and the rolling window kept. */
  minOutcomes: number;
  window: number;
  /** Observations a feature needs before its PSI is judged. */
  minObservations: number;
}

export const DEFAULT_THRESHOLDS: MonitorThresholds = {
  psiWarning: 0.1,
  psiCritical: 0.25,
  // a 30% drop is what must never go unnoticed; warn at a third of it
  qualityDropWarning: 0.1,
  qualityDropCritical: 0.2,
  minOutcomes: 100,
  window: 500,
  minObservations: 200,
};

export type AlertLevel = 'warning' | 'critical';

export interface ModelAlert {
  model: string;
  kind: 'input-drift' | 'output-drift' | 'quality';
  level: AlertLevel;
  feature?: string;
  value: number;
  threshold: number;
  at: string;
  message: string;
}

const alertsTotal = new Counter({ name: 'inference_model_alerts_total', help: 'Model monitoring alerts raised', labelNames: ['model', 'kind', 'level'], registers: [metricsRegistry] });
const liveQuality = new Gauge({ name: 'inference_live_quality', help: 'Rolling quality of a model on labelled outcomes (metric named in the label)', labelNames: ['model', 'metric'], registers: [metricsRegistry] });

/**
 * Watches one model for decay: PSI of inputs and outputs, and live quality where labels arrive
 * (case dispositions, corrected extractions). An alert is raised once when a value first crosses
 * a threshold and re-armed when it comes back below, so a slow drift alerts at its first crossing.
 */
export class ModelMonitor {
  private readonly raised = new Map<string, AlertLevel>();
  private readonly log: ModelAlert[] = [];
  private readonly outcomes: Uint8Array;
  private outcomeCount = 0;
  private next = 0;

  constructor(
    readonly model: string,
    /** Held-out accuracy-like metric from the card, and its name. */
    private readonly baseline: { metric: string; value: number } | undefined,
    readonly thresholds: MonitorThresholds = DEFAULT_THRESHOLDS,
    private readonly sink: (alert: ModelAlert) => void = () => undefined,
  ) {
    this.outcomes = new Uint8Array(thresholds.window);
  }

  /** Judges a drift report (from ServedModel.driftReport()). */
  checkDrift(report: DriftEntry[]): ModelAlert[] {
    const fired: ModelAlert[] = [];
    for (const d of report) {
      if (d.observations < this.thresholds.minObservations) continue;
      const alert = this.judge(`${d.kind}:${d.feature}`, d.psi, [this.thresholds.psiWarning, this.thresholds.psiCritical], (level, threshold) => ({
        kind: d.kind === 'input' ? 'input-drift' : 'output-drift',
        feature: d.feature,
        level,
        value: d.psi,
        threshold,
        message: `${this.model}: PSI of ${d.kind} ${d.feature} is ${d.psi.toFixed(3)} (>= ${threshold})`,
      }));
      if (alert) fired.push(alert);
    }
    return fired;
  }

  /** Records whether a labelled prediction was right; judges the rolling quality. */
  recordOutcome(correct: boolean): ModelAlert | undefined {
    this.outcomes[this.next] = correct ? 1 : 0;
    this.next = (this.next + 1) % this.outcomes.length;
    this.outcomeCount = Math.min(this.outcomeCount + 1, this.outcomes.length);
    if (!this.baseline || this.outcomeCount < this.thresholds.minOutcomes) return undefined;
    const quality = this.liveQuality() as number;
    liveQuality.set({ model: this.model, metric: this.baseline.metric }, quality);
    const drop = (this.baseline.value - quality) / this.baseline.value;
    return this.judge('quality', drop, [this.thresholds.qualityDropWarning, this.thresholds.qualityDropCritical], (level, threshold) => ({
      kind: 'quality',
      level,
      value: quality,
      threshold,
      message: `${this.model}: live ${this.baseline!.metric} ${quality.toFixed(3)} is ${(drop * 100).toFixed(1)}% below held-out ${this.baseline!.value.toFixed(3)} (alert at ${(threshold * 100).toFixed(0)}%)`,
    }));
  }

  liveQuality(): number | undefined {
    if (!this.outcomeCount) return undefined;
    let s = 0;
    for (let i = 0; i < this.outcomeCount; i++) s += this.outcomes[i];
    return s / this.outcomeCount;
  }

  alerts(): ModelAlert[] {
    return [...this.log];
  }

  private judge(key: string, value: number, [warning, critical]: [number, number], make: (level: AlertLevel, threshold: number) => Omit<ModelAlert, 'model' | 'at'>): ModelAlert | undefined {
    const level: AlertLevel | undefined = value >= critical ? 'critical' : value >= warning ? 'warning' : undefined;
    const before = this.raised.get(key);
    if (!level) {
      this.raised.delete(key); // re-arm
      return undefined;
    }
    if (before === level || (before === 'critical' && level === 'warning')) return undefined;
    this.raised.set(key, level);
    const alert: ModelAlert = { model: this.model, at: new Date().toISOString(), ...make(level, level === 'critical' ? critical : warning) };
    this.log.push(alert);
    if (this.log.length > 1000) this.log.shift();
    alertsTotal.inc({ model: this.model, kind: alert.kind, level });
    this.sink(alert);
    return alert;
  }
}
