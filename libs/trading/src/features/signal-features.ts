/**
 * Window features of the `signal` model, computed exactly as models/signal/features.py does
 * (definitions there and in the model card). Every row t reads bars 0..t and news assigned to
 * bars 0..t only: nothing from the future can reach it, which the perturbation test checks.
 */

export const PRICE_FEATURES = [
  'ret_1', 'ret_5', 'ret_20', 'mom_60_20', 'vol_20', 'vol_ratio', 'sma_gap_20', 'range_5', 'volume_z_20', 'ret_5_z', 'ret_20_z',
] as const;
export const SENTIMENT_FEATURES = ['sent_mean_1', 'sent_count_1', 'sent_mean_5', 'sent_count_5', 'sent_decay'] as const;
export const SIGNAL_FEATURES = [...PRICE_FEATURES, ...SENTIMENT_FEATURES] as const;
export type SignalFeatureName = (typeof SIGNAL_FEATURES)[number];
/** Bars needed before the first row that has features. */
export const FEATURE_WARMUP = 60;
export const FEATURE_COUNT = SIGNAL_FEATURES.length;
const DECAY_WINDOW = 20;
const DECAY_HALF_LIFE = 3;

/** One symbol's adjusted bars, sorted by time, as column arrays. */
export interface BarColumns {
  timeMs: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** A scored news item for one symbol. */
export interface ScoredNews {
  publishedAtMs: number;
  score: number;
}

/**
 * Index of the bar a news item counts at: the first bar whose time >= publishedAt
 * (news after a close counts at the next bar); `times.length` when after the last bar.
 */
export function newsBarIndex(times: Float64Array, publishedAtMs: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < publishedAtMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sampleStd(x: Float64Array, from: number, to: number): number {
  const n = to - from;
  let s = 0;
  for (let i = from; i < to; i++) s += x[i];
  const m = s / n;
  let q = 0;
  for (let i = from; i < to; i++) q += (x[i] - m) ** 2;
  return Math.sqrt(q / (n - 1));
}

function sum(x: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i];
  return s;
}

/**
 * Feature matrix for one symbol: row-major [bars, FEATURE_COUNT] float64, NaN before the warm-up.
 * @param bars the symbol's bars (sorted, adjusted)
 * @param news the symbol's scored news, any order
 * @returns features; `rows[t]` is valid when t >= FEATURE_WARMUP
 */
export function computeSignalFeatures(bars: BarColumns, news: readonly ScoredNews[]): Float64Array {
  const n = bars.close.length;
  const F = FEATURE_COUNT;
  const out = new Float64Array(n * F).fill(NaN);
  if (n <= FEATURE_WARMUP) return out;
  const { close, high, low, volume } = bars;
  const r = new Float64Array(n);
  const lv = new Float64Array(n);
  const rng = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i > 0) r[i] = close[i] / close[i - 1] - 1;
    lv[i] = Math.log1p(volume[i]);
    rng[i] = (high[i] - low[i]) / close[i];
  }
  const cnt = new Float64Array(n);
  const ssum = new Float64Array(n);
  // Python adds scores in input order; keep that order so sums agree to the last bit
  for (const item of news) {
    const j = newsBarIndex(bars.timeMs, item.publishedAtMs);
    if (j < n) {
      cnt[j] += 1;
      ssum[j] += item.score;
    }
  }
  const decay = Array.from({ length: DECAY_WINDOW }, (_, k) => 0.5 ** (k / DECAY_HALF_LIFE));
  for (let t = FEATURE_WARMUP; t < n; t++) {
    const vol20 = sampleStd(r, t - 19, t + 1);
    const vol5 = sampleStd(r, t - 4, t + 1);
    const lvStd = sampleStd(lv, t - 19, t + 1);
    const ret5 = close[t] / close[t - 5] - 1;
    const ret20 = close[t] / close[t - 20] - 1;
    const c5 = sum(cnt, t - 4, t + 1);
    const s5 = sum(ssum, t - 4, t + 1);
    let sd = 0;
    for (let k = 0; k < DECAY_WINDOW; k++) if (ssum[t - k] !== 0) sd += ssum[t - k] * decay[k];
    const row = t * F;
    out[row] = close[t] / close[t - 1] - 1;
    out[row + 1] = ret5;
    out[row + 2] = ret20;
    out[row + 3] = close[t - 20] / close[t - 60] - 1;
    out[row + 4] = vol20;
    out[row + 5] = vol20 > 0 ? vol5 / vol20 : 1;
    out[row + 6] = close[t] / (sum(close, t - 19, t + 1) / 20) - 1;
    out[row + 7] = sum(rng, t - 4, t + 1) / 5;
    out[row + 8] = lvStd > 0 ? (lv[t] - sum(lv, t - 19, t + 1) / 20) / lvStd : 0;
    out[row + 9] = vol20 > 0 ? ret5 / (vol20 * Math.sqrt(5)) : 0;
    out[row + 10] = vol20 > 0 ? ret20 / (vol20 * Math.sqrt(20)) : 0;
    out[row + 11] = cnt[t] > 0 ? ssum[t] / cnt[t] : 0;
    out[row + 12] = Math.log1p(cnt[t]);
    out[row + 13] = c5 > 0 ? s5 / c5 : 0;
    out[row + 14] = Math.log1p(c5);
    out[row + 15] = sd;
  }
  return out;
}

/** Index of the first sentiment column in a feature row. */
export const SENTIMENT_OFFSET = PRICE_FEATURES.length;
