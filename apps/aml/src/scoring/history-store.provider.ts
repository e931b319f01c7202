import { type Provider } from '@nestjs/common';
import { type AccountHistoryStore, InMemoryHistoryStore, RedisHistoryStore } from '@suite/aml';
import { SERVICE_CONFIG, type ServiceConfig } from '@suite/platform';
import Redis from 'ioredis';

export const HISTORY_STORE = Symbol('AML_HISTORY_STORE');

/** Feature windows: in this process's memory by default, in Redis when REDIS_URL is set. */
export const historyStoreProvider: Provider = {
  provide: HISTORY_STORE,
  inject: [SERVICE_CONFIG],
  useFactory: (config: ServiceConfig): AccountHistoryStore =>
    config.REDIS_URL ? new RedisHistoryStore(new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 })) : new InMemoryHistoryStore(),
};
