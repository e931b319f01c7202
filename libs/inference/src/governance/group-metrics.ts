import type { Evaluation } from '../registry/card';
import type { TensorData } from '../backend/tensor';
import { argmaxRows, regressionMetrics } from '../evaluation/metrics';

/** Metrics of one group; null where the metric is undefined for it (e.g. precision without alerts). */
export type GroupMetrics = Record<string, number | null>;

/** Per-row outcome of re-scoring a held-out set, in the form each evaluation kind needs. */
export type ScoredRows =
  | { kind: 'binary'; labels: Uint8Array; alerts: Uint8Array }
  | { kind: 'multiclass'; labels: Int32Array; predictions: Int32Array; classes: string[] }
  | { kind: 'token-multiclass'; labels: Int32Array; predictions: Int32Array; tokensPerRow: number; classes: number; ignoreLabel?: number }
  | { kind: 'regression'; labels: Float64Array; predictions: Float64Array };

/** Turns a model output over a held-out set into per-row outcomes, the way `evaluateHeldout` reads it. */
export function scoreRows(evaluation: Evaluation, labelTensor: TensorData, output: TensorData, classNames?: string[]): ScoredRows {
  const rows = labelTensor.dims[0];
  const labels = Array.from(labelTensor.data as ArrayLike<number | bigint>, Number);
  const width = output.data.length / rows;
  switch (evaluation.kind) {
    case 'binary': {
      const col = evaluation.positiveColumn ?? width - 1;
      const threshold = evaluation.threshold ?? 0.5;
      const alerts = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) alerts[i] = (output.data[i * width + col] as number) >= threshold ? 1 : 0;
      return { kind: 'binary', labels: Uint8Array.from(labels, (y) => (y > 0 ? 1 : 0)), alerts };
    }
    case 'multiclass': {
      const classes = classNames?.length ?? width;
      const names = classNames ?? Array.from({ length: classes }, (_, c) => String(c));
      return { kind: 'multiclass', labels: Int32Array.from(labels), predictions: argmaxRows(output.data as Float32Array, classes), classes: names };
    }
    case 'token-multiclass': {
      const classes = output.dims[output.dims.length - 1];
      return { kind: 'token-multiclass', labels: Int32Array.from(labels), predictions: argmaxRows(output.data as Float32Array, classes), tokensPerRow: labels.length / rows, classes, ignoreLabel: evaluation.ignoreLabel };
    }
    case 'regression':
      return { kind: 'regression', labels: Float64Array.from(labels), predictions: Float64Array.from(output.data as Float32Array, Number) };
  }
}

/** Number of held-out rows in a scored set. */
export function rowCount(s: ScoredRows): number {
  return s.kind === 'token-multiclass' ? s.labels.length / s.tokensPerRow : s.labels.length;
}

/** Metrics over the given rows: the ones a reviewer compares across groups for this kind of model. */
export function metricsForRows(s: ScoredRows, rows: ArrayLike<number>): GroupMetrics {
  switch (s.kind) {
    case 'binary':
      return binaryGroupMetrics(pick(s.labels, rows), pick(s.alerts, rows));
    case 'multiclass':
      return classGroupMetrics(pick(s.labels, rows), pick(s.predictions, rows), s.classes);
    case 'token-multiclass': {
      const labels: number[] = [];
      const predictions: number[] = [];
      for (let k = 0; k < rows.length; k++) {
        for (let t = rows[k] * s.tokensPerRow; t < (rows[k] + 1) * s.tokensPerRow; t++) {
          if (s.ignoreLabel !== undefined && s.labels[t] === s.ignoreLabel) continue;
          labels.push(s.labels[t]);
          predictions.push(s.predictions[t]);
        }
      }
      const m = classGroupMetrics(labels, predictions, Array.from({ length: s.classes }, (_, c) => String(c)));
      return { n: rows.length, tokens: labels.length, accuracy: m.accuracy, macroF1: m.macroF1 };
    }
    case 'regression': {
      const labels = pick(s.labels, rows);
      const predictions = pick(s.predictions, rows);
      if (!labels.length) return { n: 0, mae: null, ic: null };
      const m = regressionMetrics(labels, predictions);
      return { n: labels.length, mae: m.mae, ic: labels.length > 2 ? m.ic : null };
    }
  }
}

function pick(a: ArrayLike<number>, rows: ArrayLike<number>): number[] {
  return Array.from(rows, (r) => a[r]);
}

/**
 * n, positives, alerts (predicted positives), the alert rate, and precision, recall, f1 at the card threshold.
 * Precision is null for a group without alerts and recall null for one without positives: a
 * group the model never alerts on has no precision to compare, not a precision of 0.
 */
export function binaryGroupMetrics(labels: ArrayLike<number>, alerts: ArrayLike<number>): GroupMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    if (alerts[i] && labels[i]) tp++;
    else if (alerts[i]) fp++;
    else if (labels[i]) fn++;
  }
  const n = labels.length;
  const precision = tp + fp ? tp / (tp + fp) : null;
  const recall = tp + fn ? tp / (tp + fn) : null;
  const f1 = precision !== null && recall !== null ? (precision + recall ? (2 * precision * recall) / (precision + recall) : 0) : null;
  return { n, positives: tp + fn, alerts: tp + fp, alertRate: n ? (tp + fp) / n : null, precision, recall, f1 };
}

/**
 * n, accuracy, macro-F1 over the classes present in the group (as label or prediction: a class a
 * group never has would otherwise count as F1 0 and fake a gap), and recall per class
 * (`recall:<class>`, null where the group has no row of that class).
 */
export function classGroupMetrics(labels: ArrayLike<number>, predictions: ArrayLike<number>, classes: string[]): GroupMetrics {
  const k = classes.length;
  const tp = new Float64Array(k);
  const fp = new Float64Array(k);
  const fn = new Float64Array(k);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    const p = predictions[i];
    if (p === y) {
      correct++;
      tp[y]++;
    } else {
      if (p >= 0 && p < k) fp[p]++;
      if (y >= 0 && y < k) fn[y]++;
    }
  }
  let f1Sum = 0;
  let present = 0;
  const recalls: GroupMetrics = {};
  for (let c = 0; c < k; c++) {
    const support = tp[c] + fn[c];
    recalls[`recall:${classes[c]}`] = support ? tp[c] / support : null;
    recalls[`support:${classes[c]}`] = support;
    if (!support && !fp[c]) continue;
    present++;
    const prec = tp[c] + fp[c] ? tp[c] / (tp[c] + fp[c]) : 0;
    const rec = support ? tp[c] / support : 0;
    f1Sum += prec + rec ? (2 * prec * rec) / (prec + rec) : 0;
  }
  const n = labels.length;
  return { n, accuracy: n ? correct / n : null, macroF1: present ? f1Sum / present : null, ...recalls };
}
