import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { readAmlworldCsv } from '../ingest/amlworld-csv';
import { accountKey, type Transaction } from '../transaction';
import { type AccountHistory, type AccountHistoryStore, InMemoryHistoryStore } from './account-history';
import { extractAndRecord } from './feature-extractor';
import { RedisHistoryStore } from './redis-history-store';

const REDIS_SERVER = '/usr/bin/redis-server';
const available = Boolean(process.env.REDIS_URL) || existsSync(REDIS_SERVER);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function features(store: AccountHistoryStore, txns: Transaction[]): Promise<number[][]> {
  const out: number[][] = [];
  for (const t of txns) {
    const a = accountKey(t.fromBank, t.fromAccount), b = accountKey(t.toBank, t.toAccount);
    const h = await store.load([a, b]);
    out.push(Array.from(extractAndRecord(t, h.get(a) as AccountHistory, h.get(b) as AccountHistory).vector));
    await store.save(h);
  }
  return out;
}

// Needs a Redis: REDIS_URL, or redis-server installed (started here on a free port). Without
// either the test is reported as skipped, never passed.
(available ? describe : describe.skip)('RedisHistoryStore (real Redis)', () => {
  let server: ChildProcess | undefined;
  let redis: Redis;
  beforeAll(async () => {
    let url = process.env.REDIS_URL;
    if (!url) {
      const port = await freePort();
      server = spawn(REDIS_SERVER, ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      url = `redis://127.0.0.1:${port}`;
      for (let i = 0; i < 50; i++) {
        const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          await probe.connect();
          await probe.quit();
          break;
        } catch {
          probe.disconnect();
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
    redis = new Redis(url, { maxRetriesPerRequest: 2 });
  });
  afterAll(async () => {
    await redis?.quit();
    if (server) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill();
      await exited;
    }
  });

  it('gives the same features as the in-memory store on the fixture', async () => {
    const txns: Transaction[] = [];
    for await (const item of readAmlworldCsv(createReadStream(join(__dirname, '..', '__fixtures__', 'amlworld-small.csv')), 'r')) {
      if ('transaction' in item) txns.push(item.transaction);
      if (txns.length >= 400) break;
    }
    const store = new RedisHistoryStore(redis, `test:${process.pid}:`);
    await store.clear();
    const fromRedis = await features(store, txns);
    const fromMemory = await features(new InMemoryHistoryStore(), txns);
    expect(fromRedis).toEqual(fromMemory);
    expect((await redis.keys(`test:${process.pid}:*`)).length).toBeGreaterThan(10);
    const ttl = await redis.ttl((await redis.keys(`test:${process.pid}:*`))[0]);
    expect(ttl).toBeGreaterThan(7 * 86400);
    await store.clear();
    expect(await redis.keys(`test:${process.pid}:*`)).toEqual([]);
  });
});
