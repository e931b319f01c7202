import type { Database } from '@suite/platform';
import { Bar, sortAndDedupe } from '../bars/bar';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

const CHUNK = 2000;

/**
 * Bars and instruments in the database. Bars are keyed by (symbol, time): sending a bar again is a
 * no-op, sending it with new values replaces it, so retries and overlapping imports are safe.
 */
export class BarStore {
  constructor(private readonly db: Database) {}

  /** Writes bars (any order, duplicates allowed) and creates unknown instruments. */
  async upsert(bars: readonly Bar[], source: string | null = null): Promise<UpsertCounts> {
    const unique = sortAndDedupe(bars);
    const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    if (!unique.length) return counts;
    const symbols = [...new Set(unique.map((b) => b.symbol))];
    await this.db.sql.query(
      `INSERT INTO "TradingInstrument" ("symbol") SELECT unnest($1::text[]) ON CONFLICT ("symbol") DO NOTHING`,
      [symbols],
    );
    for (let i = 0; i < unique.length; i += CHUNK) {
      const part = unique.slice(i, i + CHUNK);
      const rows = await this.db.sql.query<{ inserted: boolean }>(
        `INSERT INTO "TradingBar" ("symbol","time","open","high","low","close","volume","split","dividend","source")
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[], $5::float8[], $6::float8[],
                              $7::float8[], $8::float8[], $9::float8[], $10::text[])
         ON CONFLICT ("symbol","time") DO UPDATE SET
           "open" = EXCLUDED."open", "high" = EXCLUDED."high", "low" = EXCLUDED."low", "close" = EXCLUDED."close",
           "volume" = EXCLUDED."volume", "split" = EXCLUDED."split", "dividend" = EXCLUDED."dividend", "source" = EXCLUDED."source"
         WHERE ("TradingBar"."open","TradingBar"."high","TradingBar"."low","TradingBar"."close","TradingBar"."volume",
                "TradingBar"."split","TradingBar"."dividend")
           IS DISTINCT FROM (EXCLUDED."open",EXCLUDED."high",EXCLUDED."low",EXCLUDED."close",EXCLUDED."volume",
                EXCLUDED."split",EXCLUDED."dividend")
         RETURNING (xmax = 0) AS inserted`,
        [
          part.map((b) => b.symbol),
          part.map((b) => new Date(b.timeMs).toISOString()),
          part.map((b) => b.open),
          part.map((b) => b.high),
          part.map((b) => b.low),
          part.map((b) => b.close),
          part.map((b) => b.volume),
          part.map((b) => b.split ?? null),
          part.map((b) => b.dividend ?? null),
          part.map(() => source),
        ],
      );
      const ins = rows.filter((r) => r.inserted).length;
      counts.inserted += ins;
      counts.updated += rows.length - ins;
      counts.unchanged += part.length - rows.length;
    }
    return counts;
  }

  /** One symbol's raw bars in time order, optionally within [fromMs, toMs]. */
  async bars(symbol: string, range: { fromMs?: number; toMs?: number } = {}): Promise<Bar[]> {
    const rows = await this.db.prisma.tradingBar.findMany({
      where: {
        symbol,
        time: { gte: range.fromMs !== undefined ? new Date(range.fromMs) : undefined, lte: range.toMs !== undefined ? new Date(range.toMs) : undefined },
      },
      orderBy: { time: 'asc' },
    });
    return rows.map((r) => ({
      symbol: r.symbol, timeMs: r.time.getTime(), open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume, split: r.split, dividend: r.dividend,
    }));
  }

  /** Every bar of many symbols in one query, per symbol in time order (for DataLoader). */
  async barsFor(symbols: readonly string[]): Promise<Map<string, Bar[]>> {
    const rows = await this.db.prisma.tradingBar.findMany({ where: { symbol: { in: [...symbols] } }, orderBy: [{ symbol: 'asc' }, { time: 'asc' }] });
    const out = new Map<string, Bar[]>(symbols.map((s) => [s, []]));
    for (const r of rows) {
      out.get(r.symbol)?.push({ symbol: r.symbol, timeMs: r.time.getTime(), open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume, split: r.split, dividend: r.dividend });
    }
    return out;
  }

  /** Count and last bar time per symbol in one query (for DataLoader). */
  async summaries(symbols: readonly string[]): Promise<Map<string, { count: number; firstMs: number; lastMs: number }>> {
    const rows = await this.db.sql.query<{ symbol: string; n: string | number; first: string | Date; last: string | Date }>(
      `SELECT "symbol", count(*) AS n, min("time") AS first, max("time") AS last FROM "TradingBar" WHERE "symbol" = ANY($1::text[]) GROUP BY "symbol"`,
      [symbols],
    );
    return new Map(rows.map((r) => [r.symbol, { count: Number(r.n), firstMs: new Date(r.first).getTime(), lastMs: new Date(r.last).getTime() }]));
  }
}
