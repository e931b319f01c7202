import { createTestDatabase, type TestDatabase } from '@suite/platform/testing';
import { Bar } from '../bars/bar';
import { BarStore } from './bar-store';
import { NewsStore, newsDedupeKey } from './news-store';

const day = 86_400_000;
const bar = (symbol: string, i: number, close: number): Bar => ({
  symbol, timeMs: Date.UTC(2024, 0, 1) + i * day, open: close, high: close + 1, low: close - 1, close, volume: 1000 + i,
});

describe('BarStore', () => {
  let db: TestDatabase;
  let store: BarStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new BarStore(db);
  });
  afterAll(() => db.destroy());

  it('ingests idempotently: the same bars again change nothing', async () => {
    const bars = [bar('AAA', 2, 12), bar('AAA', 0, 10), bar('AAA', 1, 11), bar('BBB', 0, 5)];
    expect(await store.upsert(bars)).toEqual({ inserted: 4, updated: 0, unchanged: 0 });
    expect(await store.upsert(bars)).toEqual({ inserted: 0, updated: 0, unchanged: 4 });
    expect(await store.upsert([...bars].reverse())).toEqual({ inserted: 0, updated: 0, unchanged: 4 });
    expect(await db.prisma.tradingBar.count()).toBe(4);
    expect((await db.prisma.tradingInstrument.findMany({ orderBy: { symbol: 'asc' } })).map((i) => i.symbol)).toEqual(['AAA', 'BBB']);
  });

  it('replaces a corrected bar, keeps the last of in-batch duplicates, and returns bars sorted', async () => {
    const counts = await store.upsert([bar('AAA', 1, 99), bar('AAA', 1, 11.5), bar('AAA', 3, 13)]);
    expect(counts).toEqual({ inserted: 1, updated: 1, unchanged: 0 });
    const got = await store.bars('AAA');
    expect(got.map((b) => b.close)).toEqual([10, 11.5, 12, 13]);
    expect(got.map((b) => b.timeMs)).toEqual([0, 1, 2, 3].map((i) => Date.UTC(2024, 0, 1) + i * day));
  });

  it('summarises many symbols in one query', async () => {
    const s = await store.summaries(['AAA', 'BBB', 'ZZZ']);
    expect(s.get('AAA')?.count).toBe(4);
    expect(s.get('BBB')?.lastMs).toBe(Date.UTC(2024, 0, 1));
    expect(s.has('ZZZ')).toBe(false);
    const all = await store.barsFor(['AAA', 'BBB', 'ZZZ']);
    expect(all.get('AAA')!.map((b) => b.close)).toEqual([10, 11.5, 12, 13]);
    expect(all.get('ZZZ')).toEqual([]);
  });
});

describe('NewsStore', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(() => db.destroy());

  it('stores a news item once, whoever resends it', async () => {
    const store = new NewsStore(db);
    const item = { headline: 'Acme beats estimates', source: 'wire', publishedAtMs: Date.UTC(2024, 0, 2, 14), symbols: ['AAA', 'AAA', 'BBB'] };
    const s = { label: 'POSITIVE' as const, score: 0.8, probabilities: { negative: 0.05, neutral: 0.1, positive: 0.85 } };
    const first = await store.insert(item, s, 'news-sentiment@1');
    const again = await store.insert({ ...item, headline: ' Acme beats estimates ' }, s, 'news-sentiment@1');
    expect(first.created).toBe(true);
    expect(again).toEqual({ news: first.news, created: false });
    expect(first.news.symbols).toEqual(['AAA', 'BBB']);
    expect((await store.findByKey(newsDedupeKey(item)))?.id).toBe(first.news.id);
    const scored = await store.scoredFor(['AAA', 'CCC']);
    expect(scored.get('AAA')).toEqual([{ publishedAtMs: item.publishedAtMs, score: 0.8 }]);
    expect(scored.get('CCC')).toEqual([]);
    expect(await store.scoredFor(['AAA'], item.publishedAtMs - 1)).toEqual(new Map([['AAA', []]]));
    // pages of several symbols in one query, newest first, with a cursor
    const later = await store.insert({ ...item, headline: 'Acme recalls widgets', publishedAtMs: item.publishedAtMs + 3600_000, symbols: ['AAA'] }, { ...s, label: 'NEGATIVE', score: -0.7 }, 'm');
    const pages = await store.pagesFor(['AAA', 'BBB', 'CCC'], 1);
    expect(pages.get('AAA')!.map((n) => n.id)).toEqual([later.news.id]);
    expect(pages.get('BBB')!.map((n) => n.id)).toEqual([first.news.id]);
    expect(pages.get('CCC')).toEqual([]);
    const next = await store.pagesFor(['AAA'], 5, { publishedAtMs: later.news.publishedAtMs, id: later.news.id });
    expect(next.get('AAA')!.map((n) => n.headline)).toEqual(['Acme beats estimates']);
    expect(next.get('AAA')![0].sentiment.score).toBe(0.8);
  });
});
