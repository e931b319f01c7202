/** Held-out metrics computed the same way as models/_toolchain/cardkit.py, so cards can be re-checked. */

export function binaryMetrics(labels: ArrayLike<number>, scores: ArrayLike<number>, threshold = 0.5) {
  const n = scores.length;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i] > 0;
    const pred = scores[i] >= threshold;
    if (pred && y) tp++;
    else if (pred && !y) fp++;
    else if (!pred && y) fn++;
    if (pred === y) correct++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  // average precision (stable sort by descending score, as numpy mergesort on -p)
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  let tps = 0;
  let seen = 0;
  let apSum = 0;
  let positives = 0;
  for (const i of order) {
    seen++;
    if (labels[i] > 0) {
      tps++;
      positives++;
      apSum += tps / seen;
    }
  }
  const prAuc = positives ? apSum / positives : 0;
  // ROC AUC via ranks (ties broken by order, as cardkit does)
  const asc = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b] || a - b);
  let rankSum = 0;
  asc.forEach((i, r) => {
    if (labels[i] > 0) rankSum += r + 1;
  });
  const neg = n - positives;
  const rocAuc = positives && neg ? (rankSum - (positives * (positives + 1)) / 2) / (positives * neg) : 0;
  return { precision, recall, f1, prAuc, rocAuc, accuracy: n ? correct / n : 0 };
}

export function multiclassMetrics(labels: ArrayLike<number>, predictions: ArrayLike<number>, classes: number, ignoreLabel?: number) {
  const tp = new Float64Array(classes);
  const fp = new Float64Array(classes);
  const fn = new Float64Array(classes);
  let correct = 0;
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (ignoreLabel !== undefined && y === ignoreLabel) continue;
    const p = predictions[i];
    total++;
    if (p === y) {
      correct++;
      tp[y]++;
    } else {
      if (p >= 0 && p < classes) fp[p]++;
      if (y >= 0 && y < classes) fn[y]++;
    }
  }
  let f1Sum = 0;
  for (let c = 0; c < classes; c++) {
    const prec = tp[c] + fp[c] ? tp[c] / (tp[c] + fp[c]) : 0;
    const rec = tp[c] + fn[c] ? tp[c] / (tp[c] + fn[c]) : 0;
    f1Sum += prec + rec ? (2 * prec * rec) / (prec + rec) : 0;
  }
  return { accuracy: total ? correct / total : 0, macroF1: classes ? f1Sum / classes : 0 };
}

export function regressionMetrics(labels: ArrayLike<number>, predictions: ArrayLike<number>) {
  const n = labels.length;
  let abs = 0;
  let sq = 0;
  let my = 0;
  let mp = 0;
  for (let i = 0; i < n; i++) {
    abs += Math.abs(predictions[i] - labels[i]);
    sq += (predictions[i] - labels[i]) ** 2;
    my += labels[i];
    mp += predictions[i];
  }
  my /= n;
  mp /= n;
  let cov = 0;
  let vy = 0;
  let vp = 0;
  for (let i = 0; i < n; i++) {
    cov += (labels[i] - my) * (predictions[i] - mp);
    vy += (labels[i] - my) ** 2;
    vp += (predictions[i] - mp) ** 2;
  }
  return { mae: abs / n, rmse: Math.sqrt(sq / n), ic: vy && vp ? cov / Math.sqrt(vy * vp) : 0 };
}

/** argmax over the last axis of a [rows, classes] block. */
export function argmaxRows(data: ArrayLike<number>, classes: number): Int32Array {
  const rows = data.length / classes;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (data[r * classes + c] > data[r * classes + best]) best = c;
    out[r] = best;
  }
  return out;
}
