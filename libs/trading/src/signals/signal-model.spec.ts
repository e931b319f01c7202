import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelRegistry } from '@suite/inference';
import { Bar } from '../bars/bar';
import { FEATURE_WARMUP } from '../features/signal-features';
import { generateSignals } from './signal-generator';
import { SignalModel } from './signal-model';

const root = join(__dirname, '../../../..');
const fixture = JSON.parse(readFileSync(join(root, 'models/signal/feature-fixture.json'), 'utf8'));
const bars: Bar[] = fixture.bars.map((b: { time: string } & Omit<Bar, 'symbol' | 'timeMs'>) => ({ ...b, symbol: 'MSFT', timeMs: Date.parse(b.time) }));
const news = fixture.news.map((n: { publishedAt: string; score: number }) => ({ publishedAtMs: Date.parse(n.publishedAt), score: n.score }));

describe('SignalModel and generateSignals on the committed signal model', () => {
  const registry = new ModelRegistry({ modelsDir: join(root, 'models'), device: 'cpu' });
  let model: SignalModel;
  beforeAll(async () => (model = new SignalModel((await registry.get('signal')) as never)));
  afterAll(() => registry.close());

  it('gives P(up), expected return and contributions that add up', async () => {
    const all = { fromMs: 0, toMs: Infinity, horizon: 5 };
    const signals = await generateSignals(model, 'MSFT', bars, news, all);
    expect(signals).toHaveLength(bars.length - FEATURE_WARMUP);
    for (const s of signals) {
      expect(s.pUp).toBeGreaterThan(0);
      expect(s.pUp).toBeLessThan(1);
      expect(s.contributions.price.expectedReturn + s.contributions.sentiment.expectedReturn).toBeCloseTo(s.expectedReturn, 7);
      expect(s.contributions.price.pUp + s.contributions.sentiment.pUp).toBeCloseTo(s.pUp, 7);
    }
    // no news in the window -> nothing from sentiment; news in the window -> something
    const quiet = await generateSignals(model, 'MSFT', bars, [], all);
    expect(quiet.every((s) => s.contributions.sentiment.expectedReturn === 0 && s.contributions.sentiment.pUp === 0)).toBe(true);
    const newsy = signals.filter((s) => s.features.sent_decay !== 0);
    expect(newsy.some((s) => Math.abs(s.contributions.sentiment.expectedReturn) > 1e-5)).toBe(true);
  });

  it('does not let later bars or news change an earlier signal', async () => {
    const cut = bars[80].timeMs;
    const before = await generateSignals(model, 'MSFT', bars, news, { fromMs: 0, toMs: cut, horizon: 1 });
    const future = bars.map((b, i) => (i > 80 ? { ...b, close: b.close * 2, high: b.high * 2, low: b.low * 0.5 } : b));
    const futureNews = [...news, { publishedAtMs: cut + 1, score: -1 }];
    const after = await generateSignals(model, 'MSFT', future, futureNews, { fromMs: 0, toMs: Infinity, horizon: 1 });
    expect(after.slice(0, before.length)).toEqual(before);
  });

  it('refuses an unknown horizon naming the supported ones', async () => {
    await expect(generateSignals(model, 'MSFT', bars, news, { fromMs: 0, toMs: Infinity, horizon: 7 })).rejects.toThrow('horizon must be one of 1, 5, 20');
  });
});
