import { BacktestInputError, PricePanel, runBacktest } from './backtester';

const day = 86_400_000;
function panel(symbols: string[], rows: number[][]): PricePanel {
  return { symbols, times: Float64Array.from(rows, (_, i) => Date.UTC(2022, 0, 3) + i * day), close: Float64Array.from(rows.flat()) };
}

describe('runBacktest', () => {
  // A: 10 -> 11 -> 12.1 ; B: 20 -> 18 -> 19.8
  const ab = panel(['A', 'B'], [[10, 20], [11, 18], [12.1, 19.8]]);

  it('BUY_AND_HOLD holds equal weights from the first close to the last', () => {
    const r = runBacktest(ab, null, { strategy: 'BUY_AND_HOLD' });
    expect(Array.from(r.equity)).toEqual([1, 0.5 * 1.1 + 0.5 * 0.9, 0.5 * 1.21 + 0.5 * 0.99]);
    expect(r.metrics.totalReturn).toBeCloseTo(0.1, 14);
    expect(r.metrics.ic).toBeNull();
  });

  it('BUY_AND_HOLD weights drift (no rebalancing) and pays entry costs once', () => {
    const r = runBacktest(ab, null, { strategy: 'BUY_AND_HOLD', costBps: 10, slippageBps: 5 });
    expect(r.equity[2]).toBeCloseTo(1.1 * (1 - 0.0015), 14);
  });

  it('THRESHOLD goes long, short or flat from the signal known at the close', () => {
    const scores = Float64Array.from([0.02, -0.02, 0.0, 0.0, NaN, NaN]);
    const r = runBacktest(ab, scores, { strategy: 'THRESHOLD', threshold: 0.01 });
    // day 1: +0.5 * 10% (long A) - 0.5 * (-10%) (short B) = +10%; day 2: flat
    expect(r.equity[1]).toBeCloseTo(1.1, 14);
    expect(r.equity[2]).toBeCloseTo(1.1, 14);
    // traded 1.0 to enter; the exit trades the drifted book: |0.55| + |-0.45| of equity 1.1
    expect(r.metrics.turnover).toBeCloseTo((1 + 1 / 1.1) / 2, 14);
  });

  it('charges costs per unit traded', () => {
    const scores = Float64Array.from([0.02, NaN, 0.02, NaN, NaN, NaN]);
    const r = runBacktest(ab, scores, { strategy: 'THRESHOLD', costBps: 20, slippageBps: 5, rebalanceEvery: 2 });
    // enter A fully at t0 (cost 0.25% of equity), A returns +10% each day; the position (worth 1.1
    // after day 1) earns 0.11 on day 2 while the cost stays paid
    expect(r.equity[1]).toBeCloseTo(1 + 0.1 - 0.0025, 14);
    expect(r.equity[2]).toBeCloseTo(1 + 0.1 - 0.0025 + 0.11, 14);
  });

  it('TOP_K picks the highest signals and rebalances every n bars; positions drift between', () => {
    const p = panel(['A', 'B', 'C'], [[10, 10, 10], [11, 9, 10], [11, 9, 12], [11, 9, 12]]);
    const scores = Float64Array.from([0.03, 0.01, 0.02, -1, 1, -1, 0, 0, 0, 0, 0, 0]);
    const r = runBacktest(p, scores, { strategy: 'TOP_K', topK: 2, rebalanceEvery: 2 });
    // t0: A and C at 1/2 each; t1: not a rebalance day; drifted weights A 0.55/1.05, C 0.5/1.05
    expect(r.equity[1]).toBeCloseTo(1.05, 14);
    expect(r.equity[2]).toBeCloseTo(1.05 + 0.5 * 0.2, 14);
  });

  it('TOP_K_LONG_SHORT puts half the capital on each side', () => {
    const scores = Float64Array.from([0.05, -0.05, NaN, NaN, NaN, NaN]);
    const r = runBacktest(ab, scores, { strategy: 'TOP_K_LONG_SHORT', topK: 1 });
    expect(r.equity[1]).toBeCloseTo(1 + 0.5 * 0.1 + 0.5 * 0.1, 14);
  });

  it('measures IC of the signal against realised horizon returns', () => {
    const p = panel(['A', 'B', 'C'], [[10, 10, 10], [11, 9, 10.5], [12, 8, 11], [13, 7, 11.5]]);
    const scores = Float64Array.from([0.1, -0.1, 0.05, 0.09, -0.11, 0.04, 0.08, -0.12, 0.035, 0, 0, 0]);
    const r = runBacktest(p, scores, { strategy: 'TOP_K', horizon: 1 });
    expect(r.metrics.rankIc).toBeCloseTo(1, 12);
    expect(r.metrics.ic!).toBeGreaterThan(0.9);
  });

  it('starts when every symbol has a bar and carries the last close over gaps', () => {
    const p = panel(['A', 'B'], [[10, NaN], [11, 20], [NaN, 22], [12.1, 22]]);
    const r = runBacktest(p, null, { strategy: 'BUY_AND_HOLD' });
    expect(r.times.length).toBe(3);
    expect(Array.from(r.equity).map((x) => +x.toFixed(12))).toEqual([1, 1.05, 1.1]);
  });

  it('refuses bad input with a clear message', () => {
    expect(() => runBacktest(ab, null, { strategy: 'TOP_K' })).toThrow(BacktestInputError);
    expect(() => runBacktest(ab, null, { strategy: 'BUY_AND_HOLD', costBps: -1 })).toThrow(/costBps/);
    expect(() => runBacktest(panel(['A'], [[1]]), null, { strategy: 'BUY_AND_HOLD' })).toThrow(/two common bars/);
  });
});
