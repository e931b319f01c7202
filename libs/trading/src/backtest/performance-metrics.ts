/**
 * Performance metrics of an equity curve, with the conventions the API documents:
 * daily simple returns; annualised return (final/initial)^(252/n) - 1 over n daily returns;
 * volatility and Sharpe with the sample standard deviation (n - 1) and sqrt(252); risk-free rate
 * 0 unless given (annual, applied as rf/252 per day); max drawdown as a positive fraction
 * max_t(1 - equity_t / max_{s<=t} equity_s).
 */

export const TRADING_DAYS_PER_YEAR = 252;

export interface Drawdown {
  /** max_t (1 - equity_t / running peak), a positive fraction (0 when equity never falls). */
  maxDrawdown: number;
  /** index of the peak before the deepest trough */
  peakIndex: number;
  /** index of the deepest trough */
  troughIndex: number;
  /** first index after the trough where equity is back at the peak, or -1 if never */
  recoveryIndex: number;
}

export interface PerformanceMetrics {
  totalReturn: number;
  annualizedReturn: number;
  annualizedVolatility: number;
  sharpe: number;
  sortino: number;
  maxDrawdown: number;
  calmar: number;
  hitRate: number;
  informationRatio: number | null;
  drawdown: Drawdown;
  days: number;
}

/** Daily simple returns r_i = e_i / e_{i-1} - 1 (n = equity.length - 1). */
export function simpleReturns(equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(0, equity.length - 1));
  for (let i = 1; i < equity.length; i++) out[i - 1] = equity[i] / equity[i - 1] - 1;
  return out;
}

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return x.length ? s / x.length : 0;
}

/** Sample standard deviation (divides by n - 1); 0 for fewer than two values. */
export function sampleStd(x: ArrayLike<number>): number {
  if (x.length < 2) return 0;
  const m = mean(x);
  let q = 0;
  for (let i = 0; i < x.length; i++) q += (x[i] - m) ** 2;
  return Math.sqrt(q / (x.length - 1));
}

/**
 * Deepest peak-to-trough fall of an equity curve.
 * @param equity equity values in time order
 */
export function maxDrawdown(equity: ArrayLike<number>): Drawdown {
  let peak = -Infinity;
  let peakAt = 0;
  const best: Drawdown = { maxDrawdown: 0, peakIndex: 0, troughIndex: 0, recoveryIndex: -1 };
  for (let t = 0; t < equity.length; t++) {
    if (equity[t] > peak) {
      peak = equity[t];
      peakAt = t;
    }
    const dd = 1 - equity[t] / peak;
    if (dd > best.maxDrawdown) {
      best.maxDrawdown = dd;
      best.peakIndex = peakAt;
      best.troughIndex = t;
    }
  }
  if (best.maxDrawdown > 0) {
    const level = equity[best.peakIndex];
    for (let t = best.troughIndex + 1; t < equity.length; t++) {
      if (equity[t] >= level) {
        best.recoveryIndex = t;
        break;
      }
    }
  }
  return best;
}

/**
 * Pearson correlation of the pairs where both values are finite; null with fewer than 3 pairs
 * or no variance.
 */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isFinite(a[i]) && Number.isFinite(b[i])) {
      n++;
      sa += a[i];
      sb += b[i];
    }
  }
  if (n < 3) return null;
  const ma = sa / n;
  const mb = sb / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isFinite(a[i]) && Number.isFinite(b[i])) {
      cov += (a[i] - ma) * (b[i] - mb);
      va += (a[i] - ma) ** 2;
      vb += (b[i] - mb) ** 2;
    }
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : null;
}

/**
 * Indices of the values in ascending order: an LSD radix sort on the IEEE-754 bits (4 passes of 16
 * bits), O(n) with no comparator calls, so ranking a million values takes tens of milliseconds.
 * Values must be finite.
 */
