import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '@suite/platform';
import { NewsStore, newsDedupeKey, StoredNews, SYMBOL_PATTERN } from '@suite/trading';
import { invalid } from '../graphql/field-error';
import { SignalService } from '../signals/signal.service';
import { TradingModels } from '../trading-models';
import type { NewsInput } from './news.types';

export const MAX_TEXTS = 1000;
export const MAX_TEXT_LENGTH = 10_000;

/** The text the model scores: the headline, plus the body's first sentence when there is one. */
export function scoredText(headline: string, body?: string | null): string {
  const first = body?.trim().split(/(?<=[.!?])\s/)[0];
  return first ? `${headline.trim()}. ${first}` : headline.trim();
}

@Injectable()
export class NewsService {
  readonly store: NewsStore;

  constructor(
    @Inject(DATABASE) db: Database,
    private readonly models: TradingModels,
    private readonly signals: SignalService,
  ) {
    this.store = new NewsStore(db);
  }

  /** Scores and stores one item; the same item again returns the stored one without rescoring. */
  async ingest(input: NewsInput, opts: { publish?: boolean } = {}): Promise<StoredNews> {
    const headline = input.headline?.trim() ?? '';
    if (!headline || headline.length > 1000) throw invalid('input.headline', 'must be 1-1000 characters');
    if (!input.source?.trim() || input.source.length > 100) throw invalid('input.source', 'must be 1-100 characters');
    if (!(input.publishedAt instanceof Date) || Number.isNaN(input.publishedAt.getTime())) throw invalid('input.publishedAt', 'must be an ISO 8601 date-time');
    if (!input.symbols?.length) throw invalid('input.symbols', 'needs at least one symbol');
    const bad = input.symbols.find((s) => !SYMBOL_PATTERN.test(s));
    if (bad !== undefined) throw invalid('input.symbols', `${JSON.stringify(bad)} is not a valid symbol`);
    if (input.body && input.body.length > 100_000) throw invalid('input.body', 'must be at most 100000 characters');
    const item = { headline, body: input.body ?? null, source: input.source.trim(), publishedAtMs: input.publishedAt.getTime(), symbols: input.symbols };
    const existing = await this.store.findByKey(newsDedupeKey(item));
    if (existing) return existing;
    const scorer = await this.models.sentiment();
    const [sentiment] = await scorer.score([scoredText(item.headline, item.body)]);
    const { news, created } = await this.store.insert(item, sentiment, scorer.modelVersion);
    // news reaches the signal at the first bar at/after publication; if that bar exists, refresh it
    if (created && opts.publish !== false) void this.signals.publishLatest(news.symbols);
    return news;
  }

  async score(texts: string[]) {
    if (texts.length > MAX_TEXTS) throw invalid('texts', `at most ${MAX_TEXTS} texts per call, got ${texts.length}`);
    const long = texts.findIndex((t) => t.length > MAX_TEXT_LENGTH);
    if (long >= 0) throw invalid(`texts[${long}]`, `longer than ${MAX_TEXT_LENGTH} characters`);
    return (await this.models.sentiment()).score(texts);
  }
}
