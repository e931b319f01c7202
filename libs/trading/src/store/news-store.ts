import { createHash } from 'node:crypto';
import type { Database } from '@suite/platform';
import type { ScoredNews } from '../features/signal-features';
import type { Sentiment } from '../sentiment/sentiment-scorer';

export interface NewsInput {
  headline: string;
  body?: string | null;
  source: string;
  publishedAtMs: number;
  symbols: string[];
}

export interface StoredNews extends NewsInput {
  id: string;
  sentiment: Sentiment;
  model: string;
}

/** Same source, time and headline = the same news item, whoever sends it again. */
export function newsDedupeKey(n: NewsInput): string {
  return createHash('sha256').update(`${n.source}\u0000${new Date(n.publishedAtMs).toISOString()}\u0000${n.headline.trim()}`).digest('hex');
}

export class NewsStore {
  constructor(private readonly db: Database) {}

  /** The stored item with this key, if any (checked before scoring, so retries cost no inference). */
  async findByKey(key: string): Promise<StoredNews | null> {
    const r = await this.db.prisma.tradingNews.findUnique({ where: { dedupeKey: key } });
    return r ? toStored(r) : null;
  }

  /** Inserts a scored item; a concurrent duplicate returns the first one. */
  async insert(n: NewsInput, s: Sentiment, model: string): Promise<{ news: StoredNews; created: boolean }> {
    const key = newsDedupeKey(n);
    const symbols = [...new Set(n.symbols)];
    try {
      const row = await this.db.prisma.$transaction(async (tx) => {
        const created = await tx.tradingNews.create({
          data: {
            dedupeKey: key, headline: n.headline, body: n.body ?? null, source: n.source, publishedAt: new Date(n.publishedAtMs), symbols,
            label: s.label, score: s.score, pNegative: s.probabilities.negative, pNeutral: s.probabilities.neutral, pPositive: s.probabilities.positive, model,
          },
        });
        if (symbols.length) {
          await tx.tradingNewsSymbol.createMany({ data: symbols.map((symbol) => ({ newsId: created.id, symbol, publishedAt: created.publishedAt, score: s.score })) });
        }
        return created;
      });
      return { news: toStored(row), created: true };
    } catch (err) {
      const existing = await this.findByKey(key);
      if (existing) return { news: existing, created: false };
      throw err;
    }
  }

  /** Scored news per symbol, published at or before toMs, in publication order. */
  async scoredFor(symbols: readonly string[], toMs?: number): Promise<Map<string, ScoredNews[]>> {
    const rows = await this.db.prisma.tradingNewsSymbol.findMany({
      where: { symbol: { in: [...symbols] }, publishedAt: toMs !== undefined ? { lte: new Date(toMs) } : undefined },
      orderBy: [{ publishedAt: 'asc' }, { newsId: 'asc' }],
    });
    const out = new Map<string, ScoredNews[]>(symbols.map((s) => [s, []]));
    for (const r of rows) out.get(r.symbol)?.push({ publishedAtMs: r.publishedAt.getTime(), score: r.score });
    return out;
  }

  /**
   * The first `first` news items of each symbol, newest first, after an optional (publishedAt, id)
   * cursor: one query for any number of symbols (for DataLoader).
   */
  async pagesFor(symbols: readonly string[], first: number, after?: { publishedAtMs: number; id: string }): Promise<Map<string, StoredNews[]>> {
    const rows = await this.db.sql.query<NewsRow & { forSymbol: string }>(
      `SELECT * FROM (
         SELECT s."symbol" AS "forSymbol", n.*,
                row_number() OVER (PARTITION BY s."symbol" ORDER BY n."publishedAt" DESC, n."id" DESC) AS rn
         FROM "TradingNewsSymbol" s JOIN "TradingNews" n ON n."id" = s."newsId"
         WHERE s."symbol" = ANY($1::text[])
           AND ($2::timestamptz IS NULL OR (n."publishedAt", n."id") < ($2::timestamptz, $3::text))
       ) x WHERE rn <= $4 ORDER BY "forSymbol", rn`,
      [symbols, after ? new Date(after.publishedAtMs).toISOString() : null, after?.id ?? '', first],
    );
    const out = new Map<string, StoredNews[]>(symbols.map((s) => [s, []]));
    for (const r of rows) out.get(r.forSymbol)?.push(toStored({ ...r, publishedAt: new Date(r.publishedAt) }));
    return out;
  }

  /** A page of news, newest first, optionally for one symbol; cursor = (publishedAt, id). */
  async page(opts: { symbol?: string; first: number; after?: { publishedAtMs: number; id: string } }): Promise<StoredNews[]> {
    const rows = await this.db.prisma.tradingNews.findMany({
      where: {
        ...(opts.symbol ? { symbols: { has: opts.symbol } } : {}),
        ...(opts.after
          ? { OR: [{ publishedAt: { lt: new Date(opts.after.publishedAtMs) } }, { publishedAt: new Date(opts.after.publishedAtMs), id: { lt: opts.after.id } }] }
          : {}),
      },
      orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
      take: opts.first,
    });
    return rows.map(toStored);
  }
}

interface NewsRow {
  id: string; headline: string; body: string | null; source: string; publishedAt: Date; symbols: string[]; label: string; score: number;
  pNegative: number; pNeutral: number; pPositive: number; model: string;
}

function toStored(r: NewsRow): StoredNews {
  return {
    id: r.id, headline: r.headline, body: r.body, source: r.source, publishedAtMs: r.publishedAt.getTime(), symbols: r.symbols, model: r.model,
    sentiment: { label: r.label as Sentiment['label'], score: r.score, probabilities: { negative: r.pNegative, neutral: r.pNeutral, positive: r.pPositive } },
  };
}
