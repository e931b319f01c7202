import type Redis from 'ioredis';
import { type AccountHistory, type AccountHistoryStore, deserializeHistory, emptyHistory, serializeHistory } from './account-history';

/** Histories older than the longest window plus a day are of no use to any feature. */
const TTL_SECONDS = 8 * 86400;

/**
 * Account histories in Redis (REDIS_URL), so several service replicas share the same windows.
 * One MGET per transaction and one pipelined SET; keys expire a day after the 7-day window.
 * Novelty (`paidTo`) is kept inside the history, so a counterparty unseen for 8 days is new again.
 */
export class RedisHistoryStore implements AccountHistoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'aml:history:',
  ) {}

  async load(keys: readonly string[]): Promise<Map<string, AccountHistory>> {
    const values = keys.length ? await this.redis.mget(...keys.map((k) => this.prefix + k)) : [];
    const out = new Map<string, AccountHistory>();
    keys.forEach((key, i) => {
      const v = values[i];
      if (!out.has(key)) out.set(key, v ? deserializeHistory(v) : emptyHistory());
    });
    return out;
  }

  async save(histories: ReadonlyMap<string, AccountHistory>): Promise<void> {
    const pipe = this.redis.pipeline();
    for (const [key, h] of histories) pipe.set(this.prefix + key, serializeHistory(h), 'EX', TTL_SECONDS);
    await pipe.exec();
  }

  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000);
      if (keys.length) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
