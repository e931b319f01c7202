/**
 * `npm run bench -- trading`, one JSON line, each number beside its baseline from the same run:
 *  (a) backtest throughput in symbol-days/s for 500 symbols x 10 years of daily bars: the vectorised
 *      typed-array simulation vs a naive per-bar object loop written here with the same rules (same
 *      work: the equity curve; their final equities must agree, or the bench fails), plus the full
 *      runBacktest with every metric (pooled IC and rank IC over 1.26M pairs included);
 *  (b) sentiment scoring in texts/s through the GraphQL API (HTTP, auth, validation, tokenizer,
 *      dynamic batching) vs the raw ONNX model on pre-tokenized batches of 256.
 */
import { JobQueue } from '@suite/platform';
import { createTestApp } from '@suite/platform/testing';
import { ModelRegistry } from '@suite/inference';
import { HeadlineTokenizer, runBacktest, simulateBacktest, type BacktestConfig, type PricePanel } from '@suite/trading';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SYMBOLS = 500;
const DAYS = 2520;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function syntheticPanel(): { panel: PricePanel; scores: Float64Array } {
  const rnd = mulberry32(42);
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const close = new Float64Array(DAYS * SYMBOLS);
  const scores = new Float64Array(DAYS * SYMBOLS);
  for (let s = 0; s < SYMBOLS; s++) {
    let c = 50 + 100 * rnd();
    for (let t = 0; t < DAYS; t++) {
      const r = 0.0003 + 0.015 * gauss();
      c *= 1 + r;
      close[t * SYMBOLS + s] = c;
      scores[t * SYMBOLS + s] = 0.002 * gauss();
    }
  }
  const times = Float64Array.from({ length: DAYS }, (_, t) => Date.UTC(2010, 0, 4) + t * 86_400_000);
  return { panel: { times, symbols: Array.from({ length: SYMBOLS }, (_, s) => `S${s}`), close }, scores };
}

interface NaiveBar {
  symbol: string;
  close: number;
  score: number;
}

/** The per-bar loop a first version would be: objects per bar, maps of positions, sort per day. */
function naiveBacktest(panel: PricePanel, scores: Float64Array, cfg: Required<Pick<BacktestConfig, 'topK' | 'rebalanceEvery' | 'costBps' | 'slippageBps'>>): number[] {
  const S = panel.symbols.length;
  const days: NaiveBar[][] = [];
  for (let t = 0; t < panel.times.length; t++) {
    const row: NaiveBar[] = [];
    for (let s = 0; s < S; s++) row.push({ symbol: panel.symbols[s], close: panel.close[t * S + s], score: scores[t * S + s] });
    days.push(row);
  }
  const weights = new Map<string, number>();
  const equity = [1];
  const costRate = (cfg.costBps + cfg.slippageBps) / 10_000;
  for (let t = 0; t < days.length - 1; t++) {
    let cost = 0;
    if (t % cfg.rebalanceEvery === 0) {
      const ranked = [...days[t]].sort((a, b) => b.score - a.score || panel.symbols.indexOf(a.symbol) - panel.symbols.indexOf(b.symbol));
      const target = new Map<string, number>();
      for (const bar of ranked.slice(0, cfg.topK)) target.set(bar.symbol, 1 / cfg.topK);
      let traded = 0;
      for (const bar of days[t]) traded += Math.abs((target.get(bar.symbol) ?? 0) - (weights.get(bar.symbol) ?? 0));
      cost = traded * costRate;
      weights.clear();
      for (const [k, v] of target) weights.set(k, v);
    }
    const today = new Map(days[t].map((b) => [b.symbol, b]));
    const tomorrow = new Map(days[t + 1].map((b) => [b.symbol, b]));
    let gross = 0;
    for (const [symbol, w] of weights) gross += w * (tomorrow.get(symbol)!.close / today.get(symbol)!.close - 1);
    const port = gross - cost;
    equity.push(equity[t] * (1 + port));
    for (const [symbol, w] of weights) weights.set(symbol, (w * (tomorrow.get(symbol)!.close / today.get(symbol)!.close)) / (1 + port));
  }
  return equity;
}

