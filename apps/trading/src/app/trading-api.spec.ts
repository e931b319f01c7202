import { JobQueue } from '@suite/platform';
import { createTestApp, type TestApp } from '@suite/platform/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DemoSeedService } from '../demo/demo-seed.service';
import { LoaderFactory } from '../graphql/loaders';
import { AppModule } from './app.module';

const root = join(__dirname, '../../../..');

describe('trading GraphQL API', () => {
  let t: TestApp;
  let url: string;
  let auth: { Authorization: string };

  async function gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = auth) {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    return { status: res.status, ...body };
  }

  beforeAll(async () => {
    t = await createTestApp(AppModule);
    url = await t.app.getUrl();
    auth = await t.bearer('researcher');
  }, 120_000);
  afterAll(() => t?.close());

  it('refuses a request without an API key or token', async () => {
    const r = await gql('{ instruments { edges { node { symbol } } } }', {}, {});
    expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(r.data ?? null).toBeNull();
  });

  it('serves the committed SDL (the code and schema.graphql agree)', async () => {
    const r = await gql<IntrospectionQuery>(getIntrospectionQuery({ descriptions: true }));
    const live = printSchema(lexicographicSortSchema(buildClientSchema(r.data!))) + '\n';
    expect(live).toBe(readFileSync(join(__dirname, '../../schema.graphql'), 'utf8'));
  });

  it('shows no Apollo landing page that would load from the internet', async () => {
    const res = await fetch(`${url}/graphql`, { headers: { accept: 'text/html', ...auth } });
    const text = await res.text();
    expect(text).not.toMatch(/apollographql\.com|embeddable-sandbox|cdn\./);
  });

  it('scores texts in order with label, score and probabilities', async () => {
    const r = await gql<{ sentiment: { label: string; score: number; probabilities: { positive: number; negative: number } }[] }>(
      'query($t: [String!]!) { sentiment(texts: $t) { label score probabilities { negative neutral positive } } }',
      { t: ['Acme Corp beats estimates, raises guidance', 'Globex cuts guidance as probe widens', 'Initech to hold annual meeting on Tuesday'] },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.sentiment.map((s) => s.label)).toEqual(['POSITIVE', 'NEGATIVE', 'NEUTRAL']);
    for (const s of r.data!.sentiment) expect(s.score).toBeCloseTo(s.probabilities.positive - s.probabilities.negative, 5);
  });

  const ingest = `mutation($bars: [BarInput!]!) { ingestBars(bars: $bars) { received inserted updated unchanged rejected symbols errors { index message } } }`;

  it('ingests bars idempotently, sorts out-of-order bars and names bad fields', async () => {
    const csv = readFileSync(join(root, 'data/trading/msft.csv'), 'utf8').trim().split('\n').slice(1, 121);
    const bars = csv.map((l) => {
      const [symbol, time, open, high, low, close, volume] = l.split(',');
      return { symbol, time: `${time}T00:00:00Z`, open: +open, high: +high, low: +low, close: +close, volume: +volume };
    });
    const shuffled = [...bars].reverse();
    const first = await gql<{ ingestBars: Record<string, unknown> }>(ingest, { bars: shuffled });
    expect(first.data!.ingestBars).toMatchObject({ received: 120, inserted: 120, updated: 0, unchanged: 0, rejected: 0, symbols: ['MSFT'] });
    const again = await gql<{ ingestBars: Record<string, unknown> }>(ingest, { bars });
    expect(again.data!.ingestBars).toMatchObject({ inserted: 0, updated: 0, unchanged: 120 });
    const bad = await gql<{ ingestBars: { rejected: number; errors: { index: number; message: string }[] } }>(ingest, {
      bars: [{ ...bars[0], high: 1 }, { ...bars[1], symbol: 'no spaces allowed' }],
    });
    expect(bad.data!.ingestBars.rejected).toBe(2);
    expect(bad.data!.ingestBars.errors[0]).toMatchObject({ index: 0, message: expect.stringContaining('bars[0].high') });
    expect(bad.data!.ingestBars.errors[1].message).toContain('bars[1].symbol');
    const page = await gql<{ instrument: { barSummary: { count: number }; bars: { edges: { node: { time: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } }>(
      '{ instrument(symbol: "MSFT") { barSummary { count } bars(first: 2) { edges { node { time close } } pageInfo { hasNextPage endCursor } } } }',
    );
    expect(page.data!.instrument.barSummary.count).toBe(120);
    expect(page.data!.instrument.bars.edges.map((e) => e.node.time)).toEqual(['2000-09-27T00:00:00.000Z', '2000-09-28T00:00:00.000Z']);
    const next = await gql<{ instrument: { bars: { edges: { node: { time: string } }[] } } }>(
      'query($a: String) { instrument(symbol: "MSFT") { bars(first: 1, after: $a) { edges { node { time } } } } }',
      { a: page.data!.instrument.bars.pageInfo.endCursor },
    );
    expect(next.data!.instrument.bars.edges[0].node.time).toBe('2000-09-29T00:00:00.000Z');
  });

  it('reports a malformed CSV row with its line number and commits the rest', async () => {
    const csv = 'date,open,high,low,close,volume\n2024-01-02,10,11,9,10.5,100\n2024-01-03,10,11,9,oops,100\n2024-01-04,10,11,9,10.2,100\n';
    const r = await gql<{ importBars: { received: number; inserted: number; rejected: number; errors: { line: number; message: string }[] } }>(
      'mutation($csv: String!) { importBars(csv: $csv, symbol: "CSVX") { received inserted rejected errors { line message } } }',
      { csv },
    );
    expect(r.data!.importBars).toMatchObject({ received: 3, inserted: 2, rejected: 1 });
    expect(r.data!.importBars.errors[0].line).toBe(3);
    expect(r.data!.importBars.errors[0].message).toMatch(/line 3: close must be a finite number/);
    // the same file streamed over HTTP is idempotent
    const res = await fetch(`${url}/api/trading/bars/import?symbol=CSVX`, { method: 'POST', headers: { ...auth, 'content-type': 'application/octet-stream' }, body: csv });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ received: 3, inserted: 0, unchanged: 2, rejected: 1 });
  });

  it('imports an uploaded CSV file (GraphQL multipart request) streamed in batches', async () => {
    const day = 86_400_000;
    const lines = ['symbol,time,open,high,low,close,volume'];
    for (let i = 0; i < 12_000; i++) {
      const c = (100 + Math.sin(i / 10) * 5).toFixed(4);
      lines.push(`UPLD,${new Date(Date.UTC(1990, 0, 1) + i * day).toISOString()},${c},${(+c + 1).toFixed(4)},${(+c - 1).toFixed(4)},${c},${1000 + i}`);
    }
    lines[7001] = 'UPLD,1999-99-99,1,1,1,1,1'; // line 7002 of the file
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: 'mutation($f: Upload!) { importBars(file: $f) { received inserted rejected errors { line message } } }', variables: { f: null } }));
    form.append('map', JSON.stringify({ 0: ['variables.f'] }));
    form.append('0', new Blob([lines.join('\n')], { type: 'text/csv' }), 'upld.csv');
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { ...auth, 'apollo-require-preflight': 'true' }, body: form });
    const r = (await res.json()) as { data?: { importBars: { received: number; inserted: number; rejected: number; errors: { line: number }[] } }; errors?: unknown };
    expect(r.errors).toBeUndefined();
    expect(r.data!.importBars).toMatchObject({ received: 12_000, inserted: 11_999, rejected: 1 });
    expect(r.data!.importBars.errors[0].line).toBe(7002);
    // an Upload cannot be smuggled in as JSON
    const fake = await gql('mutation($f: Upload!) { importBars(file: $f) { inserted } }', { f: { filename: 'x.csv' } });
    expect(fake.errors?.[0].message).toMatch(/Upload values must be files/);
  });

  it('refuses a deep query and a too complex one before running them', async () => {
    const deep = await gql('{ news { edges { node { instruments { news { edges { node { instruments { news { edges { node { id } } } } } } } } } } } }');
    expect(deep.errors?.[0].extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(deep.errors?.[0].message).toMatch(/depth 1\d exceeds the limit of 10/);
    const complex = await gql('{ instruments(first: 1000) { edges { node { bars(first: 1000) { edges { node { open high low close volume } } } } } } }');
    expect(complex.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(complex.errors?.[0].message).toMatch(/exceeds the limit of 50000/);
  });

  it('validates arguments with messages naming the field', async () => {
    const r = await gql('{ instruments(first: 0) { edges { cursor } } }');
    expect(r.errors?.[0].message).toMatch(/first must be an integer between 1 and 1000/);
    expect(r.errors?.[0].extensions?.code).toBe('VALIDATION');
    const b = await gql('mutation { runBacktest(input: { strategy: TOP_K, symbols: ["MSFT"], costBps: -5 }) { id } }');
    expect(b.errors?.[0].message).toMatch(/^input.costBps: must be a number in \[0, 10000\]/);
    const sig = await gql('{ signals(symbol: "NOPE") { edges { cursor } } }');
    expect(sig.errors?.[0].message).toBe('symbol: unknown symbol "NOPE"');
    const h = await gql('{ signals(symbol: "MSFT", horizon: 7) { edges { cursor } } }');
    expect(h.errors?.[0].message).toBe('horizon: must be one of 1, 5, 20 bars, got 7');
    const u = await gql('mutation { runBacktest(input: { strategy: TOP_K, symbols: ["NOPE"] }) { id } }');
    expect(u.errors?.[0].message).toMatch(/input.symbols: unknown symbol\(s\): NOPE/);
  });

  it('stores news once, scored, and batches instrument lookups', async () => {
    const q = `mutation($n: NewsInput!) { ingestNews(input: $n) { id sentiment { label score } model symbols } }`;
    const n = { headline: 'Microsoft beats estimates and lifts outlook', source: 'wire', publishedAt: '2000-12-01T12:00:00Z', symbols: ['MSFT'] };
    const a = await gql<{ ingestNews: { id: string; sentiment: { label: string }; model: string } }>(q, { n });
    const b = await gql<{ ingestNews: { id: string } }>(q, { n });
    expect(a.data!.ingestNews.id).toBe(b.data!.ingestNews.id);
    expect(a.data!.ingestNews.sentiment.label).toBe('POSITIVE');
    expect(a.data!.ingestNews.model).toMatch(/^news-sentiment@/);
    await gql(q, { n: { ...n, headline: 'Microsoft faces antitrust probe', publishedAt: '2000-12-05T12:00:00Z', symbols: ['MSFT', 'CSVX'] } });
    const loaders = t.app.get(LoaderFactory);
    const before = loaders.queries;
    const r = await gql<{ news: { edges: { node: { instruments: { symbol: string }[] } }[] } }>('{ news(first: 10) { edges { node { headline instruments { symbol } } } } }');
    expect(r.data!.news.edges).toHaveLength(2);
    expect(loaders.queries - before).toBe(1); // one batched instrument query for all news items

    // a list of instruments with bars, news and summaries: one query per field, not per instrument
    const mid = loaders.queries;
    const many = await gql<{ instruments: { edges: { node: { symbol: string; bars: { edges: unknown[] }; news: { edges: { node: { headline: string } }[] } } }[] } }>(
      '{ instruments(first: 10) { edges { node { symbol barSummary { count } bars(first: 3) { edges { node { close } } } news(first: 1) { edges { node { headline } } } } } } }',
    );
    expect(many.errors).toBeUndefined();
    expect(many.data!.instruments.edges.length).toBeGreaterThanOrEqual(2);
    expect(loaders.queries - mid).toBe(3);
    const msft = many.data!.instruments.edges.find((e) => e.node.symbol === 'MSFT')!;
    expect(msft.node.bars.edges).toHaveLength(3);
    expect(msft.node.news.edges.map((e) => e.node.headline)).toEqual(['Microsoft faces antitrust probe']);
  });

  it('returns signals with contributions, then runs backtests to DONE', async () => {
    const s = await gql<{ signals: { edges: { node: { time: string; pUp: number; expectedReturn: number; contributions: { price: { expectedReturn: number }; sentiment: { expectedReturn: number } } } }[] } }>(
      '{ signals(symbol: "MSFT", horizon: 5, from: "2000-12-20T00:00:00Z", first: 5) { edges { node { time pUp expectedReturn contributions { price { expectedReturn } sentiment { expectedReturn } } instrument { symbol } } } } }',
    );
    expect(s.errors).toBeUndefined();
    expect(s.data!.signals.edges.length).toBe(5);
    for (const { node } of s.data!.signals.edges) {
      expect(node.contributions.price.expectedReturn + node.contributions.sentiment.expectedReturn).toBeCloseTo(node.expectedReturn, 6);
    }
    // the two news items are inside the decay window: sentiment contributes
    expect(s.data!.signals.edges.some((e) => Math.abs(e.node.contributions.sentiment.expectedReturn) > 0)).toBe(true);

    const start = await gql<{ runBacktest: { id: string; status: string } }>(
      'mutation { runBacktest(input: { strategy: THRESHOLD, symbols: ["MSFT"], horizon: 1, costBps: 5, slippageBps: 2 }) { id status } }',
    );
    expect(start.errors).toBeUndefined();
    expect(['QUEUED', 'RUNNING']).toContain(start.data!.runBacktest.status);
    const bh = await gql<{ runBacktest: { id: string } }>('mutation { runBacktest(input: { strategy: BUY_AND_HOLD, symbols: ["MSFT"] }) { id } }');
    // MSFT has no bars in 2024: the job fails and says why
    const bad = await gql<{ runBacktest: { id: string } }>('mutation { runBacktest(input: { strategy: BUY_AND_HOLD, symbols: ["MSFT", "CSVX"], from: "2024-01-01T00:00:00Z" }) { id } }');
    await t.app.get(JobQueue).whenIdle();
    const done = await gql<{ backtest: { status: string; chartUrl: string; metrics: Record<string, number>; equityCurve: { equity: number }[] } }>(
      'query($id: ID!) { backtest(id: $id) { status error chartUrl metrics { totalReturn sharpe maxDrawdown turnover ic rankIc informationRatio hitRate } equityCurve { time equity benchmark } } }',
      { id: start.data!.runBacktest.id },
    );
    expect(done.data!.backtest.status).toBe('DONE');
    expect(done.data!.backtest.metrics.turnover).toBeGreaterThan(0);
    expect(done.data!.backtest.metrics.ic).not.toBeNull();
    expect(done.data!.backtest.equityCurve[0].equity).toBe(1);
    const base = await gql<{ backtest: { metrics: { totalReturn: number; ic: number | null } } }>('query($id: ID!) { backtest(id: $id) { metrics { totalReturn ic } } }', { id: bh.data!.runBacktest.id });
    // buy and hold of MSFT from the first to the 120th close: 60.625 -> close of 2001-03-19
    const closes = readFileSync(join(root, 'data/trading/msft.csv'), 'utf8').trim().split('\n').slice(1, 121).map((l) => +l.split(',')[5]);
    expect(base.data!.backtest.metrics.totalReturn).toBeCloseTo(closes[119] / closes[0] - 1, 10);
    expect(base.data!.backtest.metrics.ic).toBeNull();
    const failed = await gql<{ backtest: { status: string; error: string; metrics: null } }>('query($id: ID!) { backtest(id: $id) { status error metrics { sharpe } } }', { id: bad.data!.runBacktest.id });
    expect(failed.data!.backtest).toEqual({ status: 'FAILED', error: 'symbol MSFT has no bars in the range', metrics: null });
    const svg = await fetch(`${url}${done.data!.backtest.chartUrl}`, { headers: auth });
    expect(svg.headers.get('content-type')).toMatch(/image\/svg\+xml/);
    expect(await svg.text()).toMatch(/^<svg/);
  });

  it('seeds demo files into the database (what npm start does on an empty one)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trading-demo-'));
    writeFileSync(join(dir, 'synthetic-bars.csv'), 'symbol,time,open,high,low,close,volume\nDEMO1,2024-01-02T21:00:00Z,10,11,9,10.5,100\nDEMO1,2024-01-03T21:00:00Z,10.5,11,10,10.8,120\n');
    writeFileSync(join(dir, 'synthetic-news.jsonl'), JSON.stringify({ symbols: ['DEMO1'], publishedAt: '2024-01-03T09:00:00Z', headline: 'Demo Corp beats estimates', source: 'synthetic' }) + '\n');
    await t.app.get(DemoSeedService).seed(dir);
    const r = await gql<{ instrument: { barSummary: { count: number }; news: { edges: { node: { sentiment: { label: string } } }[] } } }>(
      '{ instrument(symbol: "DEMO1") { barSummary { count } news { edges { node { sentiment { label } } } } } }',
    );
    expect(r.data!.instrument.barSummary.count).toBe(2);
    expect(r.data!.instrument.news.edges.map((e) => e.node.sentiment.label)).toEqual(['POSITIVE']);
  });
});
