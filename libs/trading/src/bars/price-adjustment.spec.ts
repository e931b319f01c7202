import { Bar, barProblems, parseBarTime, sortAndDedupe } from './bar';
import { adjustForCorporateActions } from './price-adjustment';

const bar = (t: number, close: number, extra: Partial<Bar> = {}): Bar => ({
  symbol: 'X', timeMs: t, open: close, high: close, low: close, close, volume: 100, ...extra,
});

describe('adjustForCorporateActions', () => {
  it('divides prices before a 2-for-1 split and multiplies volume', () => {
    const adj = adjustForCorporateActions([bar(1, 100), bar(2, 104), bar(3, 52, { split: 2 }), bar(4, 53)]);
    expect(adj.map((b) => b.close)).toEqual([50, 52, 52, 53]);
    expect(adj.map((b) => b.volume)).toEqual([200, 200, 100, 100]);
    // no jump on the split day
    expect(adj[2].close / adj[1].close - 1).toBeCloseTo(0, 14);
  });

  it('scales prices before an ex-dividend date by (1 - D / previous close)', () => {
    const adj = adjustForCorporateActions([bar(1, 50), bar(2, 50), bar(3, 49, { dividend: 1 }), bar(4, 49.5)]);
    expect(adj[1].close).toBeCloseTo(50 * (1 - 1 / 50), 12);
    expect(adj[0].close).toBeCloseTo(50 * 0.98, 12);
    // total return on the ex-day: (49 + 1) / 50 - 1 = 0
    expect(adj[2].close / adj[1].close - 1).toBeCloseTo(0, 12);
  });

  it('leaves bars without events alone', () => {
    const bars = [bar(1, 10), bar(2, 11)];
    expect(adjustForCorporateActions(bars)).toEqual(bars);
  });
});

describe('bar validation', () => {
  it('names the bad field', () => {
    expect(barProblems(bar(1, 10, { high: 9 })).map((p) => p.field)).toEqual(['high']);
    expect(barProblems(bar(1, 10, { volume: -1 })).map((p) => p.field)).toEqual(['volume']);
    expect(barProblems({ ...bar(1, 10), symbol: 'bad symbol!' }).map((p) => p.field)).toEqual(['symbol']);
    expect(barProblems(bar(NaN, 10)).map((p) => p.field)).toEqual(['time']);
    expect(barProblems(bar(1, 10))).toEqual([]);
  });

  it('parses dates and date-times as UTC', () => {
    expect(parseBarTime('2000-09-27')).toBe(Date.UTC(2000, 8, 27));
    expect(parseBarTime('1996-04-01T00:30:00Z')).toBe(Date.UTC(1996, 3, 1, 0, 30));
    expect(parseBarTime('1996-04-01 00:30')).toBe(Date.UTC(1996, 3, 1, 0, 30));
    expect(parseBarTime('1996-04-01T02:30:00+02:00')).toBe(Date.UTC(1996, 3, 1, 0, 30));
    expect(parseBarTime('27/09/2000')).toBeNaN();
  });

  it('sorts out-of-order bars and keeps the last duplicate', () => {
    const out = sortAndDedupe([bar(3, 1), bar(1, 2), bar(3, 5), { ...bar(2, 1), symbol: 'A' }]);
    expect(out.map((b) => [b.symbol, b.timeMs, b.close])).toEqual([['A', 2, 1], ['X', 1, 2], ['X', 3, 5]]);
  });
});
