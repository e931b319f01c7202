import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '@suite/platform';
import { BarStore } from '@suite/trading';
import DataLoader from 'dataloader';
import type { BarSummary, InstrumentType } from '../market/market.types';

export interface TradingLoaders {
  instrument: DataLoader<string, InstrumentType | null>;
  barSummary: DataLoader<string, BarSummary>;
}

/** Per-request DataLoaders: one query per field across all parents of a response (no N+1). */
@Injectable()
export class LoaderFactory {
  /** Queries issued by loaders since start (tests assert batching with it). */
  queries = 0;
  private readonly bars: BarStore;

  constructor(@Inject(DATABASE) private readonly db: Database) {
    this.bars = new BarStore(db);
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
    };
  }
}

export interface TradingContext {
  loaders: TradingLoaders;
}
