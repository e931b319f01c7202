import IORedis from 'ioredis';
import { RedisPubSub } from './redis-pubsub';

// CI and this machine run Redis on 127.0.0.1:6379 (.ci/run starts it when it is down).
const redisUrl = process.env.REDIS_URL_FOR_TESTS ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Waits until Redis itself reports `count` listeners on the channel (subscribing is asynchronous). */
async function untilListening(channel: string, count: number) {
  const probe = new IORedis(redisUrl);
  try {
    for (let i = 0; i < 250; i++) {
      const [, n] = (await probe.pubsub('NUMSUB', channel)) as [string, number];
      if (Number(n) >= count) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`nobody listens on ${channel}`);
  } finally {
    probe.disconnect();
  }
}

async function next<T>(it: AsyncIterator<T>, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no event arrived')), ms)));
  try {
    return (await Promise.race([it.next(), timeout])).value as T;
  } finally {
    clearTimeout(timer);
  }
}

describe('RedisPubSub: subscriptions across replicas', () => {
  const prefix = `test:${process.pid}:${Date.now()}:`;
  const replicas: RedisPubSub[] = [];
  const replica = () => {
    const r = new RedisPubSub(redisUrl, prefix);
    replicas.push(r);
    return r;
  };
  afterAll(() => Promise.all(replicas.map((r) => r.close())));

  it('delivers an event published on one replica to subscribers on every replica, in order', async () => {
    const a = replica();
    const b = replica();
    const onA = a.asyncIterableIterator<{ n: number }>('signalGenerated');
    const onB = b.asyncIterableIterator<{ n: number }>('signalGenerated');
    // the iterator subscribes on its first next(); start reading before publishing
    const firstA = next(onA);
    const firstB = next(onB);
    await untilListening(`${prefix}signalGenerated`, 2);
    await a.publish('signalGenerated', { n: 1 });
    await a.publish('signalGenerated', { n: 2 });
    expect(await firstA).toEqual({ n: 1 });
    expect(await firstB).toEqual({ n: 1 });
    expect(await next(onB)).toEqual({ n: 2 });
    await onA.return?.();
    await onB.return?.();
  });

  it('keeps other triggers and other prefixes apart, and stops after unsubscribe', async () => {
    const a = replica();
    const other = new RedisPubSub(redisUrl, `${prefix}other:`);
    replicas.push(other);
    const seen: unknown[] = [];
    const id = await a.subscribe('news', (p) => seen.push(p));
    await other.publish('news', { from: 'other deployment' });
    await a.publish('signalGenerated', { not: 'news' });
    await a.publish('news', { n: 1 });
    for (let i = 0; i < 50 && seen.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([{ n: 1 }]);
    await a.unsubscribe(id);
    await a.publish('news', { n: 2 });
    // a second listener on the same channel proves the message went out after the unsubscribe
    const late = replica();
    const got: unknown[] = [];
    await late.subscribe('news', (p) => got.push(p));
    await a.publish('news', { n: 3 });
    for (let i = 0; i < 100 && got.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([{ n: 3 }]);
    expect(seen).toEqual([{ n: 1 }]);
  });
});
