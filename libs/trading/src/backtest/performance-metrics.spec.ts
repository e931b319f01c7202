import { argsortFloat64, maxDrawdown, pearson, performanceMetrics, ranks, sampleStd, simpleReturns, spearman } from './performance-metrics';

// Hand-built equity path over the 2021/2022 year end: +5%, -10%, +5%, -10%, back to the old
// peak, +5%. Expected values computed independently with Python's `statistics` module.
const dates = ['2021-12-28', '2021-12-29', '2021-12-30', '2021-12-31', '2022-01-03', '2022-01-04', '2022-01-05'];
const equity = [100, 105, 94.5, 99.225, 89.3025, 105, 110.25];

describe('performance metrics', () => {
  it('computes every metric of a known series', () => {
    const m = performanceMetrics(equity);
    expect(m.days).toBe(6);
    expect(m.totalReturn).toBeCloseTo(0.1025, 12);
    expect(m.annualizedReturn).toBeCloseTo(59.24224137575373, 9); // 1.1025^(252/6) - 1
    expect(m.annualizedVolatility).toBeCloseTo(1.676418928118695, 12);
    expect(m.sharpe).toBeCloseTo(3.151190887179421, 12);
    expect(m.sortino).toBeCloseTo(5.763915755060575, 12);
    expect(m.maxDrawdown).toBeCloseTo(0.1495, 12);
    expect(m.calmar).toBeCloseTo(396.26917308196454, 8);
    expect(m.hitRate).toBeCloseTo(4 / 6, 12);
  });

  it('finds a drawdown that spans a year end, with its dates', () => {
    const d = maxDrawdown(equity);
    expect(dates[d.peakIndex]).toBe('2021-12-29');
    expect(dates[d.troughIndex]).toBe('2022-01-03');
    expect(dates[d.recoveryIndex]).toBe('2022-01-04');
    expect(d.maxDrawdown).toBeCloseTo(1 - 89.3025 / 105, 14);
  });

  it('reports no drawdown and no recovery for a rising curve', () => {
    expect(maxDrawdown([1, 1.1, 1.2])).toEqual({ maxDrawdown: 0, peakIndex: 0, troughIndex: 0, recoveryIndex: -1 });
    expect(performanceMetrics([1, 1.1, 1.2]).calmar).toBe(0);
  });

  it('applies a risk-free rate per day as rf / 252', () => {
    expect(performanceMetrics(equity, { riskFreeRate: 0.02 }).sharpe).toBeCloseTo(3.139260694991455, 12);
  });

  it('computes the information ratio against a benchmark', () => {
    const m = performanceMetrics(equity, { benchmark: [100, 101, 102, 101, 100, 102, 103] });
    expect(m.informationRatio).toBeCloseTo(2.5410336879037483, 12);
  });

  it('counts hit rate over exposed days only', () => {
    const m = performanceMetrics(equity, { exposed: [true, true, false, false, false, true] });
    expect(m.hitRate).toBeCloseTo(2 / 3, 12);
  });

  it('uses the sample standard deviation', () => {
    expect(sampleStd([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(Array.from(simpleReturns([2, 3, 1.5]))).toEqual([0.5, -0.5]);
  });

  it('correlates with ties and missing values handled', () => {
    expect(Array.from(ranks([3, 1, 3, NaN, 2]))).toEqual([2.5, 0, 2.5, NaN, 1]);
    expect(pearson([1, 2, 3, NaN], [2, 4, 6, 100])).toBeCloseTo(1, 14);
    expect(spearman([1, 2, 3, 4], [10, 100, 1000, 10000])).toBeCloseTo(1, 14);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 14);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
  });
});

describe('argsortFloat64', () => {
  it('orders negatives, zeros, fractions and large values like a numeric sort', () => {
    const values = Float64Array.from([3.5, -1e300, 0, -0.25, 1e-300, -7, 42, 3.5, -0, 2 ** 40]);
    const order = Array.from(argsortFloat64(values));
    // -0 and 0 compare equal (ranks treat them as a tie); compare with -0 folded into 0
    const sorted = order.map((i) => values[i] + 0);
    expect(sorted).toEqual([...values].sort((a, b) => a - b).map((v) => v + 0));
    // stable for ties
    expect(order.indexOf(0)).toBeLessThan(order.indexOf(7));
  });

  it('agrees with a comparator sort on random data', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 1e3;
    const values = Float64Array.from({ length: 5000 }, rnd);
    const got = Array.from(argsortFloat64(values), (i) => values[i]);
    expect(got).toEqual([...values].sort((a, b) => a - b));
  });
});
