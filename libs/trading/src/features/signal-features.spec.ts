import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BarColumns, FEATURE_COUNT, FEATURE_WARMUP, SIGNAL_FEATURES, computeSignalFeatures, newsBarIndex } from './signal-features';

interface Fixture {
  featureNames: string[];
  bars: { time: string; open: number; high: number; low: number; close: number; volume: number }[];
  news: { publishedAt: string; score: number }[];
  newsBar: number[];
  features: (number[] | null)[];
}
const fixture: Fixture = JSON.parse(readFileSync(join(__dirname, '../../../../models/signal/feature-fixture.json'), 'utf8'));

function columns(bars: Fixture['bars']): BarColumns {
  return {
    timeMs: Float64Array.from(bars, (b) => Date.parse(b.time)),
    high: Float64Array.from(bars, (b) => b.high),
    low: Float64Array.from(bars, (b) => b.low),
    close: Float64Array.from(bars, (b) => b.close),
    volume: Float64Array.from(bars, (b) => b.volume),
  };
}
const news = fixture.news.map((n) => ({ publishedAtMs: Date.parse(n.publishedAt), score: n.score }));

describe('computeSignalFeatures', () => {
  it('uses the feature names and order of the model card', () => {
    expect([...SIGNAL_FEATURES]).toEqual(fixture.featureNames);
  });

  it('assigns news to the first bar at or after publication, like Python', () => {
    const cols = columns(fixture.bars);
    expect(news.map((n) => newsBarIndex(cols.timeMs, n.publishedAtMs))).toEqual(fixture.newsBar);
  });

  it('reproduces the Python features of real MSFT bars to 1e-12', () => {
    const out = computeSignalFeatures(columns(fixture.bars), news);
    fixture.features.forEach((row, t) => {
      if (row === null) {
        expect(t).toBeLessThan(FEATURE_WARMUP);
        expect(Number.isNaN(out[t * FEATURE_COUNT])).toBe(true);
        return;
      }
      row.forEach((expected, k) => {
        const got = out[t * FEATURE_COUNT + k];
        expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
      });
    });
    // the fixture exercises the sentiment columns, not only zeros
    expect(fixture.features.filter((r) => r && r[11] !== 0).length).toBeGreaterThan(3);
  });

  it('never looks ahead: perturbing bars and news after t leaves rows <= t unchanged', () => {
    const cols = columns(fixture.bars);
    const base = computeSignalFeatures(cols, news);
    for (const cut of [FEATURE_WARMUP, 75, 90, fixture.bars.length - 2]) {
      const perturbed: BarColumns = {
        timeMs: cols.timeMs,
        high: cols.high.map((v, i) => (i > cut ? v * 3.7 : v)),
        low: cols.low.map((v, i) => (i > cut ? v * 0.2 : v)),
        close: cols.close.map((v, i) => (i > cut ? v * (1 + 0.5 * Math.sin(i)) : v)),
        volume: cols.volume.map((v, i) => (i > cut ? v * 100 + 1 : v)),
      };
      const future = [
        ...news.map((n) => (n.publishedAtMs > cols.timeMs[cut] ? { ...n, score: -n.score } : n)),
        { publishedAtMs: cols.timeMs[cut] + 1, score: 1 },
        { publishedAtMs: cols.timeMs[cut + 1], score: -1 },
      ];
      const after = computeSignalFeatures(perturbed, future);
      for (let i = 0; i < (cut + 1) * FEATURE_COUNT; i++) {
        if (Number.isNaN(base[i])) expect(Number.isNaN(after[i])).toBe(true);
        else expect(after[i]).toBe(base[i]);
      }
      // and the perturbation did reach the future rows
      const changed = after.slice((cut + 1) * FEATURE_COUNT).some((v, i) => v !== base[(cut + 1) * FEATURE_COUNT + i]);
      expect(changed).toBe(true);
    }
  });
});
