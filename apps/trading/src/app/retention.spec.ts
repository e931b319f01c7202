import { RetentionService } from '@suite/platform';
import { createTestApp, type TestApp } from '@suite/platform/testing';
import { AppModule } from './app.module';

const DAY = 86_400_000;

describe('trading retention: RETENTION_TRADING_NEWS_DAYS', () => {
  let t: TestApp;

  beforeAll(async () => {
    Object.assign(process.env, { TRADING_DEMO: 'off', RETENTION_TRADING_NEWS_DAYS: '30' });
    t = await createTestApp(AppModule);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    delete process.env.TRADING_DEMO;
    delete process.env.RETENTION_TRADING_NEWS_DAYS;
  });

  it('deletes news published before the period with its per-symbol rows, and keeps recent news', async () => {
    const headers = { 'content-type': 'application/json', ...(await t.bearer('researcher')) };
    const ingest = async (headline: string, daysAgo: number) => {
      const query = 'mutation($input: NewsInput!) { ingestNews(input: $input) { id } }';
      const input = { headline, source: 'wire', publishedAt: new Date(Date.now() - daysAgo * DAY).toISOString(), symbols: ['ACME'] };
      const res = await fetch(`${await t.app.getUrl()}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables: { input } }) });
      const body = (await res.json()) as { data?: { ingestNews: { id: string } }; errors?: unknown };
      expect(body.errors).toBeUndefined();
      return body.data!.ingestNews.id;
    };
    const old = await ingest('Acme misses estimates', 45);
    const recent = await ingest('Acme beats estimates, raises guidance', 2);
    expect(await t.db.prisma.tradingNewsSymbol.count({ where: { newsId: old } })).toBe(1);

    const [sweep] = await t.app.get(RetentionService).sweep();
    expect(sweep).toMatchObject({ policy: 'trading.news', deleted: 1, children: { TradingNewsSymbol: 1 } });
    expect((await t.db.prisma.tradingNews.findMany({ select: { id: true } })).map((n) => n.id)).toEqual([recent]);
    expect(await t.db.prisma.tradingNewsSymbol.count({ where: { newsId: old } })).toBe(0);
    expect(await t.db.prisma.tradingNewsSymbol.count({ where: { newsId: recent } })).toBe(1);
  });
});
