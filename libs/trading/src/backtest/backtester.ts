/**
 * Vectorised backtester over a [time x symbol] panel of closes held in typed arrays.
 *
 * Timing: weights are decided at bar t's close from signals known at t and earn the close-to-close
 * return of t -> t+1; trading costs (costBps + slippageBps per unit of traded notional) are taken
 * from that same return. Between rebalances positions drift with prices. Equity starts at 1 at the
 * first bar's close of the range. A symbol is tradable from its first bar; a missing bar after
 * that carries the last close (return 0). The range starts at the first time every symbol has a bar.
 */
import { performanceMetrics, PerformanceMetrics, pearson, spearman } from './performance-metrics';

export const BacktestStrategy = {
  /** The baseline: equal weights at the first bar's close, held to the last bar's close. */
  BUY_AND_HOLD: 'BUY_AND_HOLD',
  /** Long where the signal's expected return > threshold, short where < -threshold, else flat. */
  THRESHOLD: 'THRESHOLD',
  /** Long the k symbols with the highest expected return. */
  TOP_K: 'TOP_K',
  /** Long the k highest and short the k lowest, half the capital on each side. */
  TOP_K_LONG_SHORT: 'TOP_K_LONG_SHORT',
} as const;
export type BacktestStrategy = keyof typeof BacktestStrategy;

export const PositionSizing = {
  /** Every selected symbol gets the same absolute weight. */
  EQUAL: 'EQUAL',
  /** Weights proportional to |expected return| among the selected symbols. */
  SIGNAL: 'SIGNAL',
} as const;
export type PositionSizing = keyof typeof PositionSizing;

/** Closes of S symbols on T shared times, row-major [t * S + s]; NaN where a symbol has no bar. */
export interface PricePanel {
  times: Float64Array;
  symbols: readonly string[];
  close: Float64Array;
}

export interface BacktestConfig {
  strategy: BacktestStrategy;
  /** |expected return| a THRESHOLD position needs (default 0) */
  threshold?: number;
  /** symbols per side for TOP_K strategies (default 1) */
  topK?: number;
  costBps?: number;
  slippageBps?: number;
  /** bars between rebalances (default 1) */
  rebalanceEvery?: number;
  sizing?: PositionSizing;
  /** the signal's horizon in bars, for IC against realised returns (default 1) */
  horizon?: number;
  /** annual risk-free rate for Sharpe/Sortino (default 0) */
  riskFreeRate?: number;
}

export interface BacktestOutcome {
  times: Float64Array;
  equity: Float64Array;
  benchmark: Float64Array;
  metrics: PerformanceMetrics & { turnover: number; ic: number | null; rankIc: number | null };
}

export class BacktestInputError extends Error {}

/** Forward-filled closes and the first index of the range (every symbol priced). */
function prepare(panel: PricePanel): { filled: Float64Array; start: number } {
  const S = panel.symbols.length;
  const T = panel.times.length;
  if (S === 0) throw new BacktestInputError('no symbols to backtest');
  if (panel.close.length !== T * S) throw new BacktestInputError(`close has ${panel.close.length} values, expected ${T * S}`);
  const filled = new Float64Array(panel.close);
  let start = 0;
  for (let s = 0; s < S; s++) {
    let first = -1;
    for (let t = 0; t < T; t++) {
      const i = t * S + s;
      if (Number.isFinite(filled[i]) && filled[i] > 0) {
        if (first < 0) first = t;
      } else if (t > 0) filled[i] = filled[i - S];
    }
    if (first < 0) throw new BacktestInputError(`symbol ${panel.symbols[s]} has no bars in the range`);
    start = Math.max(start, first);
  }
  if (T - start < 2) throw new BacktestInputError('need at least two common bars to backtest');
  return { filled, start };
}

/** Equal-weight buy-and-hold equity from `start`: mean over symbols of close_t / close_start. */
function buyAndHold(filled: Float64Array, S: number, start: number, T: number, costRate: number): Float64Array {
  const n = T - start;
  const equity = new Float64Array(n);
  for (let t = start; t < T; t++) {
    let v = 0;
    for (let s = 0; s < S; s++) v += filled[t * S + s] / filled[start * S + s];
    equity[t - start] = v / S;
  }
  // the entry trade (all capital) pays costs once, out of the first day's return
  if (costRate > 0) for (let t = 1; t < n; t++) equity[t] *= 1 - costRate;
  return equity;
}