export function argsortFloat64(values: Float64Array): Uint32Array {
  const n = values.length;
  const bits = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  // doubles -> unsigned keys in the same order (little-endian words: [lo, hi]); keys travel with
  // their index so every pass reads memory sequentially
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = bits[2 * i + 1];
    const l = bits[2 * i];
    if (h & 0x80000000) {
      lo[i] = ~l >>> 0;
      hi[i] = ~h >>> 0;
    } else {
      lo[i] = l;
      hi[i] = (h | 0x80000000) >>> 0;
    }
    idx[i] = i;
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  let idx2 = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const key = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(key[i] >>> shift) & 0xffff]++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const p = count[(key[i] >>> shift) & 0xffff]++;
      lo2[p] = lo[i];
      hi2[p] = hi[i];
      idx2[p] = idx[i];
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [idx, idx2] = [idx2, idx];
  }
  return idx;
}

/** Ranks (0-based, ties averaged) of the finite values; non-finite stay NaN. */
export function ranks(x: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) n++;
  const at = new Uint32Array(n);
  const vals = new Float64Array(n);
  for (let i = 0, k = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) {
      at[k] = i;
      vals[k++] = x[i];
    }
  }
  const order = argsortFloat64(vals);
  const out = new Float64Array(x.length).fill(NaN);
  for (let k = 0; k < order.length; ) {
    let e = k;
    while (e + 1 < order.length && vals[order[e + 1]] === vals[order[k]]) e++;
    for (let m = k; m <= e; m++) out[at[order[m]]] = (k + e) / 2;
    k = e + 1;
  }
  return out;
}

/** Spearman rank correlation over pairs where both are finite. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) n++;
  const pa = new Float64Array(n);
  const pb = new Float64Array(n);
  for (let i = 0, k = 0; i < a.length; i++) {
    if (Number.isFinite(a[i]) && Number.isFinite(b[i])) {
      pa[k] = a[i];
      pb[k++] = b[i];
    }
  }
  return pearson(ranks(pa), ranks(pb));
}

/**
 * All metrics of an equity curve.
 * @param equity equity values e_0..e_n (e_0 the starting capital at the first bar's close)
 * @param options riskFreeRate (annual, default 0); benchmark equity on the same dates for the
 *   information ratio; exposed[i] whether the portfolio held a position over return i (hit rate
 *   counts those days only; all days when omitted)
 */
export function performanceMetrics(
  equity: ArrayLike<number>,
  options: { riskFreeRate?: number; benchmark?: ArrayLike<number>; exposed?: ArrayLike<boolean> } = {},
): PerformanceMetrics {
  const r = simpleReturns(equity);
  const n = r.length;
  const rfDaily = (options.riskFreeRate ?? 0) / TRADING_DAYS_PER_YEAR;
  const growth = n > 0 ? equity[n] / equity[0] : 1;
  const totalReturn = growth - 1;
  const annualizedReturn = n > 0 ? growth ** (TRADING_DAYS_PER_YEAR / n) - 1 : 0;
  const sd = sampleStd(r);
  const excess = mean(r) - rfDaily;
  const sharpe = sd > 0 ? (excess / sd) * Math.sqrt(TRADING_DAYS_PER_YEAR) : 0;
  // downside deviation below the risk-free target, averaged over all n days
  let down = 0;
  for (let i = 0; i < n; i++) down += Math.min(0, r[i] - rfDaily) ** 2;
  const dd = n > 0 ? Math.sqrt(down / n) : 0;
  const sortino = dd > 0 ? (excess / dd) * Math.sqrt(TRADING_DAYS_PER_YEAR) : 0;
  const drawdown = maxDrawdown(equity);
  const calmar = drawdown.maxDrawdown > 0 ? annualizedReturn / drawdown.maxDrawdown : 0;
  let active = 0;
  let wins = 0;
  for (let i = 0; i < n; i++) {
    if (options.exposed && !options.exposed[i]) continue;
    active++;
    if (r[i] > 0) wins++;
  }
  let informationRatio: number | null = null;
  if (options.benchmark) {
    const b = simpleReturns(options.benchmark);
    const active = r.map((x, i) => x - b[i]);
    const te = sampleStd(active);
    informationRatio = te > 0 ? (mean(active) / te) * Math.sqrt(TRADING_DAYS_PER_YEAR) : null;
  }
  return {
    totalReturn,
    annualizedReturn,
    annualizedVolatility: sd * Math.sqrt(TRADING_DAYS_PER_YEAR),
    sharpe,
    sortino,
    maxDrawdown: drawdown.maxDrawdown,
    calmar,
    hitRate: active ? wins / active : 0,
    informationRatio,
    drawdown,
    days: n,
  };
}