function rate(fn: () => void, units: number, seconds = SECONDS): number {
  fn(); // warm-up
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000 || n < 2) {
    fn();
    n++;
  }
  return (n * units) / ((performance.now() - start) / 1000);
}

async function benchBacktest() {
  const { panel, scores } = syntheticPanel();
  const cfg = { topK: 50, rebalanceEvery: 5, costBps: 5, slippageBps: 2 };
  const fast = runBacktest(panel, scores, { strategy: 'TOP_K', ...cfg });
  const slow = naiveBacktest(panel, scores, cfg);
  const a = fast.equity[fast.equity.length - 1];
  const b = slow[slow.length - 1];
  if (Math.abs(a / b - 1) > 1e-9) throw new Error(`vectorised and naive backtests disagree: ${a} vs ${b}`);
  const units = SYMBOLS * DAYS;
  const vectorised = rate(() => void simulateBacktest(panel, scores, { strategy: 'TOP_K', ...cfg }), units);
  const naive = rate(() => void naiveBacktest(panel, scores, cfg), units);
  const full = rate(() => void runBacktest(panel, scores, { strategy: 'TOP_K', ...cfg }), units);
  return {
    symbols: SYMBOLS, days: DAYS, strategy: 'TOP_K k=50, rebalance 5, costs',
    symbolDaysPerSec: Math.round(vectorised), naiveSymbolDaysPerSec: Math.round(naive), ratio: +(vectorised / naive).toFixed(2),
    withAllMetricsSymbolDaysPerSec: Math.round(full), finalEquity: +a.toFixed(6),
  };
}

async function benchSentiment() {
  const root = join(__dirname, '../../..');
  const texts = readFileSync(join(root, 'models/news-sentiment/heldout-handwritten.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[1]);
  const batch = Array.from({ length: 256 }, (_, i) => texts[i % texts.length]);

  // raw: the ONNX model on pre-tokenized batches, no server, no queue
  const registry = new ModelRegistry({ modelsDir: join(root, 'models'), device: 'cpu' });
  const model = await registry.get('news-sentiment');
  const tokenizer = new HeadlineTokenizer(model.card.preprocessing as never);
  const ids = tokenizer.encodeBatch(batch);
  const feeds = { input_ids: { dtype: 'int64' as const, dims: [batch.length, tokenizer.params.maxLen], data: ids } };
  for (let i = 0; i < 5; i++) await model.runRaw(feeds);
  let rawTexts = 0;
  let start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    await model.runRaw(feeds);
    rawTexts += batch.length;
  }
  const raw = rawTexts / ((performance.now() - start) / 1000);
  await registry.close();

  // through GraphQL: 4 concurrent clients, 256 texts per request
  process.env.TRADING_DEMO = 'off';
  const { AppModule } = await import('../src/app/app.module');
  const t = await createTestApp(AppModule);
  const url = `${await t.app.getUrl()}/graphql`;
  const headers = { 'content-type': 'application/json', ...(await t.bearer('researcher')) };
  const body = JSON.stringify({ query: 'query($t: [String!]!) { sentiment(texts: $t) { label score } }', variables: { t: batch } });
  const call = async () => {
    const r = (await (await fetch(url, { method: 'POST', headers, body })).json()) as { data?: { sentiment: unknown[] }; errors?: unknown };
    if (!r.data || r.data.sentiment.length !== batch.length) throw new Error(`sentiment failed: ${JSON.stringify(r.errors)}`);
  };
  for (let i = 0; i < 5; i++) await call();
  let gqlTexts = 0;
  start = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() - start < SECONDS * 1000) {
        await call();
        gqlTexts += batch.length;
      }
    }),
  );
  const graphql = gqlTexts / ((performance.now() - start) / 1000);
  await t.app.get(JobQueue).whenIdle();
  await t.close();
  return { textsPerRequest: batch.length, clients: 4, graphqlTextsPerSec: Math.round(graphql), rawModelTextsPerSec: Math.round(raw), ratio: +(graphql / raw).toFixed(3) };
}

export async function main(): Promise<void> {
  const backtest = await benchBacktest();
  const sentiment = await benchSentiment();
  console.log(JSON.stringify({ bench: 'trading', backtest, sentiment }));
}
