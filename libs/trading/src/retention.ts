import type { RetentionPolicy } from '@suite/platform';

/** Scored news with its per-symbol index rows, by publication time. */
export const tradingNewsRetention: RetentionPolicy = {
  name: 'trading.news',
  description: 'scored news items and their per-symbol index rows, counted from publication',
  periodVariable: 'RETENTION_TRADING_NEWS_DAYS',
  table: 'TradingNews',
  key: 'id',
  timestampColumn: 'publishedAt',
  children: [{ table: 'TradingNewsSymbol', column: 'newsId' }],
};

/** The trading service's retention policies (unset period = kept forever). */
export const tradingRetentionPolicies = (): RetentionPolicy[] => [tradingNewsRetention];