/** Symbols with a signal at this row, and their signals in a scratch buffer for native sorting. */
function eligible(scores: Float64Array, row: number, S: number, scratch: Float64Array): { idx: number[]; n: number } {
  const idx: number[] = [];
  for (let s = 0; s < S; s++) if (Number.isFinite(scores[row + s])) idx.push(s);
  for (let k = 0; k < idx.length; k++) scratch[k] = scores[row + idx[k]];
  return { idx, n: idx.length };
}

/**
 * The k highest (or lowest) signals of a row; ties at the cut go to the lower symbol index. The
 * cut value comes from a native Float64Array sort, so no comparator runs per day.
 */
function extremes(scores: Float64Array, row: number, idx: number[], sorted: Float64Array, k: number, highest: boolean): number[] {
  if (k <= 0) return [];
  const n = idx.length;
  const cut = highest ? sorted[n - k] : sorted[k - 1];
  const out: number[] = [];
  for (const s of idx) if (highest ? scores[row + s] > cut : scores[row + s] < cut) out.push(s);
  for (const s of idx) if (out.length < k && scores[row + s] === cut) out.push(s);
  return out;
}

function targetWeights(scores: Float64Array, row: number, S: number, cfg: Required<BacktestConfig>, out: Float64Array, scratch: Float64Array): void {
  out.fill(0);
  const { idx, n } = eligible(scores, row, S, scratch);
  let longs: number[] = [];
  let shorts: number[] = [];
  if (cfg.strategy === 'THRESHOLD') {
    longs = idx.filter((s) => scores[row + s] > cfg.threshold);
    shorts = idx.filter((s) => scores[row + s] < -cfg.threshold);
  } else if (n > 0) {
    const sorted = scratch.subarray(0, n).sort();
    const k = Math.min(cfg.topK, cfg.strategy === 'TOP_K_LONG_SHORT' ? Math.floor(n / 2) : n);
    longs = extremes(scores, row, idx, sorted, k, true);
    if (cfg.strategy === 'TOP_K_LONG_SHORT') shorts = extremes(scores, row, idx, sorted, k, false);
  }
  const side = (members: number[], sign: number, budget: number) => {
    if (!members.length) return;
    if (cfg.sizing === 'SIGNAL') {
      let total = 0;
      for (const s of members) total += Math.abs(scores[row + s]);
      for (const s of members) out[s] = total > 0 ? (sign * budget * Math.abs(scores[row + s])) / total : (sign * budget) / members.length;
    } else for (const s of members) out[s] = (sign * budget) / members.length;
  };
  if (cfg.strategy === 'THRESHOLD') {
    // one budget shared by both sides, so the book is never more than 100% gross
    const active = longs.concat(shorts);
    let total = 0;
    for (const s of active) total += cfg.sizing === 'SIGNAL' ? Math.abs(scores[row + s]) : 1;
    for (const s of active) {
      const size = cfg.sizing === 'SIGNAL' ? Math.abs(scores[row + s]) : 1;
      out[s] = total > 0 ? (Math.sign(scores[row + s]) * size) / total : 0;
    }
  } else {
    side(longs, 1, cfg.strategy === 'TOP_K_LONG_SHORT' ? 0.5 : 1);
    side(shorts, -1, 0.5);
  }
}

function normalise(config: BacktestConfig): Required<BacktestConfig> {
  const cfg: Required<BacktestConfig> = {
    threshold: 0, topK: 1, costBps: 0, slippageBps: 0, rebalanceEvery: 1, sizing: 'EQUAL', horizon: 1, riskFreeRate: 0,
    ...Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined && v !== null)),
  } as Required<BacktestConfig>;
  if (!(cfg.strategy in BacktestStrategy)) throw new BacktestInputError(`unknown strategy ${cfg.strategy}`);
  if (cfg.costBps < 0 || cfg.slippageBps < 0) throw new BacktestInputError('costBps and slippageBps must be >= 0');
  if (!Number.isInteger(cfg.rebalanceEvery) || cfg.rebalanceEvery < 1) throw new BacktestInputError('rebalanceEvery must be an integer >= 1');
  if (!Number.isInteger(cfg.topK) || cfg.topK < 1) throw new BacktestInputError('topK must be an integer >= 1');
  return cfg;
}

export interface Simulation {
  times: Float64Array;
  equity: Float64Array;
  /** exposed[k]: the book held a position over return k */
  exposed: boolean[];
  /** sum over rebalances of sum|w_new - w_old| */
  traded: number;
  /** forward-filled closes and the first index of the range, for metrics */
  filled: Float64Array;
  start: number;
}

