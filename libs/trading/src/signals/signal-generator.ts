import { Bar } from '../bars/bar';
import { BarColumns, FEATURE_COUNT, FEATURE_WARMUP, ScoredNews, SIGNAL_FEATURES, computeSignalFeatures } from '../features/signal-features';
import { SignalModel, SignalOutput } from './signal-model';

export interface Signal {
  symbol: string;
  /** the bar close the signal is known at */
  timeMs: number;
  horizon: number;
  pUp: number;
  expectedReturn: number;
  contributions: { price: SignalOutput; sentiment: SignalOutput };
  features: Record<string, number>;
  model: string;
}

export function toColumns(bars: readonly Bar[]): BarColumns {
  return {
    timeMs: Float64Array.from(bars, (b) => b.timeMs),
    high: Float64Array.from(bars, (b) => b.high),
    low: Float64Array.from(bars, (b) => b.low),
    close: Float64Array.from(bars, (b) => b.close),
    volume: Float64Array.from(bars, (b) => b.volume),
  };
}

/**
 * Signals for one symbol at every bar in [fromMs, toMs] that has a full feature window.
 * @param bars the symbol's adjusted bars sorted by time (bars after toMs are ignored, so the
 *   result cannot depend on them)
 * @param news the symbol's scored news
 */
export async function generateSignals(
  model: SignalModel,
  symbol: string,
  bars: readonly Bar[],
  news: readonly ScoredNews[],
  range: { fromMs: number; toMs: number; horizon: number },
): Promise<Signal[]> {
  model.horizonIndex(range.horizon);
  let end = bars.length;
  while (end > 0 && bars[end - 1].timeMs > range.toMs) end--;
  const used = bars.slice(0, end);
  const feats = computeSignalFeatures(toColumns(used), news);
  const rows: number[] = [];
  for (let t = FEATURE_WARMUP; t < used.length; t++) if (used[t].timeMs >= range.fromMs) rows.push(t);
  if (!rows.length) return [];
  const X = new Float64Array(rows.length * FEATURE_COUNT);
  rows.forEach((t, i) => X.set(feats.subarray(t * FEATURE_COUNT, (t + 1) * FEATURE_COUNT), i * FEATURE_COUNT));
  const preds = await model.predict(X, range.horizon);
  return rows.map((t, i) => ({
    symbol,
    timeMs: used[t].timeMs,
    horizon: range.horizon,
    pUp: preds[i].pUp,
    expectedReturn: preds[i].expectedReturn,
    contributions: { price: preds[i].price, sentiment: preds[i].sentiment },
    features: Object.fromEntries(SIGNAL_FEATURES.map((name, k) => [name, X[i * FEATURE_COUNT + k]])),
    model: model.modelVersion,
  }));
}
