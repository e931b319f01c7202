import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '@suite/platform';
import { Bar, BarStore, NewsStore, type StoredNews } from '@suite/trading';
import DataLoader from 'dataloader';
import type { BarSummary, InstrumentType } from '../market/market.types';

export interface TradingLoaders {
  instrument: DataLoader<string, InstrumentType | null>;
  barSummary: DataLoader<string, BarSummary>;
  /** every raw bar of a symbol (adjustment needs the whole series) */
  bars: DataLoader<string, Bar[]>;
  /** a page of a symbol's news; key = symbol + page arguments, batched per distinct arguments */
  newsPage: DataLoader<NewsPageKey, StoredNews[], string>;
}

export interface NewsPageKey {
  symbol: string;
  first: number;
  after?: { publishedAtMs: number; id: string };
}

/** Per-request DataLoaders: one query per field across all parents of a response (no N+1). */
@Injectable()
export class LoaderFactory {
  /** Queries issued by loaders since start (tests assert batching with it). */
  queries = 0;
  private readonly bars: BarStore;
  private readonly news: NewsStore;

  constructor(@Inject(DATABASE) private readonly db: Database) {
    this.bars = new BarStore(db);
    this.news = new NewsStore(db);
  }

  create(): TradingLoaders {
    return {
      instrument: new DataLoader(async (symbols) => {
        this.queries++;
        const rows = await this.db.prisma.tradingInstrument.findMany({ where: { symbol: { in: [...symbols] } } });
        const by = new Map(rows.map((r) => [r.symbol, { symbol: r.symbol, name: r.name, currency: r.currency }]));
        return symbols.map((s) => by.get(s) ?? null);
      }),
      barSummary: new DataLoader(async (symbols) => {
        this.queries++;
        const by = await this.bars.summaries(symbols);
        return symbols.map((s) => {
          const x = by.get(s);
          return x ? { count: x.count, first: new Date(x.firstMs), last: new Date(x.lastMs) } : { count: 0, first: null, last: null };
        });
      }),
      bars: new DataLoader(async (symbols) => {
        this.queries++;
        const by = await this.bars.barsFor(symbols);
        return symbols.map((s) => by.get(s) ?? []);
      }),
      newsPage: new DataLoader(
        async (keys) => {
          // one query per distinct (first, after); in practice one for the whole response
          const groups = new Map<string, NewsPageKey[]>();
          for (const k of keys) {
            const g = JSON.stringify([k.first, k.after ?? null]);
            groups.set(g, [...(groups.get(g) ?? []), k]);
          }
          const results = new Map<string, StoredNews[]>();
          for (const [g, ks] of groups) {
            this.queries++;
            const pages = await this.news.pagesFor([...new Set(ks.map((k) => k.symbol))], ks[0].first, ks[0].after);
            for (const k of ks) results.set(`${k.symbol}|${g}`, pages.get(k.symbol) ?? []);
          }
          return keys.map((k) => results.get(`${k.symbol}|${JSON.stringify([k.first, k.after ?? null])}`) ?? []);
        },
        { cacheKeyFn: (k) => `${k.symbol}|${JSON.stringify([k.first, k.after ?? null])}` },
      ),
    };
  }
}

export interface TradingContext {
  loaders: TradingLoaders;
}