/**
 * The equity curve of a signal strategy (no metrics): one pass over time, typed-array rows of
 * S symbols per step.
 */
export function simulateBacktest(panel: PricePanel, scores: Float64Array, config: BacktestConfig): Simulation {
  const cfg = normalise(config);
  const S = panel.symbols.length;
  const T = panel.times.length;
  if (cfg.strategy === 'BUY_AND_HOLD') throw new BacktestInputError('BUY_AND_HOLD has no signal simulation; use runBacktest');
  if (!scores || scores.length !== T * S) throw new BacktestInputError(`${cfg.strategy} needs a signal for every (time, symbol)`);
  const { filled, start } = prepare(panel);
  const costRate = (cfg.costBps + cfg.slippageBps) / 10_000;
  const n = T - start;
  const equity = new Float64Array(n);
  const exposed = new Array<boolean>(n - 1).fill(false);
  const w = new Float64Array(S);
  const target = new Float64Array(S);
  const scratch = new Float64Array(S);
  equity[0] = 1;
  let traded = 0;
  for (let k = 0; k < n - 1; k++) {
    const t = start + k;
    let cost = 0;
    if (k % cfg.rebalanceEvery === 0) {
      targetWeights(scores, t * S, S, cfg, target, scratch);
      let d = 0;
      for (let s = 0; s < S; s++) d += Math.abs(target[s] - w[s]);
      traded += d;
      cost = d * costRate;
      w.set(target);
    }
    let gross = 0;
    let exposure = 0;
    const next = (t + 1) * S;
    const now = t * S;
    for (let s = 0; s < S; s++) {
      if (w[s] === 0) continue;
      gross += w[s] * (filled[next + s] / filled[now + s] - 1);
      exposure += Math.abs(w[s]);
    }
    const port = gross - cost;
    equity[k + 1] = equity[k] * (1 + port);
    exposed[k] = exposure > 0;
    // positions drift: each is worth w(1 + r) of the old equity, now (1 + port) of it
    if (exposure > 0) for (let s = 0; s < S; s++) if (w[s] !== 0) w[s] = (w[s] * (filled[next + s] / filled[now + s])) / (1 + port);
  }
  return { times: panel.times.slice(start), equity, exposed, traded, filled, start };
}

/**
 * Runs one backtest over the whole panel.
 * @param panel closes on shared times
 * @param scores signal expected returns, same layout as panel.close (NaN = no signal); ignored for BUY_AND_HOLD
 * @param config strategy and costs
 */
export function runBacktest(panel: PricePanel, scores: Float64Array | null, config: BacktestConfig): BacktestOutcome {
  const cfg = normalise(config);
  const S = panel.symbols.length;
  const T = panel.times.length;
  if (cfg.strategy === 'BUY_AND_HOLD') {
    const { filled, start } = prepare(panel);
    const n = T - start;
    const costRate = (cfg.costBps + cfg.slippageBps) / 10_000;
    const equity = buyAndHold(filled, S, start, T, costRate);
    const m = performanceMetrics(equity, { riskFreeRate: cfg.riskFreeRate });
    return { times: panel.times.slice(start), equity, benchmark: buyAndHold(filled, S, start, T, 0), metrics: { ...m, informationRatio: null, turnover: 1 / (n - 1), ic: null, rankIc: null } };
  }
  const sim = simulateBacktest(panel, scores as Float64Array, cfg);
  const { filled, start, equity, exposed, traded, times } = sim;
  const n = T - start;
  const benchmark = buyAndHold(filled, S, start, T, 0);
  const sc = scores as Float64Array;

  // IC: the signal at t against the realised return over its horizon, pooled over (t, symbol)
  const h = cfg.horizon;
  const sig = new Float64Array(Math.max(0, (n - h) * S)).fill(NaN);
  const real = new Float64Array(sig.length).fill(NaN);
  for (let k = 0; k + h < n; k++) {
    const t = start + k;
    for (let s = 0; s < S; s++) {
      if (!Number.isFinite(panel.close[t * S + s])) continue;
      sig[k * S + s] = sc[t * S + s];
      real[k * S + s] = filled[(t + h) * S + s] / filled[t * S + s] - 1;
    }
  }
  const m = performanceMetrics(equity, { riskFreeRate: cfg.riskFreeRate, benchmark, exposed });
  return {
    times,
    equity,
    benchmark,
    metrics: { ...m, turnover: traded / (n - 1), ic: pearson(sig, real), rankIc: spearman(sig, real) },
  };
}
